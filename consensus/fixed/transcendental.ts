/**
 * substrate-fixed's own transcendental algorithms (spec §1 "Transcendentals"), on raw bits for any
 * `FixedType`: a fixed Taylor series for `exp`, repeated squaring for `log2`, and `ln = log2 / log2(e)`.
 * They are not IEEE functions — every step floors or truncates exactly as the Rust crate does, which is
 * what makes root emissions, liquid alpha and the halving schedule bit-exact.
 */
import { TensornetError } from '../../common/errors';
import { div, type FixedType } from './bigint';

/** Why a transcendental function returned `Err` on chain. */
export type FixedPointErrorCode =
  /** A checked multiply/divide/add left the container's range (or divided by zero). */
  | 'FixedPointOverflow'
  /** The argument is outside the function's domain (`log2`/`ln` of x ≤ 0). */
  | 'FixedPointDomain';

/** substrate-fixed returned `Err(())`; `safeExp`/`safeLn` turn it into 0 the way subtensor's helpers do. */
export class FixedPointError extends TensornetError<FixedPointErrorCode> {}

// substrate-fixed keeps its constants in I9F23: ⌊e·2²³⌋ and ⌊log2(e)·2²³⌋.
const CONST_FRAC = 23;
const E_I9F23 = 22_802_600n;
const LOG2_E_I9F23 = 12_102_203n;

/** An I9F23 constant widened (or, for types with fewer than 23 fractional bits, floored) into `t`. */
function constant(t: FixedType, bits: bigint): bigint {
  const shift = t.frac - CONST_FRAC;
  return shift >= 0 ? bits << BigInt(shift) : bits >> BigInt(-shift);
}

function checked(t: FixedType, bits: bigint, op: string): bigint {
  if (bits < t.min || bits > t.max) {
    throw new FixedPointError('FixedPointOverflow', `fixed-point ${op} overflows a ${t.frac}-fractional-bit type`, { op, frac: t.frac });
  }
  return bits;
}

function checkedMul(t: FixedType, a: bigint, b: bigint): bigint {
  return checked(t, (a * b) >> BigInt(t.frac), 'mul');
}

function checkedDiv(t: FixedType, a: bigint, b: bigint): bigint {
  if (b === 0n) throw new FixedPointError('FixedPointOverflow', 'fixed-point division by zero', { op: 'div', frac: t.frac });
  return checked(t, (a << BigInt(t.frac)) / b, 'div');
}

function assertInRange(t: FixedType, x: bigint): void {
  if (x < t.min || x > t.max) throw new RangeError(`bits ${x} do not fit a ${t.frac}-fractional-bit type`);
}

/**
 * `substrate_fixed::transcendental::exp` (spec §1): `x = 0 → 1`, `x = 1 → ⌊e·2²³⌋/2²³`, otherwise the
 * Taylor sum `1 + |x| + Σ_{i=2}^{f−1} t_i` with `t_i = ⌊⌊t_{i−1}·|x|⌋ / i⌋`, inverted for negative x.
 * Note that only x = +1 takes the constant; x = −1 goes through the series.
 *
 * @param t the type (`I32F32` for liquid alpha, `I64F64` for the root epoch).
 * @param x the argument's bits.
 * @returns the result's bits.
 * @throws {FixedPointError} `FixedPointOverflow` when any checked step leaves the type's range.
 */
export function expFixed(t: FixedType, x: bigint): bigint {
  assertInRange(t, x);
  if (x === 0n) return t.one;
  if (x === t.one) return constant(t, E_I9F23);
  const neg = x < 0n;
  const ax = checked(t, neg ? -x : x, 'neg');
  let result = checked(t, ax + t.one, 'add');
  let term = ax;
  for (let i = 2; i < t.frac; i++) {
    term = checkedMul(t, term, ax);
    term = checkedDiv(t, term, BigInt(i) << BigInt(t.frac));
    result = checked(t, result + term, 'add');
  }
  return neg ? checkedDiv(t, t.one, result) : result;
}

/** `log2_inner`: log2 of x ≥ 1 by halving to [1, 2) and then squaring out one fractional bit at a time. */
function log2Inner(t: FixedType, x: bigint): bigint {
  const two = t.one << 1n;
  const f = BigInt(t.frac);
  // Halving rounds half up on the dropped bit (substrate-fixed's `rs`).
  const halve = (v: bigint): bigint => (v >> 1n) + (v & 1n);
  let result = 0n;
  while (x >= two) {
    result += 1n;
    x = halve(x);
  }
  if (x === t.one) return result << f;
  for (let i = 0; i < t.frac; i++) {
    // x ∈ [1, 2] here, so x² ≤ 4 always fits the container: no wrap/saturation question arises.
    x = (x * x) >> f;
    result <<= 1n;
    if (x >= two) {
      result |= 1n;
      x = halve(x);
    }
  }
  return result;
}

/**
 * `substrate_fixed::transcendental::log2` (spec §1): `x ≤ 0 → Err`; `x < 1 → −L(div(1, x))`; else `L(x)`.
 *
 * `div(1, x)` saturates as the spec's `div` does. It only overflows for the single input `bits = 1`
 * (1/x = 2^(width−f)), where the Rust crate's `checked_div(..).unwrap()` would panic instead; the spec and
 * its reference model saturate, giving −L(max).
 *
 * @throws {FixedPointError} `FixedPointDomain` for x ≤ 0.
 */
export function log2Fixed(t: FixedType, x: bigint): bigint {
  assertInRange(t, x);
  if (x <= 0n) throw new FixedPointError('FixedPointDomain', 'log2 of a non-positive value', { frac: t.frac, bits: String(x) });
  if (x < t.one) return -log2Inner(t, div(t, t.one, x));
  return log2Inner(t, x);
}

/**
 * `substrate_fixed::transcendental::ln` (spec §1): `log2(x) / ⌊log2(e)·2²³⌋/2²³`, the division
 * truncating toward zero.
 *
 * @throws {FixedPointError} as {@link log2Fixed}.
 */
export function lnFixed(t: FixedType, x: bigint): bigint {
  return (log2Fixed(t, x) << BigInt(t.frac)) / constant(t, LOG2_E_I9F23);
}

function orZero(fn: () => bigint): bigint {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FixedPointError) return 0n;
    throw err;
  }
}

/** subtensor's `safe_exp` (spec §1, §3.7): {@link expFixed}, with `Err` mapped to 0. */
export function safeExp(t: FixedType, x: bigint): bigint {
  return orZero(() => expFixed(t, x));
}

/** subtensor's `safe_ln` (spec §1, §3.7): {@link lnFixed}, with `Err` (x ≤ 0) mapped to 0. */
export function safeLn(t: FixedType, x: bigint): bigint {
  return orZero(() => lnFixed(t, x));
}
