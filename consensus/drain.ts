/**
 * `drain_hotkey_emission` (spec §8.3) as a pure function: how a hotkey's pending emission becomes stake
 * for its nominators and its owner. The caller applies the increments, zeroes the pending maps, clears
 * the stake deltas, sets `LastHotkeyEmissionDrain` and adds `minted` to `TotalIssuance`.
 */
import { ConsensusError } from './errors';
import { I64F64, div, fromInt, mul, toIntFloor } from './fixed/bigint';
import { assertU16, assertU64 } from './validate';

const T = I64F64;
const U64_MAX = (1n << 64n) - 1n;

export interface DrainHotkeyEmissionInput {
  /** `PendingdHotkeyEmission[h]` (e), rao. */
  readonly emission: bigint;
  /** `PendingdHotkeyEmissionUntouchable[h]` (u): miner income and child take, which bypass nominators. @default 0n */
  readonly untouchable?: bigint;
  /** `Delegates[h]`: the hotkey's take, a u16 proportion of 65535. */
  readonly delegateTake: number;
  /** `Owner[h]`: the coldkey that receives the take, the remainder and the untouchable part. */
  readonly owner: string;
  /** `Stake[h][c]` for every coldkey c with an entry (the owner's included when it has one), in storage order. */
  readonly stakes: ReadonlyArray<readonly [coldkey: string, stake: bigint]>;
  /** `StakeDeltaSinceLastEmissionDrain[h][c]` (i128); coldkeys not listed have delta 0. @default [] */
  readonly stakeDeltas?: ReadonlyArray<readonly [coldkey: string, delta: bigint]>;
}

export interface DrainHotkeyEmissionOutput {
  /**
   * Stake to add per coldkey: every coldkey of `stakes` in order (its nominator share, possibly 0), the
   * owner's entry also carrying `take + remainder + untouchable` (appended last when the owner has no stake entry).
   */
  readonly stakeIncrements: ReadonlyArray<readonly [coldkey: string, rao: bigint]>;
  /** The hotkey's take: ⌊(e − u) · take/65535⌋. */
  readonly take: bigint;
  /** Rounding dust of the nominator split, paid to the owner. */
  readonly remainder: bigint;
  /** Σ increments (= e on consistent state): what `TotalIssuance` grows by. */
  readonly minted: bigint;
}

const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
const satAddU64 = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

/** `get_nonviable_stake`: stake added since the last drain earns nothing now; removals do not count. */
function nonviable(delta: bigint | undefined): bigint {
  if (delta === undefined || delta <= 0n) return 0n;
  return delta > U64_MAX ? U64_MAX : delta;
}

/**
 * Splits a hotkey's pending emission (spec §8.3): `x = e − u`, `take = ⌊x · Delegates[h]/65535⌋`
 * (I64F64), `y = x − take`; each coldkey c gets `⌊(viable_c / V) · y⌋` with
 * `viable_c = Stake[h][c] − max(0, delta_c)`, `V = Σ_c Stake[h][c] − Σ_c max(0, delta_c)` (u64 saturating
 * subtractions; no shares when V = 0); the owner gets `take + (y − Σ shares) + u`.
 *
 * `TotalHotkeyStake[h]` is taken as `Σ stakes`, which the chain keeps equal.
 *
 * @example TV10: e = 20, take 6553, nominators 100 + 100, owner 0 → nominators +9 each, owner +2, minted 20.
 * @throws {ConsensusError} `InvalidU64`/`InvalidU16` for out-of-range amounts; `DuplicateUid` when a
 * coldkey is listed twice in `stakes` or `stakeDeltas`.
 */
export function drainHotkeyEmission(input: DrainHotkeyEmissionInput): DrainHotkeyEmissionOutput {
  const { emission, untouchable = 0n, delegateTake, owner, stakes, stakeDeltas = [] } = input;
  assertU64('emission', emission);
  assertU64('untouchable', untouchable);
  assertU16('delegate_take', delegateTake);
  stakes.forEach(([, stake], i) => assertU64(`stakes[${i}]`, stake));
  const deltas = uniqueMap('stake_deltas', stakeDeltas);
  uniqueMap('stakes', stakes);

  const distributable = satSub(emission, untouchable);
  const takeProportion = div(T, fromInt(T, delegateTake), fromInt(T, 65535));
  const take = toIntFloor(T, mul(T, takeProportion, fromInt(T, distributable)));
  const afterTake = satSub(distributable, take);

  let viableTotal = stakes.reduce((s, [, stake]) => s + stake, 0n);
  for (const [coldkey] of stakes) viableTotal = satSub(viableTotal, nonviable(deltas.get(coldkey)));

  const increments = new Map<string, bigint>();
  let remainder = afterTake;
  let minted = 0n;
  for (const [coldkey, stake] of stakes) {
    let share = 0n;
    if (viableTotal !== 0n) {
      const viable = satSub(stake, nonviable(deltas.get(coldkey)));
      share = toIntFloor(T, mul(T, checkedRatio(viable, viableTotal), fromInt(T, afterTake)));
    }
    increments.set(coldkey, share);
    remainder = satSub(remainder, share);
    minted = satAddU64(minted, share);
  }

  const ownerPart = satAddU64(satAddU64(take, remainder), untouchable);
  increments.set(owner, satAddU64(increments.get(owner) ?? 0n, ownerPart));
  minted = satAddU64(minted, ownerPart);
  return { stakeIncrements: [...increments], take, remainder, minted };
}

/** `viable / V` in I64F64 via `checked_div(..).unwrap_or(0)`: only inconsistent deltas can push it past the type. */
function checkedRatio(viable: bigint, total: bigint): bigint {
  const q = (viable << BigInt(T.frac)) / total;
  return q > T.max ? 0n : q;
}

function uniqueMap(field: string, entries: ReadonlyArray<readonly [string, bigint]>): Map<string, bigint> {
  const map = new Map<string, bigint>();
  for (const [coldkey, value] of entries) {
    if (map.has(coldkey)) throw new ConsensusError('DuplicateUid', `${field} lists coldkey ${coldkey} twice`, { field, coldkey });
    map.set(coldkey, value);
  }
  return map;
}
