/**
 * Burn and PoW-difficulty retargeting (spec §6.3, `block_step` step 1), as pure functions of the
 * interval's registration counters. Whether an adjustment interval has elapsed
 * (`b − LastAdjustmentBlock ≥ AdjustmentInterval`) and resetting the counters are the caller's job.
 */
import { ConsensusError } from './errors';
import { I110F18, div, fromInt, mul, saturate, toIntFloor } from './fixed/bigint';
import { assertU16, assertU64 } from './validate';

const T = I110F18;
const U16_MAX = 65535;
const U64_MAX = (1n << 64n) - 1n;

export interface NextRegistrationValueParams {
  /** The current `Burn` or `Difficulty` (u64). */
  readonly current: bigint;
  /** `RegistrationsThisInterval` (u16): r. */
  readonly registrationsThisInterval: number;
  /** `TargetRegistrationsPerInterval` (u16): t, must be non-zero. */
  readonly targetRegistrationsPerInterval: number;
  /** `AdjustmentAlpha` (u64 proportion of u64::MAX): the weight kept on the current value. */
  readonly adjustmentAlpha: bigint;
  /** `MinBurn` / `MinDifficulty` (u64). */
  readonly min: bigint;
  /** `MaxBurn` / `MaxDifficulty` (u64). */
  readonly max: bigint;
}

/**
 * `upgraded_burn` / `upgraded_difficulty` (spec §6.3): `α·v + (1−α)·v·(r+t)/(2t)` in I110F18, with
 * `α = AdjustmentAlpha / u64::MAX` (only 18 fractional bits survive: 0.97 → 254279/2¹⁸). `r + t` and
 * `2t` are u16 sums saturating at 65535, as on chain. The result is `max` if it reaches `max`, `min`
 * if it is at or below `min`, else floored.
 *
 * @example nextRegistrationValue({ current: 1000n, registrationsThisInterval: 2, targetRegistrationsPerInterval: 1,
 *   adjustmentAlpha: 58000n, min: 1n, max: 100_000_000_000n }) // 1500n
 * @throws {ConsensusError} `InvalidU16`/`InvalidU64` for out-of-range fields; `InvalidHyperparameter` for
 * a zero target (the chain divides by zero and panics).
 */
export function nextRegistrationValue(params: NextRegistrationValueParams): bigint {
  const { current, registrationsThisInterval: r, targetRegistrationsPerInterval: t, adjustmentAlpha, min, max } = params;
  assertU64('current', current);
  assertU16('registrations_this_interval', r);
  assertU16('target_registrations_per_interval', t);
  assertU64('adjustment_alpha', adjustmentAlpha);
  assertU64('min', min);
  assertU64('max', max);
  if (t === 0) {
    throw new ConsensusError('InvalidHyperparameter', 'target_registrations_per_interval must be non-zero to retarget', {
      field: 'target_registrations_per_interval',
      value: t,
    });
  }

  const v = fromInt(T, current);
  const scaled = div(T, mul(T, v, fromInt(T, Math.min(r + t, U16_MAX))), fromInt(T, Math.min(2 * t, U16_MAX)));
  const alpha = div(T, fromInt(T, adjustmentAlpha), fromInt(T, U64_MAX));
  const next = saturate(T, mul(T, alpha, v) + mul(T, saturate(T, T.one - alpha), scaled));
  if (next >= fromInt(T, max)) return max;
  if (next <= fromInt(T, min)) return min;
  return toIntFloor(T, next);
}

export interface RetargetRegistrationParams {
  /** Current `Burn`, rao. */
  readonly burn: bigint;
  /** Current `Difficulty`. */
  readonly difficulty: bigint;
  /** `RegistrationsThisInterval` (u16): r. */
  readonly registrations: number;
  /** `POWRegistrationsThisInterval` (u16): p. */
  readonly powRegistrations: number;
  /** `BurnRegistrationsThisInterval` (u16): q. */
  readonly burnRegistrations: number;
  /** `TargetRegistrationsPerInterval` (u16): t. */
  readonly target: number;
  /** `AdjustmentAlpha` (u64). */
  readonly alpha: bigint;
  readonly minBurn: bigint;
  readonly maxBurn: bigint;
  readonly minDifficulty: bigint;
  readonly maxDifficulty: bigint;
}

export interface RetargetRegistrationResult {
  readonly burn: bigint;
  readonly difficulty: bigint;
}

/**
 * One interval's retarget (spec §6.3). Which value moves depends on the interval's mix of PoW (p) and
 * burned (q) registrations — the formula's direction comes from r vs t:
 *
 * | | p > q | p < q | p = q |
 * |---|---|---|---|
 * | r > t (too many: raise) | difficulty | burn | both |
 * | r ≤ t (too few: lower) | burn | difficulty | both |
 *
 * @throws {ConsensusError} as {@link nextRegistrationValue} for an updated value.
 */
export function retargetRegistration(params: RetargetRegistrationParams): RetargetRegistrationResult {
  const { registrations: r, powRegistrations: p, burnRegistrations: q, target: t } = params;
  assertU16('pow_registrations_this_interval', p);
  assertU16('burn_registrations_this_interval', q);
  // Too many registrations: raise the price of the popular route. Too few: lower the price of the unpopular one.
  const [updateDifficulty, updateBurn] = r > t ? [p >= q, p <= q] : [p <= q, p >= q];
  const next = (current: bigint, min: bigint, max: bigint): bigint =>
    nextRegistrationValue({ current, registrationsThisInterval: r, targetRegistrationsPerInterval: t, adjustmentAlpha: params.alpha, min, max });
  return {
    burn: updateBurn ? next(params.burn, params.minBurn, params.maxBurn) : params.burn,
    difficulty: updateDifficulty ? next(params.difficulty, params.minDifficulty, params.maxDifficulty) : params.difficulty,
  };
}
