/**
 * substrate-fixed exp / log2 / ln (spec §1: docs/chain-semantics.md). Expected bits were cross-checked
 * with an independent Python model of substrate-fixed's algorithms (not part of this repository).
 */
import { I32F32, I64F64, I96F32, div, fromInt, mul } from '../../consensus/fixed/bigint';
import { FixedPointError, expFixed, lnFixed, log2Fixed, safeExp, safeLn } from '../../consensus/fixed/transcendental';

const ONE32 = I32F32.one;
const ONE64 = I64F64.one;

describe('expFixed', () => {
  test('default: exp(0) = 1 and exp(1) is the I9F23 constant ⌊e·2²³⌋/2²³', () => {
    expect(expFixed(I32F32, 0n)).toBe(ONE32);
    expect(expFixed(I32F32, ONE32)).toBe(22_802_600n << 9n);
    expect(expFixed(I64F64, ONE64)).toBe(22_802_600n << 41n);
  });

  test.each([
    [-ONE32, 1_580_030_169n],
    [ONE32 / 2n, 7_081_203_935n],
    [-ONE32 / 2n, 2_605_029_348n],
    [3n * ONE32, 86_266_724_198n],
    [-5n * ONE32, 28_939_262n],
    [10n * ONE32, 94_602_947_905_357n],
    [7n << 31n, 142_229_783_146n],
    [1n, 4_294_967_297n],
    [-1n, 4_294_967_295n],
    [123_456_789n, 4_420_215_560n],
  ])('behavior: I32F32 exp(%p bits) = %p (Taylor to i = 31, matches the Python model)', (x, expected) => {
    expect(expFixed(I32F32, x)).toBe(expected);
  });

  test('behavior: exp(−1) runs the series instead of inverting the e constant', () => {
    expect(expFixed(I32F32, -ONE32)).not.toBe(div(I32F32, ONE32, expFixed(I32F32, ONE32)));
  });

  test.each([
    [-5n * ONE64, 124_293_183_874_348_897n],
    [-(3n << 63n), 4_116_024_959_383_911_113n],
    [1n << 63n, 30_413_539_329_486_470_288n],
    [-ONE64, 6_786_177_901_268_885_275n],
    [15n * ONE64, 60_302_726_842_503_476_852_359_926n],
    [-15n * ONE64, 5_642_901_817_851n],
  ])('behavior: I64F64 exp(%p bits) = %p (Taylor to i = 63, matches the Python model)', (x, expected) => {
    expect(expFixed(I64F64, x)).toBe(expected);
  });

  test.each([
    ['I32F32', I32F32, 21n],
    ['I32F32', I32F32, 22n],
    ['I32F32', I32F32, -22n],
    ['I64F64', I64F64, 43n],
    ['I64F64', I64F64, 44n],
  ])('error: %s exp(%p) overflows a checked step → FixedPointOverflow', (_name, t, x) => {
    expect(() => expFixed(t, fromInt(t, x))).toThrow(FixedPointError);
    expect(() => expFixed(t, fromInt(t, x))).toThrow(expect.objectContaining({ code: 'FixedPointOverflow' }) as Error);
  });

  test('error: exp of the most negative value overflows (|x| does not fit)', () => {
    expect(() => expFixed(I32F32, I32F32.min)).toThrow(expect.objectContaining({ code: 'FixedPointOverflow' }) as Error);
  });

  test('error: bits outside the container are a programming error (RangeError)', () => {
    expect(() => expFixed(I32F32, I32F32.max + 1n)).toThrow(RangeError);
    expect(() => log2Fixed(I32F32, I32F32.max + 1n)).toThrow(RangeError);
  });
});

describe('log2Fixed', () => {
  test('default: exact powers of two', () => {
    expect(log2Fixed(I32F32, ONE32)).toBe(0n);
    expect(log2Fixed(I32F32, 2n * ONE32)).toBe(ONE32);
    expect(log2Fixed(I32F32, ONE32 / 2n)).toBe(-ONE32);
    expect(log2Fixed(I64F64, 1n << 70n)).toBe(6n * ONE64);
  });

  test.each([
    [3n * ONE32, 6_807_362_105n],
    [5n * ONE32, 9_972_605_231n],
    [3_006_509_875n, -2_210_007_414n],
    [429_496_730n, -14_267_572_521n],
    [1_288_490_189n, -7_460_210_420n],
    [I32F32.max, 133_143_986_176n],
  ])('behavior: I32F32 log2(%p bits) = %p (matches the Python model)', (x, expected) => {
    expect(log2Fixed(I32F32, x)).toBe(expected);
  });

  test('behavior: log2 of the smallest positive value saturates 1/x (spec div), giving −31', () => {
    expect(log2Fixed(I32F32, 1n)).toBe(-31n * ONE32);
  });

  test.each([
    [3n * ONE64, 29_237_397_617_229_858_719n],
    [10n * ONE64, 61_278_757_397_652_712_441n],
    [ONE64 + 1n, 1n],
    [12_345_678_901_234_567_890_123n, 173_148_966_117_817_123_422n],
  ])('behavior: I64F64 log2(%p bits) = %p (matches the Python model)', (x, expected) => {
    expect(log2Fixed(I64F64, x)).toBe(expected);
  });

  test('behavior: I96F32 (the halving curve) uses the same bits as I32F32 for values that fit both', () => {
    expect(log2Fixed(I96F32, 4_000_000n * ONE32)).toBe(94_195_369_755n);
    expect(log2Fixed(I96F32, 3n * ONE32)).toBe(log2Fixed(I32F32, 3n * ONE32));
  });

  test.each([0n, -1n, -ONE32])('error: log2(%p) is outside the domain → FixedPointDomain', (x) => {
    expect(() => log2Fixed(I32F32, x)).toThrow(expect.objectContaining({ code: 'FixedPointDomain' }) as Error);
  });
});

