/** BigInt substrate-fixed primitives (spec §1; TV12 maxup16 vectors). */
import {
  I32F32,
  I64F64,
  I96F32,
  I110F18,
  convert,
  div,
  fromF64,
  fromInt,
  maxUpscaleToU16,
  mul,
  normalize,
  proportionToU16,
  saturate,
  sum,
  toIntFloor,
  toIntRound,
} from '../../consensus/fixed/bigint';

const ONE = I32F32.one;

describe('fixed types', () => {
  test('default: container bounds and fractional bits', () => {
    expect(I32F32).toEqual({ frac: 32, min: -(1n << 63n), max: (1n << 63n) - 1n, one: 1n << 32n });
    expect(I64F64).toEqual({ frac: 64, min: -(1n << 127n), max: (1n << 127n) - 1n, one: 1n << 64n });
    expect(I96F32).toEqual({ frac: 32, min: -(1n << 127n), max: (1n << 127n) - 1n, one: 1n << 32n });
    expect(I110F18).toEqual({ frac: 18, min: -(1n << 127n), max: (1n << 127n) - 1n, one: 1n << 18n });
  });
});

describe('mul / div', () => {
  test('default: exact products and quotients', () => {
    expect(mul(I32F32, 3n * ONE, ONE / 2n)).toBe(3n * (ONE / 2n));
    expect(div(I32F32, 3n * ONE, 2n * ONE)).toBe(3n * (ONE / 2n));
  });

  test('behavior: mul floors (arithmetic shift), also on negatives', () => {
    expect(mul(I32F32, 1n, ONE / 2n)).toBe(0n);
    expect(mul(I32F32, -1n, ONE / 2n)).toBe(-1n);
    expect(mul(I32F32, -3n, ONE / 2n)).toBe(-2n);
  });

  test('behavior: div truncates toward zero, not floor, on negatives', () => {
    expect(div(I32F32, -1n, 2n * ONE)).toBe(0n);
    expect(div(I32F32, -ONE, 3n * ONE)).toBe(-1_431_655_765n);
    expect(div(I32F32, ONE, -3n * ONE)).toBe(-1_431_655_765n);
    expect(div(I32F32, ONE, 3n * ONE)).toBe(1_431_655_765n);
  });

  test('behavior: results saturate at the container bounds', () => {
    expect(mul(I32F32, I32F32.max, 2n * ONE)).toBe(I32F32.max);
    expect(mul(I32F32, I32F32.min, 2n * ONE)).toBe(I32F32.min);
    expect(div(I32F32, I32F32.min, -ONE)).toBe(I32F32.max);
    expect(div(I32F32, ONE, 1n)).toBe(I32F32.max);
    expect(saturate(I32F32, I32F32.max + 5n)).toBe(I32F32.max);
    expect(saturate(I32F32, I32F32.min - 5n)).toBe(I32F32.min);
  });

  test('error: division by zero throws (the chain would panic)', () => {
    expect(() => div(I32F32, ONE, 0n)).toThrow(RangeError);
  });
});

describe('conversions', () => {
  test('default: fromInt is exact and saturating', () => {
    expect(fromInt(I32F32, 65535)).toBe(65535n << 32n);
    expect(fromInt(I32F32, -2n)).toBe(-2n << 32n);
    expect(fromInt(I32F32, 1n << 31n)).toBe(I32F32.max);
    expect(fromInt(I64F64, (1n << 64n) - 1n)).toBe(I64F64.max);
  });

  test('behavior: fromF64 rounds to nearest, ties to even', () => {
    expect(fromF64(I32F32, 0.25)).toBe(1n << 30n);
    expect(fromF64(I32F32, 0.1)).toBe(429_496_730n);
    expect(fromF64(I32F32, 2 ** -33)).toBe(0n);
    expect(fromF64(I32F32, 3 * 2 ** -33)).toBe(2n);
    expect(fromF64(I32F32, 5 * 2 ** -33)).toBe(2n);
    expect(fromF64(I32F32, 7 * 2 ** -33)).toBe(4n);
    expect(fromF64(I32F32, -3 * 2 ** -33)).toBe(-2n);
    expect(fromF64(I32F32, 1.6 * 2 ** -32)).toBe(2n);
    expect(fromF64(I32F32, 1e20)).toBe(I32F32.max);
    expect(fromF64(I32F32, -0)).toBe(0n);
  });

  test('error: fromF64 refuses non-finite values', () => {
    expect(() => fromF64(I32F32, Number.NaN)).toThrow(RangeError);
    expect(() => fromF64(I32F32, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  test('behavior: toIntFloor floors and toIntRound rounds half away from zero', () => {
    expect(toIntFloor(I32F32, ONE / 2n)).toBe(0n);
    expect(toIntFloor(I32F32, -ONE / 2n)).toBe(-1n);
    expect(toIntRound(I32F32, ONE / 2n)).toBe(1n);
    expect(toIntRound(I32F32, -ONE / 2n)).toBe(-1n);
    expect(toIntRound(I32F32, (5n * ONE) / 2n)).toBe(3n);
    expect(toIntRound(I32F32, ONE / 2n - 1n)).toBe(0n);
  });

  test('behavior: convert widens exactly and floors when narrowing', () => {
    expect(convert(I32F32, I64F64, ONE + 1n)).toBe((ONE + 1n) << 32n);
    expect(convert(I64F64, I32F32, I64F64.one + 1n)).toBe(ONE);
    expect(convert(I64F64, I32F32, -1n)).toBe(-1n);
    expect(convert(I64F64, I32F32, I64F64.max)).toBe(I32F32.max);
  });
});

describe('vector helpers', () => {
  test('default: sum is an exact fold and normalize divides by it', () => {
    expect(sum([1n, 2n, 3n])).toBe(6n);
    expect(normalize(I32F32, [ONE, ONE, ONE])).toEqual([1_431_655_765n, 1_431_655_765n, 1_431_655_765n]);
  });

  test('behavior: normalize leaves a zero-sum vector unchanged', () => {
    expect(normalize(I32F32, [0n, 0n])).toEqual([0n, 0n]);
  });

  test('behavior: proportionToU16 floors x·65535', () => {
    expect(proportionToU16(ONE)).toBe(65535);
    expect(proportionToU16(ONE / 2n)).toBe(32767);
    expect(proportionToU16(0n)).toBe(0);
  });
});

describe('maxUpscaleToU16', () => {
  test('default: TV12 small proportions (converted from f64) scale so the max is 65535', () => {
    const v = [1e-6, 6e-6, 7e-6, 1e-4, 1e-3, 0.01, 0.1, 0.2, 0.3, 0.4].map((x) => fromF64(I32F32, x));
    expect(maxUpscaleToU16(v)).toEqual([0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535]);
  });

  test('behavior: TV12 a max above 32768 takes the ratio branch', () => {
    const v = [0, 0.5, 1, 1.5, 2, 32768, 32769].map((x) => fromF64(I32F32, x));
    expect(maxUpscaleToU16(v)).toEqual([0, 1, 2, 3, 4, 65533, 65535]);
  });

  test('behavior: TV12 u16 weights [0, 1, 65534] → [0, 1, 65535]', () => {
    expect(maxUpscaleToU16([0, 1, 65534].map((w) => fromInt(I32F32, w)))).toEqual([0, 1, 65535]);
  });

  test('behavior: all-zero and empty vectors', () => {
    expect(maxUpscaleToU16([0n, 0n])).toEqual([0, 0]);
    expect(maxUpscaleToU16([])).toEqual([]);
  });
});
