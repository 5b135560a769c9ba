import { yumaEpochBigInt } from '../../consensus/reference/yuma-bigint';
import { yumaEpochFloat64 } from '../../consensus/reference/yuma-float64';
import { loadYumaVectors, recordedPart } from '../helpers/vectors';
import type { YumaExpectedOutput } from '../helpers/vectors';

const vectors = loadYumaVectors();
const cases = vectors.flatMap((v) => v.epochs.map((e, k) => ({ label: `${v.name} epoch ${k} (block ${e.block})`, ...e })));

describe('naive BigInt reference against chain-recorded vectors', () => {
  test('default: every yuma vector is loaded', () => {
    expect(vectors.map((v) => v.name)).toEqual(['bonds_accumulate', 'honest_majority', 'random_8x40', 'single_validator', 'uniform_weights', 'validator_no_weights']);
    expect(cases).toHaveLength(16);
  });

  test.each(cases)('behavior: $label is bit-identical', ({ input, expected }) => {
    expect(recordedPart(yumaEpochBigInt(input))).toEqual(expected);
  });
});

/** Largest |a − b| over two equal-length u16 vectors. */
function maxU16Gap(a: readonly number[], b: readonly number[]): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);
}

/** Largest |a − b| / E over rao vectors (E = the epoch's emission). */
function maxRaoGap(a: readonly bigint[], b: readonly bigint[], e: bigint): number {
  expect(a).toHaveLength(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(Number(x - b[i]!)) / Number(e)), 0);
}

const U16_FIELDS = ['rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'pruningScores'] as const;
const RAO_FIELDS = ['emission', 'serverEmission', 'validatorEmission'] as const;

describe('float64 baseline against chain-recorded vectors', () => {
  test.each(cases)('behavior: $label is within a few u16 units and 1e-6 of E', ({ input, expected }) => {
    const out: YumaExpectedOutput = recordedPart(yumaEpochFloat64(input));
    const exp: YumaExpectedOutput = expected;
    // List the offending fields with their gaps, so a failure says where the float drifted.
    const u16Over = U16_FIELDS.map((f) => [f, maxU16Gap(out[f], exp[f])] as const).filter(([, gap]) => gap > 3);
    expect(u16Over).toEqual([]);
    const raoOver = RAO_FIELDS.map((f) => [f, maxRaoGap(out[f], exp[f], input.emission)] as const).filter(([, gap]) => gap >= 1e-6);
    expect(raoOver).toEqual([]);
    expect(out.active).toEqual(exp.active);
    expect(out.validatorPermit).toEqual(exp.validatorPermit);
    expect(out.bonds.map((row) => row.map(([j]) => j))).toEqual(exp.bonds.map((row) => row.map(([j]) => j)));
    const bondGap = out.bonds.reduce((m, row, i) => row.reduce((mm, [, v], k) => Math.max(mm, Math.abs(v - exp.bonds[i]![k]![1])), m), 0);
    expect(bondGap).toBeLessThanOrEqual(3);
  });
});
