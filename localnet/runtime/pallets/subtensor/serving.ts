/** Axon and Prometheus endpoints (spec §9): `serve_axon`, `serve_axon_tls`, `serve_prometheus`. */
import { hexToU8a, u8aToHex } from '@polkadot/util';
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';
import type { AccountId, Hex } from '../../primitives';
import { ensureSigned } from '../system';
import { blockNumber, stErr } from './common';
import { st } from './items';

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;
const IPV4_LOCALHOST = 0x7f00_0001n;
const IPV6_LOCALHOST = 1n;
/** `NeuronCertificate`: one algorithm byte and a public key of at most 64 bytes. */
const MAX_CERTIFICATE_LEN = 65;

/** The arguments `serve_prometheus` shares with `serve_axon`. */
export interface EndpointArgs {
  readonly netuid: number;
  readonly version: number;
  readonly ip: bigint;
  readonly port: number;
  readonly ip_type: number;
}

export interface AxonArgs extends EndpointArgs {
  readonly protocol: number;
  readonly placeholder1: number;
  readonly placeholder2: number;
}

/**
 * `is_hotkey_registered_on_any_network`: the hotkey has a uid on some existing network (the
 * served netuid itself is not checked, §9).
 */
function registeredOnAnyNetwork(ctx: RuntimeContext, hotkey: AccountId): boolean {
  const s = st();
  return s.NetworksAdded.keys(ctx.state).some(([netuid]) => s.Uids.has(ctx.state, netuid, hotkey));
}

/** `is_valid_ip_address` for an already valid type: not 0, not all-ones, not localhost. */
function isValidIpAddress(ipType: number, ip: bigint): boolean {
  if (ip === 0n) return false;
  if (ipType === 4) return ip < U32_MAX && ip !== IPV4_LOCALHOST;
  return ip !== U128_MAX && ip !== IPV6_LOCALHOST;
}

/** §9 checks 1–3, in order: registered somewhere, ip type 4 or 6, a valid address. */
function ensureServable(ctx: RuntimeContext, hotkey: AccountId, ipType: number, ip: bigint): void {
  if (!registeredOnAnyNetwork(ctx, hotkey)) throw stErr('HotKeyNotRegisteredInNetwork');
  if (ipType !== 4 && ipType !== 6) throw stErr('InvalidIpType', `ip_type ${ipType} is neither 4 nor 6`);
  if (!isValidIpAddress(ipType, ip)) throw stErr('InvalidIpAddress', `${ip} is not a valid IPv${ipType} address`);
}

/** §9 rate limit: `ServingRateLimit = 0 ∨ prev.block = 0 ∨ b − prev.block ≥ ServingRateLimit`. */
function ensureServingRate(ctx: RuntimeContext, netuid: number, previousBlock: bigint): void {
  const limit = st().ServingRateLimit.get(ctx.state, netuid);
  const b = blockNumber(ctx);
  if (limit === 0n || previousBlock === 0n || b - previousBlock >= limit) return;
  throw stErr('ServingRateLimitExceeded', `served at block ${previousBlock}; the limit is ${limit} blocks`);
}

function ensurePort(port: number): void {
  if (port === 0) throw stErr('InvalidPort');
}

/**
 * `NeuronCertificateOf::try_from(certificate)` (§9, `serve_axon_tls`): byte 0 is the algorithm, the
 * rest the public key. Empty or longer than 65 bytes is silently not stored.
 */
function storeCertificate(ctx: RuntimeContext, netuid: number, hotkey: AccountId, certificate: Hex): void {
  const bytes = hexToU8a(certificate);
  if (bytes.length === 0 || bytes.length > MAX_CERTIFICATE_LEN) return;
  st().NeuronCertificates.set(ctx.state, netuid, hotkey, { algorithm: bytes[0]!, public_key: u8aToHex(bytes.subarray(1)) as Hex });
}

/**
 * `serve_axon` / `serve_axon_tls` signed by the hotkey (spec §9): checks in order, the TLS
 * certificate (when given), `InvalidPort`, then `Axons[netuid][hotkey]` and `AxonServed`.
 */
export function serveAxon(ctx: RuntimeContext, hotkey: AccountId, args: AxonArgs, certificate: Hex | null): void {
  const { netuid } = args;
  ensureServable(ctx, hotkey, args.ip_type, args.ip);
  ensureServingRate(ctx, netuid, st().Axons.get(ctx.state, netuid, hotkey)?.block ?? 0n);
  if (certificate !== null) storeCertificate(ctx, netuid, hotkey, certificate);
  ensurePort(args.port);
  st().Axons.set(ctx.state, netuid, hotkey, {
    block: blockNumber(ctx),
    version: args.version,
    ip: args.ip,
    port: args.port,
    ip_type: args.ip_type,
    protocol: args.protocol,
    placeholder1: args.placeholder1,
    placeholder2: args.placeholder2,
  });
  ctx.deposit({ SubtensorModule: { AxonServed: [netuid, hotkey] } });
}

/** `serve_prometheus` signed by the hotkey (spec §9): the axon checks, then `Prometheus[netuid][hotkey]` and `PrometheusServed`. */
export function servePrometheus(ctx: RuntimeContext, hotkey: AccountId, args: EndpointArgs): void {
  const { netuid } = args;
  ensureServable(ctx, hotkey, args.ip_type, args.ip);
  ensureServingRate(ctx, netuid, st().Prometheus.get(ctx.state, netuid, hotkey)?.block ?? 0n);
  ensurePort(args.port);
  st().Prometheus.set(ctx.state, netuid, hotkey, { block: blockNumber(ctx), version: args.version, ip: args.ip, port: args.port, ip_type: args.ip_type });
  ctx.deposit({ SubtensorModule: { PrometheusServed: [netuid, hotkey] } });
}

export const servingCalls: CallTable = {
  /** §9 `serve_axon` (call 4). */
  serve_axon: (ctx, origin, args) => serveAxon(ctx, ensureSigned(origin), args as unknown as AxonArgs, null),
  /** §9 `serve_axon_tls` (call 40). */
  serve_axon_tls: (ctx, origin, args) => serveAxon(ctx, ensureSigned(origin), args as unknown as AxonArgs, args.certificate as Hex),
  /** §9 `serve_prometheus` (call 5). */
  serve_prometheus: (ctx, origin, args) => servePrometheus(ctx, ensureSigned(origin), args as unknown as EndpointArgs),
};
