/**
 * Exact I32F32 arithmetic on bits held in a JS `number`.
 *
 * The epoch's values are proportions: their I32F32 bits stay far below 2^53, where doubles hold
 * integers exactly. Each operation below takes a fast path whose preconditions guarantee that every
 * intermediate is an exactly representable integer (so the result is bit-identical to the chain's
 * 64-bit fixed point), and otherwise falls back to BigInt. No result is ever approximate: a value that
 * a `number` cannot hold exactly raises a RangeError instead of being rounded.
 */
import { I32F32, div as divBig, mul as mulBig } from './bigint';

const TWO16 = 65536;
const TWO32 = 4294967296;
const TWO34 = 17179869184;
const TWO36 = 68719476736;
const TWO52 = 4503599627370496;
const TWO53 = 9007199254740992;

export const ONE_BITS = TWO32;

function toExactNumber(bits: bigint): number {
  const x = Number(bits);
  if (!Number.isSafeInteger(x)) throw new RangeError(`fixed-point value ${bits} exceeds the exact range of a number`);
  return x;
}

function mulSlow(a: number, b: number): number {
  return toExactNumber(mulBig(I32F32, BigInt(a), BigInt(b)));
}

function divSlow(a: number, b: number): number {
  return toExactNumber(divBig(I32F32, BigInt(a), BigInt(b)));
}

/** I32F32 `a · b`, floored (substrate-fixed `*`). */
export function mulFix(a: number, b: number): number {
  if (a >= 0 && b >= 0) {
    const p = a * b;
    // A double product below 2^53 is the exact integer product, and /2^32 is exact.
    if (p < TWO53) return Math.floor(p / TWO32);
    if (a < TWO34 && b < TWO34) {
      // Split a = ah·2^16 + al so both partial products stay below 2^53, then carry exactly.
      const ah = Math.floor(a / TWO16);
      const al = a - ah * TWO16;
      const x = ah * b;
      const y = al * b;
      const xh = Math.floor(x / TWO16);
      const xl = x - xh * TWO16;
      return xh + Math.floor((xl * TWO16 + y) / TWO32);
    }
  }
  return mulSlow(a, b);
}

/** I32F32 `a / b`, truncated toward zero (substrate-fixed `/`). `b` must be non-zero. */
export function divFix(a: number, b: number): number {
  if (a >= 0 && b > 0) {
    // For integers x ≤ 2^52, y ≥ 1, the rounded quotient fl(x/y) never reaches the next integer: the gap
    // to it is ≥ 1/y, more than half an ulp of ⌈x/y⌉ because ⌈x/y⌉·y ≤ x + y ≤ 2^53 (or x < y). So floor is exact.
    if (a <= 1048576) return Math.floor((a * TWO32) / b);
    if (a < TWO36 && b < TWO36) {
      // Long division in two 16-bit steps keeps every dividend below 2^52.
      const q1 = Math.floor((a * TWO16) / b);
      if (q1 < TWO36) {
        const r1 = a * TWO16 - q1 * b;
        const q2 = Math.floor((r1 * TWO16) / b);
        return q1 * TWO16 + q2;
      }
    }
  }
  return divSlow(a, b);
}

/** `normalize(v)` in place: divide every element by Σv unless Σv = 0. Returns the sum before normalizing. */
export function normalizeInPlace(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (!(Math.abs(s) <= TWO52)) throw new RangeError('fixed-point sum exceeds the exact range of a number');
  if (s !== 0) for (let i = 0; i < v.length; i++) v[i] = divFix(v[i]!, s);
  return s;
}

/** `fixed_proportion_to_u16`: floor(x · 65535) for I32F32 bits x in [0, 1]. */
export function proportionToU16Fix(x: number): number {
  return Math.floor((x * 65535) / TWO32);
}

/** floor(x · e) for I32F32 bits x ≥ 0 and a u64 rao amount e (the chain's I96F32 multiply). */
export function raoShare(x: number, e: bigint): bigint {
  return (BigInt(x) * e) >> 32n;
}
