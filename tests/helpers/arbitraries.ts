/** fast-check generators of Yuma epoch inputs, biased toward the chain's edge cases (zeros, ties, masks). */
import fc from 'fast-check';
import type { SparseU16Row, YumaEpochInput, YumaHyperparameters } from '../../consensus/types';

const u16Weight = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 65535 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 32767, 32768, 65535) },
);

function sparseRow(n: number, density: number): fc.Arbitrary<SparseU16Row> {
  return fc
    .tuple(fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.array(u16Weight, { minLength: n, maxLength: n }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([mask, values, roll]) => {
      const row: [number, number][] = [];
      for (let j = 0; j < n; j++) if (mask[j] && roll < density + 0.5) row.push([j, values[j]!]);
      return row;
    });
}

const stakeValue = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: 10n ** 13n }) },
  { weight: 1, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }) },
);

export interface EpochArbitraryOptions {
  readonly maxN?: number;
  readonly liquidAlpha?: boolean;
}

export function yumaInputArbitrary(opts: EpochArbitraryOptions = {}): fc.Arbitrary<YumaEpochInput> {
  const maxN = opts.maxN ?? 16;
  return fc.integer({ min: 1, max: maxN }).chain((n) => {
    const hyper: fc.Arbitrary<YumaHyperparameters> = fc.record({
      kappa: fc.oneof(fc.constant(32767), fc.integer({ min: 0, max: 65535 })),
      bondsMovingAverage: fc.oneof(fc.constant(900_000n), fc.bigInt({ min: 0n, max: 1_000_000n })),
      activityCutoff: fc.oneof(fc.constant(5000), fc.integer({ min: 0, max: 200 })),
      maxAllowedValidators: fc.integer({ min: 0, max: n + 2 }),
      liquidAlphaEnabled: opts.liquidAlpha === undefined ? fc.boolean() : fc.constant(opts.liquidAlpha),
      alphaLow: fc.oneof(fc.constant(45875), fc.integer({ min: 0, max: 65535 })),
      alphaHigh: fc.oneof(fc.constant(58982), fc.integer({ min: 0, max: 65535 })),
    });
    const block = 1000;
    return fc.record({
      n: fc.constant(n),
      block: fc.constant(block),
      stake: fc.array(stakeValue, { minLength: n, maxLength: n }),
      weights: fc.array(sparseRow(n, 0.5), { minLength: n, maxLength: n }),
      bonds: fc.array(sparseRow(n, 0.3), { minLength: n, maxLength: n }),
      lastUpdate: fc.array(fc.integer({ min: 700, max: block }), { minLength: n, maxLength: n }),
      blockAtRegistration: fc.array(fc.integer({ min: 600, max: 900 }), { minLength: n, maxLength: n }),
      validatorPermit: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      emission: fc.oneof(fc.constant(1_000_000_000n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
      hyperparameters: hyper,
    });
  });
}
