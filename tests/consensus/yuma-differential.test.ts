/**
 * The fast exact engine (number-held fixed point, sparse CSR) must equal the naive BigInt port of the
 * spec on every input — not just on the recorded vectors. fast-check explores edge cases (zero stake,
 * u64-extreme stake, empty and zero-valued rows, outdated masks, permits churn, liquid alpha) with a fixed seed.
 */
import fc from 'fast-check';
import { yumaEpochBigInt } from '../../consensus/reference/yuma-bigint';
import { yumaEpoch } from '../../consensus/yuma';
import type { YumaEpochOutput } from '../../consensus/types';
import { yumaInputArbitrary } from '../helpers/arbitraries';

const comparable = (out: YumaEpochOutput) => ({ ...out, bonds: out.bonds.toRows() });

describe('yumaEpoch equals the naive BigInt engine', () => {
  test('behavior: random small subnets, constant EMA and liquid alpha', () => {
    fc.assert(
      fc.property(yumaInputArbitrary({ maxN: 12 }), (input) => {
        expect(comparable(yumaEpoch(input))).toEqual(comparable(yumaEpochBigInt(input)));
      }),
      { seed: 20261123, numRuns: 400 },
    );
  });

  test('behavior: larger subnets with liquid alpha on', () => {
    fc.assert(
      fc.property(yumaInputArbitrary({ maxN: 48, liquidAlpha: true }), (input) => {
        expect(comparable(yumaEpoch(input))).toEqual(comparable(yumaEpochBigInt(input)));
      }),
      { seed: 7, numRuns: 60 },
    );
  });
});
