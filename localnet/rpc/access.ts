/**
 * Who may call the node and what: Substrate's `--rpc-methods` (unsafe methods served or refused) and
 * `--rpc-cors` (which browser origins may call it, over HTTP and WebSocket), and whether an address is
 * loopback, which decides `--rpc-methods auto` as on a Substrate node.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TensornetError } from '../../common/errors';

/**
 * `safe` refuses the unsafe methods (development controls such as `dev_newBlock`, and what Substrate
 * marks unsafe); `unsafe` serves them; `auto` is `unsafe` when the server listens on loopback only,
 * `safe` otherwise (Substrate's default).
 */
export type RpcMethodsPolicy = 'safe' | 'unsafe' | 'auto';

/** `'all'`, or the origins allowed; an entry ending in `:*` allows any port (or none) of that scheme and host. */
export type CorsPolicy = 'all' | readonly string[];

/** Browser pages served from this machine, on any port: http(s) on localhost, 127.0.0.1 and [::1]. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = Object.freeze([
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
  'http://[::1]:*',
  'https://[::1]:*',
]);

export class RpcAccessError extends TensornetError<'InvalidRpcMethods' | 'InvalidRpcCors'> {}

export const RPC_METHODS_POLICIES: readonly RpcMethodsPolicy[] = ['safe', 'unsafe', 'auto'];

/** The policy named by `--rpc-methods`, or a typed error. */
export function parseRpcMethods(text: string): RpcMethodsPolicy {
  const policy = RPC_METHODS_POLICIES.find((p) => p === text.toLowerCase());
  if (policy === undefined) throw new RpcAccessError('InvalidRpcMethods', `--rpc-methods must be one of ${RPC_METHODS_POLICIES.join(', ')} (got ${JSON.stringify(text)})`);
  return policy;
}

const ORIGIN_PATTERN = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}|\*))?$/i;

/**
 * `--rpc-cors`: `all`, or a comma-separated list of origins (`scheme://host[:port]`, `:*` for any
 * port, or `null` for the opaque origin of files and sandboxed frames). Throws a typed error naming
 * the first entry that is not an origin.
 */
export function parseRpcCors(text: string): CorsPolicy {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'all' || trimmed === '*') return 'all';
  const entries = trimmed
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0) throw new RpcAccessError('InvalidRpcCors', '--rpc-cors needs `all` or a comma-separated list of origins such as http://localhost:3000');
  for (const entry of entries) {
    if (entry !== 'null' && !ORIGIN_PATTERN.test(entry)) {
      throw new RpcAccessError('InvalidRpcCors', `--rpc-cors: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], :* for any port, or null)`);
    }
  }
  return Object.freeze(entries.map((e) => e.replace(/\/+$/, '')));
}

/** Whether a browser page of `origin` (the `Origin` header's value) may call the node. */
export function originAllowed(origin: string, policy: CorsPolicy): boolean {
  if (policy === 'all') return true;
  const requested = origin.trim();
  const parsed = ORIGIN_PATTERN.exec(requested);
  for (const entry of policy) {
    if (entry === requested) return true;
    if (!parsed) continue;
    const allowed = ORIGIN_PATTERN.exec(entry);
    if (!allowed || allowed[1]!.toLowerCase() !== parsed[1]!.toLowerCase() || allowed[2]!.toLowerCase() !== parsed[2]!.toLowerCase()) continue;
    if (allowed[3] === '*' || (allowed[3] ?? '') === (parsed[3] ?? '')) return true;
  }
  return false;
}

/** Whether an IP address (v4, v6, or v4-mapped v6) is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.toLowerCase().replace(/^\[|\]$/g, '');
  const v4 = plain.startsWith('::ffff:') ? plain.slice(7) : plain;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return plain === '::1' || plain === '0:0:0:0:0:0:0:1';
}

/**
 * Whether binding `host` exposes the server beyond this machine: `loopback` when every address the
 * name resolves to is loopback, `network` otherwise (`0.0.0.0`, `::`, a LAN address or name).
 */
export async function listenScope(host: string): Promise<'loopback' | 'network'> {
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return isLoopbackAddress(host) ? 'loopback' : 'network';
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    // Listening will fail with the resolver's error; nothing is exposed.
    return 'loopback';
  }
  return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address)) ? 'loopback' : 'network';
}

/** Whether unsafe methods are refused under `policy` on a server listening on `scope`. */
export function denyUnsafe(policy: RpcMethodsPolicy, scope: 'loopback' | 'network'): boolean {
  return policy === 'safe' || (policy === 'auto' && scope === 'network');
}
