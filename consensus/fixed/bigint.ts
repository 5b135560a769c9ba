/**
 * substrate-fixed arithmetic on raw bits held in a `bigint` (value = bits / 2^frac), for any of the
 * chain's signed types: I32F32 (64-bit container, 32 fractional bits), I64F64 (128, 64), I96F32 (128, 32),
 * I110F18 (128, 18). Semantics follow spec §1: add/sub exact, `mul` floors, `div` truncates toward zero,
 * the saturating variants clamp to the container's range.
 */

export interface FixedType {
  /** Fractional bits. */
  readonly frac: number;
  /** Smallest representable bits value (−2^(width−1)). */
  readonly min: bigint;
  /** Largest representable bits value (2^(width−1) − 1). */
  readonly max: bigint;
  /** Bits of 1.0. */
  readonly one: bigint;
}

function fixedType(width: number, frac: number): FixedType {
  const half = 1n << BigInt(width - 1);
  return Object.freeze({ frac, min: -half, max: half - 1n, one: 1n << BigInt(frac) });
}

export const I32F32 = fixedType(64, 32);
export const I64F64 = fixedType(128, 64);
export const I96F32 = fixedType(128, 32);
export const I110F18 = fixedType(128, 18);

export function saturate(t: FixedType, bits: bigint): bigint {
  return bits < t.min ? t.min : bits > t.max ? t.max : bits;
}

/** An integer as fixed-point bits (saturating). */
export function fromInt(t: FixedType, n: bigint | number): bigint {
  return saturate(t, BigInt(n) << BigInt(t.frac));
}

/** `a · b` with the product floored to the type's resolution (arithmetic shift), saturating. */
export function mul(t: FixedType, a: bigint, b: bigint): bigint {
  return saturate(t, (a * b) >> BigInt(t.frac));
}

/** `a / b` truncating toward zero, saturating. Division by zero throws a RangeError (the chain would panic). */
export function div(t: FixedType, a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('fixed-point division by zero');
  // BigInt division truncates toward zero, which is exactly substrate-fixed's rule.
  return saturate(t, (a << BigInt(t.frac)) / b);
}

/** Floor to an integer (`to_num::<uN>()` on a non-negative value; negative values floor too). */
export function toIntFloor(t: FixedType, bits: bigint): bigint {
  return bits >> BigInt(t.frac);
}

/** Round half away from zero to an integer (`round()` then `to_num`). */
export function toIntRound(t: FixedType, bits: bigint): bigint {
  const half = 1n << BigInt(t.frac - 1);
  return bits >= 0n ? (bits + half) >> BigInt(t.frac) : -((-bits + half) >> BigInt(t.frac));
}

/** Re-express bits of `from` in `to`, flooring when `to` has fewer fractional bits, saturating. */
export function convert(from: FixedType, to: FixedType, bits: bigint): bigint {
  const shift = to.frac - from.frac;
  return saturate(to, shift >= 0 ? bits << BigInt(shift) : bits >> BigInt(-shift));
}

/**
 * `from_num(f64)`: round to nearest, ties to even. Exact: every finite double is a dyadic rational,
 * so its bits are computed from the double's own mantissa and exponent.
 */
export function fromF64(t: FixedType, x: number): bigint {
  if (!Number.isFinite(x)) throw new RangeError(`cannot convert ${x} to fixed point`);
  if (x === 0) return 0n;
  const neg = x < 0;
  let m = Math.abs(x);
  let e = 0;
  // Scale to an integer mantissa: m · 2^e with m an integer < 2^53.
  while (!Number.isInteger(m)) {
    m *= 2;
    e -= 1;
  }
  const mant = BigInt(m);
  const shift = e + t.frac; // bits = mant · 2^shift
  let bits: bigint;
  if (shift >= 0) {
    bits = mant << BigInt(shift);
  } else {
    const s = BigInt(-shift);
    const q = mant >> s;
    const r = mant - (q << s);
    const half = 1n << (s - 1n);
    bits = r > half || (r === half && (q & 1n) === 1n) ? q + 1n : q;
  }
  return saturate(t, neg ? -bits : bits);
}

/** Exact sum (a left fold, as `Iterator::sum` does). */
export function sum(values: Iterable<bigint>): bigint {
  let s = 0n;
  for (const v of values) s += v;
  return s;
}

/** `normalize(v)`: leave unchanged if Σv = 0, else divide every element by Σv. */
export function normalize(t: FixedType, v: readonly bigint[]): bigint[] {
  const s = sum(v);
  return s === 0n ? v.slice() : v.map((x) => div(t, x, s));
}

/** `fixed_proportion_to_u16`: floor(x · 65535) for an I32F32 proportion. */
export function proportionToU16(x: bigint): number {
  return Number(mul(I32F32, x, fromInt(I32F32, 65535)) >> 32n);
}

/**
 * `vec_max_upscale_to_u16` (spec §1 "maxup16"): scale so the largest element becomes 65535, rounding
 * half away from zero; an all-zero vector maps through `floor(x · 65535)`.
 */
export function maxUpscaleToU16(v: readonly bigint[]): number[] {
  if (v.length === 0) return [];
  let m = v[0]!;
  for (const x of v) if (x > m) m = x;
  const u16max = fromInt(I32F32, 65535);
  if (m === 0n) return v.map((x) => Number(mul(I32F32, x, u16max) >> 32n));
  if (m > fromInt(I32F32, 32768)) {
    const ratio = div(I32F32, u16max, m);
    return v.map((x) => Number(toIntRound(I32F32, mul(I32F32, x, ratio))));
  }
  return v.map((x) => Number(toIntRound(I32F32, div(I32F32, mul(I32F32, x, u16max), m))));
}
