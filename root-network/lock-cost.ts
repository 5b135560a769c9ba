/**
 * The dynamic subnet lock cost of `register_network` (spec §4.4 step 2): each registration doubles
 * the price, which then decays linearly back to (and floors at) the minimum.
 */
import { RootNetworkError } from './errors';

const U64_MAX = (1n << 64n) - 1n;

/** `NetworkMinLockCost` default: 1000 TAO, rao. */
export const DEFAULT_NETWORK_MIN_LOCK_COST = 1_000_000_000_000n;
/** `NetworkLockReductionInterval` default: 14 days of 7200 blocks. */
export const DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL = 100_800n;

export interface NetworkLockCostParams {
  /** `NetworkLastLockCost` (L), rao. */
  readonly lastLockCost: bigint;
  /** `NetworkLastRegistered` (lb), block; 0 = never. */
  readonly lastRegistered: bigint;
  /** The current block b. */
  readonly block: bigint;
  /** `NetworkLockReductionInterval`. @default 100_800n */
  readonly reductionInterval?: bigint;
  /** `NetworkMinLockCost`, rao. @default 1_000_000_000_000n */
  readonly minLockCost?: bigint;
}

/**
 * `get_network_lock_cost` (spec §4.4 step 2): `max(L·mult − ⌊L / interval⌋·(b − lb), min)` in u64
 * saturating integer arithmetic, `mult = 1` while `lb = 0`, else 2.
 *
 * @example networkLockCost({lastLockCost: 1000n, lastRegistered: 10n, block: 10n, reductionInterval: 100n, minLockCost: 1000n}) // 2000n
 * @throws {RootNetworkError} `ZeroLockReductionInterval` (the runtime panics); `InvalidArgument` outside u64.
 */
export function networkLockCost(params: NetworkLockCostParams): bigint {
  const interval = params.reductionInterval ?? DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL;
  const min = params.minLockCost ?? DEFAULT_NETWORK_MIN_LOCK_COST;
  const { lastLockCost: last, lastRegistered: lastBlock, block } = params;
  for (const [name, v] of [['lastLockCost', last], ['lastRegistered', lastBlock], ['block', block], ['reductionInterval', interval], ['minLockCost', min]] as const) {
    if (v < 0n || v > U64_MAX) throw new RootNetworkError('InvalidArgument', `${name} must be a u64 (got ${v})`, { [name]: String(v) });
  }
  if (interval === 0n) throw new RootNetworkError('ZeroLockReductionInterval', 'NetworkLockReductionInterval is 0: the runtime divides by it and panics');
  const clamp = (x: bigint): bigint => (x > U64_MAX ? U64_MAX : x);
  const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
  const doubled = clamp(last * (lastBlock === 0n ? 1n : 2n));
  const cost = satSub(doubled, clamp((last / interval) * satSub(block, lastBlock)));
  return cost < min ? min : cost;
}
