/** `tensornet wallet …`, running: keys on disk (create, list, regen) and the coldkey's TAO (balance, transfer). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { getBalance, getTotalColdkeyStake, transfer, type Balance } from '../../../chain-client';
import { passwordFromEnv, passwordEnvVarName, Wallet, WalletError, type CreateKeyOptions, type Keyfile } from '../../../chain-client/wallet';
import { unlockKey } from '../../keys';
import { table, toJson, usage } from '../subnet/shared';
import { publicAddress, taoAmount, walletOf, withChain, type Env, type WalletArgs } from './shared';

export interface WalletCreateArgs extends WalletArgs {
  /** false with `--no-password`: the coldkey is written unencrypted. */
  readonly password: boolean;
}

export interface WalletRegenArgs extends WalletCreateArgs {
  readonly mnemonic: string;
  /** Which key the mnemonic becomes. */
  readonly key: 'coldkey' | 'hotkey';
}

export interface WalletTransferArgs extends WalletArgs {
  readonly dest: string;
  readonly amount: string;
}

/**
 * How a new coldkey is protected: encrypted with the password in its `BT_PW_…` variable (tensornet
 * never prompts), or plaintext when `--no-password` says so.
 */
function coldkeyProtection(file: Keyfile, args: WalletCreateArgs, env: Env): CreateKeyOptions {
  if (!args.password) return { encrypt: false };
  const password = passwordFromEnv(file.path, env);
  if (password === undefined) throw usage(`a new coldkey is encrypted and tensornet never prompts: set ${passwordEnvVarName(file.path)} to its password, or pass --no-password for a plaintext coldkey`);
  return { password };
}

function writeFailure(err: unknown): unknown {
  if (!(err instanceof WalletError)) return err;
  if (err.code === 'KeyfileExists') return usage(`${err.message.replace('; pass overwrite to replace it', '')}: tensornet wallet never overwrites a key`, err);
  return usage(`wallet: ${err.message}`, err);
}

export async function walletCreate(args: WalletCreateArgs, env: Env): Promise<string> {
  const wallet = walletOf(args, env);
  // Both refusals before anything is written, so a half-created wallet never happens.
  for (const file of [wallet.coldkeyFile, wallet.coldkeypubFile, wallet.hotkeyFile, wallet.hotkeypubFile]) {
    if (file.exists) throw usage(`${file.path} exists: tensornet wallet never overwrites a key (pick another --wallet or --hotkey)`);
  }
  const protection = coldkeyProtection(wallet.coldkeyFile, args, env);
  try {
    const cold = await wallet.createNewColdkey(protection);
    const hot = await wallet.createNewHotkey();
    if (args.json) return `${toJson({ wallet: wallet.name, path: wallet.walletDir, coldkey: cold.keypair.address, coldkeyMnemonic: cold.mnemonic, encrypted: protection.encrypt !== false, hotkey: wallet.hotkeyName, hotkeyAddress: hot.keypair.address, hotkeyMnemonic: hot.mnemonic })}\n`;
    return [
      `wallet "${wallet.name}" created in ${wallet.walletDir}`,
      `  coldkey ${cold.keypair.address} (${protection.encrypt === false ? 'plaintext' : 'encrypted'})`,
      `  hotkey "${wallet.hotkeyName}" ${hot.keypair.address}`,
      '',
      'The coldkey mnemonic (shown once; write it down, it is the only way to recover the coldkey):',
      `  ${cold.mnemonic}`,
      'The hotkey mnemonic:',
      `  ${hot.mnemonic}`,
      '',
    ].join('\n');
  } catch (err) {
    throw writeFailure(err);
  }
}

export async function walletRegen(args: WalletRegenArgs, env: Env): Promise<string> {
  const wallet = walletOf(args, env);
  const mnemonic = args.mnemonic.trim().split(/\s+/).join(' ');
  try {
    const keypair = args.key === 'coldkey' ? await wallet.regenerateColdkey({ mnemonic }, coldkeyProtection(wallet.coldkeyFile, args, env)) : await wallet.regenerateHotkey({ mnemonic });
    const which = args.key === 'coldkey' ? 'coldkey' : `hotkey "${wallet.hotkeyName}"`;
    if (args.json) return `${toJson({ wallet: wallet.name, key: args.key, ...(args.key === 'hotkey' ? { hotkey: wallet.hotkeyName } : {}), address: keypair.address })}\n`;
    return `wallet "${wallet.name}": ${which} ${keypair.address} regenerated\n`;
  } catch (err) {
    if (err instanceof WalletError && err.code === 'InvalidMnemonic') throw usage(`--mnemonic is not a valid BIP-39 mnemonic`, err);
    throw writeFailure(err);
  }
}

