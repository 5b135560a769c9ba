/**
 * Serving an axon: announce the ip/port (v4 or v6) a miner listens on, as seen from outside (NAT).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { ChainClient } from '../connect';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, InvalidParametersError } from './errors';
import { networks, queryBigInt, queryItem, uidOf } from './query';

/** Parameters of {@link serveAxon}. */
export interface ServeAxonParameters extends SubmitOptions {
  /** The hotkey (signs the call). */
  readonly signer: Signer;
  readonly netuid: number;
  /** The external IP address others reach the axon at (v4 dotted or v6), e.g. the NAT's public address. */
  readonly ip: string;
  /** The external port. */
  readonly port: number;
  /** @default 4 (the SDK's value) */
  readonly protocol?: number;
  /** The axon version (the SDK's `version_as_int`). @default 0 */
  readonly version?: number;
}

/** Errors of {@link serveAxon}. */
export type ServeAxonErrorType = SubmitErrorType;

/** An IP address as the chain stores it: its integer value and `ip_type` (4 or 6). @throws InvalidParametersError */
export function ipToInt(ip: string): { ip: bigint; ipType: 4 | 6 } {
  if (isIPv4(ip)) return { ip: ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n), ipType: 4 };
  if (isIPv6(ip)) {
    let text = ip;
    const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4tail) {
      const v = ipToInt(v4tail[1]!).ip;
      text = text.slice(0, -v4tail[1]!.length) + `${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
    }
    const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
    return { ip: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n), ipType: 6 };
  }
  throw new InvalidParametersError(`not an IPv4 or IPv6 address: ${ip}`, { ip });
}

/** Whether the chain accepts `ip` as an axon address (not 0, 127.0.0.1, 255.255.255.255, ::1). @throws InvalidParametersError for text that is not an IP */
export function chainAcceptsIp(ip: string): boolean {
  const { ip: value, ipType } = ipToInt(ip);
  if (value === 0n) return false;
  return ipType === 4 ? value < 0xffffffffn && value !== 0x7f000001n : value !== (1n << 128n) - 1n && value !== 1n;
}

/**
 * Announces the axon of the signing hotkey on `netuid`. Pre-flight (no fee spent): the address is
 * one the chain accepts (`InvalidIpAddress`: 0, 127.0.0.1, 255.255.255.255, ::1), `InvalidPort`,
 * `HotKeyNotRegisteredInNetwork`, `ServingRateLimitExceeded` (with the next allowed block).
 * @example
 * await serveAxon(client, { signer: hotkey, netuid: 1, ip: '203.0.113.7', port: 8091 });
 */
export async function serveAxon(client: ChainClient, params: ServeAxonParameters): Promise<SubmitResult> {
  const netuid = checkNetuid(params.netuid);
  const hotkey = addressOf(params.signer);
  const { ip, ipType } = ipToInt(params.ip);
  const preflight = (error: string, remedy: string, facts: Record<string, string | number | boolean> = {}): never => {
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true, facts });
  };
  if (!Number.isInteger(params.port) || params.port < 0 || params.port > 65535) throw new InvalidParametersError(`port must be a u16: ${params.port}`, { port: params.port });
  if (params.port === 0) preflight('InvalidPort', 'the port must not be 0');
  if (!chainAcceptsIp(params.ip)) preflight('InvalidIpAddress', `${params.ip} is not an address the chain accepts (announce the external address)`);
  if (!(await registeredAnywhere(client, netuid, hotkey))) preflight('HotKeyNotRegisteredInNetwork', `register the hotkey first (burnedRegister on netuid ${netuid})`);
  const [prev, limit, header] = await Promise.all([
    queryItem(client, 'SubtensorModule', 'Axons', netuid, hotkey),
    queryBigInt(client, 'SubtensorModule', 'ServingRateLimit', netuid),
    client.request('chain_getHeader', (api) => api.rpc.chain.getHeader()),
  ]);
  const prevBlock = BigInt(((prev.toJSON() as { block?: number | string } | null)?.block ?? 0) as number | string);
  const nextBlock = BigInt(header.number.toNumber()) + 1n;
  if (limit !== 0n && prevBlock !== 0n && nextBlock - prevBlock < limit) {
    preflight('ServingRateLimitExceeded', `wait until block ${prevBlock + limit} (last served at ${prevBlock}, ServingRateLimit ${limit})`, { nextAllowedBlock: Number(prevBlock + limit) });
  }
  const tx = client.api.tx.subtensorModule.serveAxon(netuid, params.version ?? 0, ip, params.port, ipType, params.protocol ?? 4, 0, 0);
  return send(client, tx, params.signer, params, { netuid, hotkey });
}

/** Whether `hotkey` holds a uid on `netuid` or, failing that, on any existing subnet (the chain's check). */
async function registeredAnywhere(client: ChainClient, netuid: number, hotkey: string): Promise<boolean> {
  if ((await uidOf(client, netuid, hotkey)) !== undefined) return true;
  for (const other of await networks(client)) if (other !== netuid && (await uidOf(client, other, hotkey)) !== undefined) return true;
  return false;
}
