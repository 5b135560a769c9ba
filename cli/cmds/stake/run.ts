/** `tensornet stake add|remove|list`, running. Pre-dTAO runtimes hold stake per (hotkey, coldkey), not per subnet. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { addStake, becomeDelegate, getBalance, getDelegateTake, getStake, getTotalHotkeyStake, removeStake, setDelegateTake } from '../../../chain-client';
import { unlockKey } from '../../keys';
import { table, toJson, usage } from '../subnet/shared';
import { publicAddress, taoAmount, walletOf, withChain, type Env, type WalletArgs } from '../wallet/shared';

export interface StakeMoveArgs extends WalletArgs {
  readonly amount: string;
  /** Passed to runtimes whose stake calls take a subnet (dynamic TAO); pre-dTAO runtimes ignore it. */
  readonly netuid?: number;
}

export async function stakeMove(which: 'add' | 'remove', args: StakeMoveArgs, env: Env): Promise<string> {
  if (args.netuid !== undefined && !(Number.isInteger(args.netuid) && args.netuid >= 0 && args.netuid <= 65535)) throw usage(`--netuid must be an integer in [0, 65535] (got ${args.netuid})`);
  const amount = taoAmount(args.amount, '--amount');
  const wallet = walletOf(args, env);
  const hotkey = await publicAddress(wallet, 'hotkey');
  const coldkey = await unlockKey(wallet, 'coldkey');
  return withChain(args, env, `stake ${which}`, async (client) => {
    const params = { signer: coldkey, hotkey, amount, ...(args.netuid !== undefined ? { netuid: args.netuid } : {}) };
    const result = which === 'add' ? await addStake(client, params) : await removeStake(client, params);
    const [stake, { free }] = await Promise.all([getStake(client, { hotkey, coldkey: coldkey.address }), getBalance(client, { address: coldkey.address })]);
    if (args.json) return `${toJson({ action: which, hotkey, coldkey: coldkey.address, amount: amount.tao, stake: stake.tao, free: free.tao, blockHash: result.blockHash })}\n`;
    const verb = which === 'add' ? `staked ${amount.tao} τ onto` : `unstaked ${amount.tao} τ from`;
    return `${verb} hotkey "${wallet.hotkeyName}" ${hotkey} (block ${result.blockHash}): ${stake.tao} τ staked by this coldkey, ${free.tao} τ free\n`;
  });
}

export interface StakeDelegateArgs extends WalletArgs {
  /** The delegate's take in percent of its nominators' emission; the chain's default take when absent. */
  readonly take?: number;
}

const U16_MAX = 65535;

/**
 * `tensornet stake delegate`: the wallet's hotkey becomes a delegate (`become_delegate`, the owner coldkey
 * signs) so other coldkeys may stake to it; `--take` then sets its take (`decrease_take`/`increase_take`).
 */
export async function stakeDelegate(args: StakeDelegateArgs, env: Env): Promise<string> {
  if (args.take !== undefined && !(Number.isFinite(args.take) && args.take >= 0 && args.take <= 100)) throw usage(`--take must be a percentage in [0, 100] (got ${args.take})`);
  const wallet = walletOf(args, env);
  const hotkey = await publicAddress(wallet, 'hotkey');
  const coldkey = await unlockKey(wallet, 'coldkey');
  return withChain(args, env, 'stake delegate', async (client) => {
    const result = await becomeDelegate(client, { signer: coldkey, hotkey });
    let take = await getDelegateTake(client, { hotkey });
    let blockHash = result.blockHash;
    if (args.take !== undefined) {
      const wanted = Math.round((args.take / 100) * U16_MAX);
      if (wanted !== take) {
        blockHash = (await setDelegateTake(client, { signer: coldkey, hotkey, take: wanted })).blockHash;
        take = await getDelegateTake(client, { hotkey });
      }
    }
    const percent = Number(((take / U16_MAX) * 100).toFixed(2));
    if (args.json) return `${toJson({ action: 'delegate', hotkey, coldkey: coldkey.address, take, takePercent: percent, blockHash })}\n`;
    return `hotkey "${wallet.hotkeyName}" ${hotkey} is a delegate (block ${blockHash}): take ${percent} % (${take}/65535)\n`;
  });
}

async function hotkeyNames(walletDir: string): Promise<string[]> {
  try {
    return (await readdir(join(walletDir, 'hotkeys'))).filter((f) => !f.endsWith('pub.txt')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export async function stakeList(args: WalletArgs, env: Env): Promise<string> {
  const wallet = walletOf(args, env);
  const coldkey = await publicAddress(wallet, 'coldkey');
  const names = args.hotkey !== undefined ? [args.hotkey] : await hotkeyNames(wallet.walletDir);
  const hotkeys: { name: string; address: string }[] = [];
  for (const name of names) hotkeys.push({ name, address: await publicAddress(walletOf(args, env, name), 'hotkey') });
  return withChain(args, env, 'stake list', async (client) => {
    const rows = await Promise.all(
      hotkeys.map(async (h) => ({ ...h, stake: (await getStake(client, { hotkey: h.address, coldkey })).tao, total: (await getTotalHotkeyStake(client, { hotkey: h.address })).tao })),
    );
    if (args.json) return `${toJson({ wallet: wallet.name, coldkey, hotkeys: rows })}\n`;
    if (rows.length === 0) return `wallet "${wallet.name}" has no hotkeys (tensornet wallet create or wallet regen --key hotkey)\n`;
    return `stakes of wallet "${wallet.name}" coldkey ${coldkey}\n${table(['HOTKEY', 'SS58', 'YOUR STAKE τ', 'HOTKEY TOTAL τ'], rows.map((r) => [r.name, r.address, r.stake, r.total]))}`;
  });
}
