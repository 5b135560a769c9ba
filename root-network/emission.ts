/**
 * Token emission of the root network (spec §2 step 2, §4.1, §5): the halving schedule (from
 * `consensus/emission.ts`), the epoch schedule, per-block accrual of each subnet's `EmissionValues`
 * into `PendingEmission`, and the split of a subnet's drained emission into the owner cut and what goes
 * to its Yuma epoch.
 */
import { I96F32, div, fromInt, mul, toIntFloor } from '../consensus/fixed/bigint';
import { RootNetworkError } from './errors';

export { blockEmission, DEFAULT_BLOCK_EMISSION, TOTAL_SUPPLY, type BlockEmissionOptions } from '../consensus/emission';
export { rootEpoch } from '../consensus/root';

const U64_MAX = (1n << 64n) - 1n;
/** The root network's netuid. */
export const ROOT_NETUID = 0;
/** `SubnetOwnerCut` default: 11796 / 65535 ≈ 17.9995 %. */
export const DEFAULT_SUBNET_OWNER_CUT = 11796;

function assertU64(name: string, v: bigint): void {
  if (v < 0n || v > U64_MAX) throw new RootNetworkError('InvalidArgument', `${name} must be a u64 (got ${v})`, { [name]: String(v) });
}

/**
 * `blocks_until_next_epoch(netuid, tempo, b) == 0` (spec §2.1): `(b + netuid + 1) mod (tempo + 1) = tempo`;
 * a tempo of 0 never runs. The root epoch uses netuid 0 and `Tempo[0]`.
 */
export function isEpochBlock(netuid: number, tempo: number, block: bigint): boolean {
  if (tempo === 0) return false;
  const period = BigInt(tempo) + 1n;
  return (block + BigInt(netuid) + 1n) % period === BigInt(tempo);
}

/** The first block strictly after `after` at which `netuid` with `tempo` runs its epoch; `null` for tempo 0. */
export function nextEpochBlock(netuid: number, tempo: number, after: bigint): bigint | null {
  if (tempo === 0) return null;
  const period = BigInt(tempo) + 1n;
  // (b + netuid + 2) ≡ 0 (mod period)
  const offset = (((-(after + 1n + BigInt(netuid) + 2n)) % period) + period) % period;
  return after + 1n + offset;
}

/** A network as the accrual step sees it. */
export interface AccrualNetwork {
  readonly netuid: number;
  /** `EmissionValues[netuid]`, rao per block. */
  readonly emissionValue: bigint;
  /** `PendingEmission[netuid]`, rao. */
  readonly pending: bigint;
  /** `NetworkRegistrationAllowed[netuid]`. */
  readonly registrationAllowed: boolean;
}

/**
 * One block's accrual (spec §2 step 2.2): every netuid ≠ 0 with registration allowed adds its
 * `EmissionValues` to `PendingEmission` (u64 saturating); root's own share and registration-disabled
 * subnets accrue nothing (§13.1). Returns the new `PendingEmission` per netuid, in input order.
 */
export function accruePendingEmission(networks: readonly AccrualNetwork[]): Array<readonly [netuid: number, pending: bigint]> {
  return networks.map((n) => {
    assertU64('emissionValue', n.emissionValue);
    assertU64('pending', n.pending);
    if (n.netuid === ROOT_NETUID || !n.registrationAllowed) return [n.netuid, n.pending] as const;
    const sum = n.pending + n.emissionValue;
    return [n.netuid, sum > U64_MAX ? U64_MAX : sum] as const;
  });
}

/** How a subnet's drained `PendingEmission` is split at its epoch block. */
export interface SubnetEmissionSplit {
  /** Minted to the owner coldkey's free balance and to `TotalIssuance`. */
  readonly ownerCut: bigint;
  /** What the Yuma epoch distributes (`E − cut`). */
  readonly toYuma: bigint;
}

/**
 * Spec §2 step 3e: `cut = ⌊E · (SubnetOwnerCut / 65535)⌋` in I96F32 (the proportion itself floored to
 * 32 fractional bits), `toYuma = E − cut`. A subnet without an owner pays no cut (`hasOwner: false`).
 *
 * @param subnetOwnerCut `SubnetOwnerCut`, u16. @default 11796
 * @example splitSubnetEmission(999_999_999_999n) // {ownerCut: 179_995_422_251n, toYuma: 820_004_577_748n}
 * @throws {RootNetworkError} `InvalidArgument` for an emission outside u64 or a cut outside u16.
 */
export function splitSubnetEmission(emission: bigint, subnetOwnerCut: number = DEFAULT_SUBNET_OWNER_CUT, hasOwner = true): SubnetEmissionSplit {
  assertU64('emission', emission);
  if (!Number.isInteger(subnetOwnerCut) || subnetOwnerCut < 0 || subnetOwnerCut > 65535) {
    throw new RootNetworkError('InvalidArgument', `subnetOwnerCut must be a u16 (got ${subnetOwnerCut})`, { subnetOwnerCut });
  }
  if (!hasOwner) return { ownerCut: 0n, toYuma: emission };
  const proportion = div(I96F32, fromInt(I96F32, subnetOwnerCut), fromInt(I96F32, 65535));
  const ownerCut = toIntFloor(I96F32, mul(I96F32, fromInt(I96F32, emission), proportion));
  return { ownerCut, toYuma: emission - ownerCut };
}

/**
 * The issuance at which the emission halves for the `h`-th time (spec §5): the smallest `I` with
 * `I ≥ 21·10¹⁵ · (1 − 2^−h)` rao, i.e. 10.5M TAO for h = 1, 15.75M for h = 2, 18.375M for h = 3 …
 * (exact for h ≤ 64). h = 0 gives 0.
 */
export function halvingThreshold(h: number): bigint {
  if (!Number.isInteger(h) || h < 0 || h > 64) throw new RootNetworkError('InvalidArgument', `halving index must be an integer in [0, 64] (got ${h})`, { h });
  const supply = 21_000_000_000_000_000n;
  const scale = 1n << BigInt(h);
  return (supply * (scale - 1n) + scale - 1n) / scale;
}
