/**
 * What `subnet create` and `subnet list` share: loading mechanisms, reaching the chain, unlocking the
 * owner's coldkey, and turning the expected failures of each into one-line `CliError`s.
 */
import { ChainClientError, connect, type ChainClient } from '../../../chain-client';
import { Wallet, WalletError, type Keypair } from '../../../chain-client/wallet';
import { loadMechanism, SubnetError, type AnySubnet } from '../../../subnets';
import { unlockKey, usage } from '../../keys';

export { message as messageOf, usage } from '../../keys';

/**
 * A mechanism by built-in name or module path.
 * @throws CliError `UsageError` (unknown name, missing module, module without a subnet, a TypeScript file)
 */
export function mechanismOrFail(nameOrPath: string, flag = '--mechanism'): AnySubnet {
  try {
    return loadMechanism(nameOrPath);
  } catch (err) {
    if (!(err instanceof SubnetError)) throw err;
    const hint = /\.[cm]?ts$/.test(nameOrPath) ? ' (tensornet loads JavaScript: compile the TypeScript and give the .js, or start from `tensornet subnet init`)' : '';
    throw usage(`${flag} ${nameOrPath}: ${err.message}${hint}`, err);
  }
}

/** Whether a chain error means "not reachable" (as opposed to a bad `--network` or a bug). */
export function isUnreachable(err: unknown): err is ChainClientError {
  return err instanceof ChainClientError && (err.code === 'ConnectionFailed' || err.code === 'RequestTimeout' || err.code === 'ClientClosed');
}

/**
 * Connects to `--network`.
 * @throws CliError `UsageError` for a malformed `--network`; ChainClientError when the chain is not reachable
 */
export async function connectTo(network: string | undefined, env: Readonly<Record<string, string | undefined>>, timeoutMs?: number): Promise<ChainClient> {
  try {
    return await connect({ ...(network === undefined ? {} : { network }), env, reconnectDelayMs: 0, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  } catch (err) {
    if (err instanceof ChainClientError && err.code === 'InvalidNetwork') throw usage(`--network: ${err.message}`, err);
    throw err;
  }
}

/** The coldkey of wallet `name` (plaintext, or encrypted and unlocked by its `BT_PW_` variable: never prompts). @throws CliError `UsageError` */
export async function unlockColdkey(options: { readonly name: string | undefined; readonly path: string | undefined; readonly env: Readonly<Record<string, string | undefined>> }): Promise<Keypair> {
  let wallet: Wallet;
  try {
    wallet = new Wallet({ name: options.name, path: options.path, env: options.env });
  } catch (err) {
    throw err instanceof WalletError ? usage(`wallet: ${err.message}`, err) : err;
  }
  return unlockKey(wallet, 'coldkey');
}

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Rows as left-aligned columns (two spaces apart), the header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}\n`).join('');
}