describe('lnFixed', () => {
  test('default: ln(1) = 0 and ln(2) = 1/log2(e)₂₃', () => {
    expect(lnFixed(I32F32, ONE32)).toBe(0n);
    expect(lnFixed(I32F32, 2n * ONE32)).toBe(2_977_044_511n);
  });

  test.each([
    [3n * ONE32, 4_718_503_913n],
    [ONE32 / 2n, -2_977_044_511n],
    [5n * ONE32, 6_912_483_290n],
    [3_006_509_875n, -1_531_860_428n],
    [429_496_730n, -9_889_527_798n],
    [1n, -92_288_379_858n],
  ])('behavior: I32F32 ln(%p bits) = %p (division truncates toward zero; matches the Python model)', (x, expected) => {
    expect(lnFixed(I32F32, x)).toBe(expected);
  });

  test.each([
    [3n * ONE64, 20_265_819_995_836_735_732n],
    [10n * ONE64, 42_475_198_485_433_497_091n],
  ])('behavior: I64F64 ln(%p bits) = %p', (x, expected) => {
    expect(lnFixed(I64F64, x)).toBe(expected);
  });

  test('error: ln(0) → FixedPointDomain', () => {
    expect(() => lnFixed(I32F32, 0n)).toThrow(FixedPointError);
  });
});

describe('safeExp / safeLn', () => {
  test('default: pass values through', () => {
    expect(safeExp(I32F32, ONE32)).toBe(expFixed(I32F32, ONE32));
    expect(safeLn(I32F32, 3n * ONE32)).toBe(4_718_503_913n);
  });

  test('behavior: Err maps to 0 as the chain helpers do', () => {
    expect(safeExp(I32F32, fromInt(I32F32, 30))).toBe(0n);
    expect(safeExp(I32F32, fromInt(I32F32, -30))).toBe(0n);
    expect(safeLn(I32F32, 0n)).toBe(0n);
    expect(safeLn(I32F32, -ONE32)).toBe(0n);
  });

  test('error: non-fixed-point errors are not swallowed', () => {
    expect(() => safeExp(I32F32, I32F32.max + 1n)).toThrow(RangeError);
  });

  test('behavior: TV6 liquid alphas (first liquid epoch of test_bonds_with_liquid_alpha)', () => {
    // Consensus of that epoch and its quantiles (Q(C, .75) = C₅ + ⌊(C₆ − C₅)·0.25⌋, Q(C, .25) = 0), from the Python model.
    const consensus = [0n, 0n, 0n, 0n, 429_486_243n, 858_998_702n, 1_288_458_730n, 1_718_023_619n];
    const high = 966_363_709n;
    const low = 0n;
    const alphaLow = div(I32F32, fromInt(I32F32, 45875), fromInt(I32F32, 65535));
    const alphaHigh = div(I32F32, fromInt(I32F32, 58982), fromInt(I32F32, 65535));
    const lnLow = safeLn(I32F32, div(I32F32, ONE32, alphaLow) - ONE32);
    const lnHigh = safeLn(I32F32, div(I32F32, ONE32, alphaHigh) - ONE32);
    const a = div(I32F32, lnHigh - lnLow, low - high);
    const b = lnLow + mul(I32F32, a, low);
    expect([a, b]).toEqual([25_769_434_845n, -3_639_272_687n]);

    const alphas = consensus.map((c) => {
      const sigmoid = div(I32F32, ONE32, ONE32 + safeExp(I32F32, b - mul(I32F32, a, c)));
      const capped = sigmoid > alphaHigh ? alphaHigh : sigmoid;
      return capped < alphaLow ? alphaLow : capped;
    });
    expect(alphas).toEqual([3_006_509_884n, 3_006_509_884n, 3_006_509_884n, 3_006_509_884n, 3_477_137_849n, 3_803_953_661n, 3_865_503_334n, 3_865_503_334n]);
    expect(alphas.map((x) => (Number(x) / 2 ** 32).toFixed(8))).toEqual([
      '0.70000763',
      '0.70000763',
      '0.70000763',
      '0.70000763',
      '0.80958424',
      '0.88567698',
      '0.90000763',
      '0.90000763',
    ]);
  });
});
