/**
 * What `wallet`, `neuron` and `stake` share: the uniform flags, opening the wallet they name, parsing TAO
 * amounts, and turning expected chain failures into one-line `CliError`s.
 */
import { Balance, ChainClientError, OperationError, redactUrl, UnsupportedRuntimeError, type ChainClient } from '../../../chain-client';
import { Wallet, WalletError } from '../../../chain-client/wallet';
import { CliError } from '../../errors';
import { connectTo, isUnreachable, usage } from '../subnet/shared';

/** The flags every wallet-using command takes. */
export interface WalletArgs {
  readonly network: string;
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly json: boolean;
}

/** The shared settings every wallet-using command takes (flags, `TENSORNET_*` variables, config file: `cli/config`). */
export const WALLET_SETTINGS = { keys: ['network', 'wallet', 'hotkey', 'wallet-path', 'json'] } as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** The wallet the flags name. @throws CliError `UsageError` for a name that is not a plain file name */
export function walletOf(args: WalletArgs, env: Env, hotkey = args.hotkey): Wallet {
  try {
    return new Wallet({ name: args.wallet, hotkey, path: args['wallet-path'], env });
  } catch (err) {
    throw err instanceof WalletError ? usage(`wallet: ${err.message}`, err) : err;
  }
}

/** A positive TAO amount of `flag`. @throws CliError `UsageError` */
export function taoAmount(text: string, flag: string): Balance {
  let amount: Balance;
  try {
    amount = Balance.fromTao(text);
  } catch (err) {
    if (err instanceof ChainClientError) throw usage(`${flag} must be a TAO amount with at most 9 decimals (got ${text})`, err);
    throw err;
  }
  if (amount.rao === 0n) throw usage(`${flag} must be more than 0 (got ${text})`);
  return amount;
}

/** A chain-side failure as one line, prefixed with what was being done. */
export function chainFailure(what: string, err: unknown, network: string | undefined): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof OperationError && err.code !== 'EventMissing') return usage(`${what}: ${err.message}`, err);
  if (err instanceof UnsupportedRuntimeError) return usage(`${what}: ${err.message}`, err);
  if (isUnreachable(err)) return usage(`cannot reach the chain${network === undefined ? '' : ` at ${redactUrl(network)}`}: ${err.message} (check --network)`, err);
  return err;
}

/** Runs `body` with a client to `--network`, closing it after; expected failures become one line. */
export async function withChain<T>(args: WalletArgs, env: Env, what: string, body: (client: ChainClient) => Promise<T>): Promise<T> {
  let client: ChainClient;
  try {
    client = await connectTo(args.network, env);
  } catch (err) {
    throw chainFailure(what, err, args.network);
  }
  try {
    return await body(client);
  } catch (err) {
    throw chainFailure(what, err, args.network);
  } finally {
    await client.close();
  }
}

/** The public address of a key without a password; a missing key is a one-line error naming the flags. */
export async function publicAddress(wallet: Wallet, which: 'coldkey' | 'hotkey'): Promise<string> {
  try {
    return (await (which === 'coldkey' ? wallet.coldkeypub() : wallet.hotkeypub())).address;
  } catch (err) {
    if (!(err instanceof WalletError)) throw err;
    const key = which === 'hotkey' ? `hotkey "${wallet.hotkeyName}"` : 'coldkey';
    if (err.code === 'KeyfileNotFound') throw usage(`wallet "${wallet.name}" has no ${key} (check --wallet, --hotkey and --wallet-path; tensornet wallet list shows the wallets)`, err);
    throw usage(`the ${key} of wallet "${wallet.name}": ${err.message}`, err);
  }
}
