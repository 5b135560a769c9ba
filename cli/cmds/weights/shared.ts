/**
 * What `weights`, `root` and `subnet hyperparameters` share when they run: the wallet's keys (never
 * prompting), one chain connection per command, comma lists from flags, and the chain's expected
 * refusals (a `DispatchFailedError` with its remedy, a pool rejection) as one-line `CliError`s.
 */
import { OperationError, redactUrl, UnsupportedRuntimeError, type ChainClient } from '../../../chain-client';
import { Wallet, WalletError, type Keypair } from '../../../chain-client/wallet';
import { CliError } from '../../errors';
import { unlockKey, usage } from '../../keys';
import { connectTo, isUnreachable } from '../subnet/shared';

/** The wallet flags every key-using command takes. */
export interface WalletFlags {
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly network: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The wallet the flags name. @throws CliError `UsageError` */
export function walletOf(args: WalletFlags, env: Env): Wallet {
  try {
    return new Wallet({ name: args.wallet, hotkey: args.hotkey, path: args['wallet-path'], env });
  } catch (err) {
    throw err instanceof WalletError ? usage(`wallet: ${err.message}`, err) : err;
  }
}

/** A key of the flags' wallet, unlocked without prompting. @throws CliError `UsageError` */
export function unlock(args: WalletFlags, env: Env, which: 'hotkey' | 'coldkey'): Promise<Keypair> {
  return unlockKey(walletOf(args, env), which);
}

/** The hotkey's address (from its public file: no password needed). @throws CliError `UsageError` */
export async function hotkeyAddress(args: WalletFlags, env: Env): Promise<string> {
  const wallet = walletOf(args, env);
  try {
    return (await wallet.hotkeypub()).address;
  } catch (err) {
    if (!(err instanceof WalletError)) throw err;
    throw usage(`wallet "${wallet.name}" has no readable hotkey "${wallet.hotkeyName}": ${err.message} (check --wallet, --hotkey and --wallet-path)`, err);
  }
}

/** A chain-side failure as one line (the operation's message carries the remedy); anything else unchanged. */
export function chainFailure(err: unknown, network: string): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof OperationError && err.code !== 'EventMissing') return usage(err.message, err);
  if (err instanceof UnsupportedRuntimeError) return usage(err.message, err);
  if (isUnreachable(err)) return usage(`cannot reach the chain at ${redactUrl(network)}: ${err.message} (check --network)`, err);
  return err;
}

/** Runs `work` with a connection to `--network`, closed afterwards; expected failures become one line. */
export async function withChain<T>(args: WalletFlags, env: Env, work: (client: ChainClient) => Promise<T>): Promise<T> {
  const network = args.network;
  let client: ChainClient;
  try {
    client = await connectTo(args.network, env);
  } catch (err) {
    throw chainFailure(err, network);
  }
  try {
    return await work(client);
  } catch (err) {
    throw chainFailure(err, network);
  } finally {
    await client.close();
  }
}

/**
 * A comma list of numbers from a flag (`1,2,3`).
 * @param integers only non-negative integers up to `max` (uids, netuids)
 * @throws CliError `UsageError`
 */
export function numberList(flag: string, text: string | number, options: { readonly integers?: boolean; readonly max?: number } = {}): number[] {
  const parts = String(text).split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw usage(`--${flag} must be a comma-separated list of numbers (got "${text}")`);
  return parts.map((p) => {
    const n = Number(p);
    const ok = Number.isFinite(n) && n >= 0 && (!options.integers || (Number.isInteger(n) && n <= (options.max ?? Number.MAX_SAFE_INTEGER)));
    if (!ok) throw usage(`--${flag}: "${p}" is not ${options.integers ? `an integer in [0, ${options.max ?? Number.MAX_SAFE_INTEGER}]` : 'a non-negative number'}`);
    return n;
  });
}

/** Checks `--netuid`. @throws CliError `UsageError` */
export function netuidOf(netuid: number): number {
  if (!(Number.isInteger(netuid) && netuid >= 0 && netuid <= 65535)) throw usage(`--netuid must be an integer in [0, 65535] (got ${netuid})`);
  return netuid;
}