interface ListedWallet {
  readonly name: string;
  readonly coldkey: string | null;
  readonly hotkeys: readonly { readonly name: string; readonly address: string | null }[];
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() || e.isFile()).map((e) => e.name).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function addressOrNull(wallet: Wallet, which: 'coldkey' | 'hotkey'): Promise<string | null> {
  try {
    return (await (which === 'coldkey' ? wallet.coldkeypub() : wallet.hotkeypub())).address;
  } catch (err) {
    // An encrypted hotkey without its pub file, or a damaged file: listed without an address.
    if (err instanceof WalletError) return null;
    throw err;
  }
}

export async function walletList(args: WalletArgs, env: Env): Promise<string> {
  const root = walletOf(args, env).path;
  const wallets: ListedWallet[] = [];
  for (const name of await entries(root)) {
    const hotkeyNames = (await entries(join(root, name, 'hotkeys'))).filter((f) => !f.endsWith('pub.txt'));
    const wallet = walletOf({ ...args, wallet: name }, env);
    const coldkey = await addressOrNull(wallet, 'coldkey');
    if (coldkey === null && hotkeyNames.length === 0) continue;
    const hotkeys = [];
    for (const hk of hotkeyNames) hotkeys.push({ name: hk, address: await addressOrNull(walletOf({ ...args, wallet: name }, env, hk), 'hotkey') });
    wallets.push({ name, coldkey, hotkeys });
  }
  if (args.json) return `${toJson({ path: root, wallets })}\n`;
  if (wallets.length === 0) return `no wallets in ${root} (tensornet wallet create makes one)\n`;
  const rows = wallets.flatMap((w) => [[w.name, 'coldkey', w.coldkey ?? '?'], ...w.hotkeys.map((h) => ['', `hotkey ${h.name}`, h.address ?? '?'])]);
  return `wallets in ${root}\n${table(['WALLET', 'KEY', 'SS58'], rows)}`;
}

export async function walletBalance(args: WalletArgs, env: Env): Promise<string> {
  const wallet = walletOf(args, env);
  const coldkey = await publicAddress(wallet, 'coldkey');
  return withChain(args, env, 'balance', async (client) => {
    const [{ free }, staked] = await Promise.all([getBalance(client, { address: coldkey }), getTotalColdkeyStake(client, { coldkey })]);
    const total = free.rao + staked.rao;
    if (args.json) return `${toJson({ wallet: wallet.name, coldkey, free: free.tao, staked: staked.tao, total: taoOf(total) })}\n`;
    return `wallet "${wallet.name}" coldkey ${coldkey}\n${table(['FREE τ', 'STAKED τ', 'TOTAL τ'], [[free.tao, staked.tao, taoOf(total)]])}`;
  });
}

function taoOf(rao: bigint): string {
  return `${rao / 1_000_000_000n}.${(rao % 1_000_000_000n).toString().padStart(9, '0')}`;
}

export async function walletTransfer(args: WalletTransferArgs, env: Env): Promise<string> {
  const amount: Balance = taoAmount(args.amount, '--amount');
  const wallet = walletOf(args, env);
  const coldkey = await unlockKey(wallet, 'coldkey');
  return withChain(args, env, 'transfer', async (client) => {
    const result = await transfer(client, { signer: coldkey, dest: args.dest, amount });
    const { free } = await getBalance(client, { address: coldkey.address });
    if (args.json) return `${toJson({ from: coldkey.address, dest: args.dest, amount: amount.tao, blockHash: result.blockHash, free: free.tao })}\n`;
    return `transferred ${amount.tao} τ from ${coldkey.address} to ${args.dest} (block ${result.blockHash}); ${free.tao} τ free left\n`;
  });
}
