/**
 * Incentive properties of Yuma consensus, on seeded random subnets:
 * - a cabal with < 50% of active stake that puts all its weight on its own miners earns less in total
 *   (its miners' incentive + its validators' dividends) than by voting honestly, and its vtrust falls
 *   below every honest validator's;
 * - with > 50% the same strategy pays (the κ boundary is real);
 * - outputs do not depend on uid order when stakes are distinct (no tie rule is involved).
 */
import fc from 'fast-check';
import { SparseU16Matrix } from '../../consensus/sparse';
import { DEFAULT_YUMA_HYPERPARAMETERS, type SparseU16Row, type YumaEpochInput, type YumaEpochOutput } from '../../consensus/types';
import { yumaEpoch } from '../../consensus/yuma';
import { yumaInputArbitrary } from '../helpers/arbitraries';

interface CabalWorld {
  readonly honestStake: readonly bigint[];
  readonly cabalStake: readonly bigint[];
  /** Quality of honest miners, then cabal miners, in (0, 1]. */
  readonly honestQuality: readonly number[];
  readonly cabalQuality: readonly number[];
  /** Per-validator multiplicative noise on the quality it observes. */
  readonly noise: readonly (readonly number[])[];
}

/** Uid layout: honest validators, cabal validators, honest miners, cabal miners. */
function layout(w: CabalWorld) {
  const hv = w.honestStake.length;
  const cv = w.cabalStake.length;
  const hm = w.honestQuality.length;
  const cm = w.cabalQuality.length;
  const honestValidators = Array.from({ length: hv }, (_, i) => i);
  const cabalValidators = Array.from({ length: cv }, (_, i) => hv + i);
  const honestMiners = Array.from({ length: hm }, (_, i) => hv + cv + i);
  const cabalMiners = Array.from({ length: cm }, (_, i) => hv + cv + hm + i);
  return { n: hv + cv + hm + cm, validators: hv + cv, honestValidators, cabalValidators, honestMiners, cabalMiners };
}

function u16Row(entries: readonly (readonly [number, number])[]): SparseU16Row {
  const max = Math.max(...entries.map(([, v]) => v));
  return entries.map(([j, v]) => [j, Math.max(1, Math.round((v / max) * 65535))] as const);
}

/** Runs `epochs` epochs carrying bonds and permits; returns the summed emission per uid and the last output. */
function simulate(w: CabalWorld, colluding: boolean, epochs = 4): { total: bigint[]; last: YumaEpochOutput } {
  const L = layout(w);
  const quality = [...w.honestQuality, ...w.cabalQuality];
  const miners = [...L.honestMiners, ...L.cabalMiners];
  const honestRow = (v: number): SparseU16Row => u16Row(miners.map((j, k) => [j, quality[k]! * w.noise[v]![k]!] as const));
  const weights: SparseU16Row[] = Array.from({ length: L.n }, (_, i) => {
    if (i >= L.validators) return [];
    if (colluding && L.cabalValidators.includes(i)) return L.cabalMiners.map((j) => [j, 65535] as const);
    return honestRow(i);
  });
  let bonds: SparseU16Row[] = Array.from({ length: L.n }, () => []);
  let permits = Array.from({ length: L.n }, (_, i) => i < L.validators);
  const stake = [...w.honestStake, ...w.cabalStake, ...new Array<bigint>(L.n - L.validators).fill(0n)];
  const total = new Array<bigint>(L.n).fill(0n);
  let last: YumaEpochOutput | undefined;
  for (let e = 0; e < epochs; e++) {
    const block = 1000 + 100 * e;
    last = yumaEpoch({
      n: L.n,
      block,
      stake,
      weights,
      bonds,
      lastUpdate: new Array<number>(L.n).fill(block - 1),
      blockAtRegistration: new Array<number>(L.n).fill(10),
      validatorPermit: permits,
      emission: 1_000_000_000_000n,
      hyperparameters: { ...DEFAULT_YUMA_HYPERPARAMETERS, maxAllowedValidators: L.validators },
    });
    bonds = last.bonds.toRows();
    permits = last.validatorPermit;
    last.emission.forEach((x, i) => (total[i]! += x));
  }
  return { total, last: last! };
}

/** A world whose cabal holds a stake fraction in [lo, hi]. */
function worldArbitrary(lo: number, hi: number): fc.Arbitrary<CabalWorld> {
  return fc
    .record({
      honest: fc.array(fc.integer({ min: 100, max: 10_000 }), { minLength: 2, maxLength: 8 }),
      cabalCount: fc.integer({ min: 1, max: 5 }),
      fraction: fc.double({ min: lo, max: hi, noNaN: true }),
      honestQuality: fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 20 }),
      cabalQuality: fc.array(fc.double({ min: 0.05, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 4 }),
      noiseSeed: fc.array(fc.double({ min: 0.9, max: 1.1, noNaN: true }), { minLength: 13 * 24, maxLength: 13 * 24 }),
    })
    .map(({ honest, cabalCount, fraction, honestQuality, cabalQuality, noiseSeed }) => {
      const honestTao = honest.reduce((a, b) => a + b, 0);
      const cabalTao = (honestTao * fraction) / (1 - fraction);
      const tao = 1_000_000_000n;
      const cabalStake = Array.from({ length: cabalCount }, () => BigInt(Math.round((cabalTao / cabalCount) * 1000)) * (tao / 1000n));
      const validators = honest.length + cabalCount;
      const minerCount = honestQuality.length + cabalQuality.length;
      const noise = Array.from({ length: validators }, (_, v) => Array.from({ length: minerCount }, (_, k) => noiseSeed[(v * 24 + k) % noiseSeed.length]!));
      return { honestStake: honest.map((t) => BigInt(t) * tao), cabalStake, honestQuality, cabalQuality, noise };
    });
}

const sumOver = (xs: readonly bigint[], uids: readonly number[]): bigint => uids.reduce((s, i) => s + xs[i]!, 0n);

describe('cabal resistance', () => {
  test('behavior: a cabal below 50% of stake loses by over-rating its own miners, and its vtrust drops', () => {
    fc.assert(
      fc.property(worldArbitrary(0.05, 0.45), (w) => {
        const L = layout(w);
        const cabal = [...L.cabalValidators, ...L.cabalMiners];
        const honest = simulate(w, false);
        const colluding = simulate(w, true);
        expect(sumOver(colluding.total, cabal)).toBeLessThan(sumOver(honest.total, cabal));
        // Clipping caps what the cabal adds to its own miners' rank, but the weight it withholds from honest
        // miners shrinks the rank total, so its miners' normalized incentive share still rises. What makes
        // collusion a loss is the dividends: the cabal's clipped weights earn it almost no bonds.
        expect(sumOver(colluding.total, L.cabalMiners)).toBeGreaterThan(sumOver(honest.total, L.cabalMiners));
        expect(sumOver(colluding.total, L.cabalValidators)).toBeLessThan(sumOver(honest.total, L.cabalValidators));
        const vt = colluding.last.validatorTrust;
        const honestMin = Math.min(...L.honestValidators.map((i) => vt[i]!));
        for (const i of L.cabalValidators) expect(vt[i]!).toBeLessThan(honestMin);
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  test('behavior: a cabal above 50% of stake wins with the same strategy', () => {
    fc.assert(
      fc.property(worldArbitrary(0.55, 0.9), (w) => {
        const L = layout(w);
        const cabal = [...L.cabalValidators, ...L.cabalMiners];
        expect(sumOver(simulate(w, true).total, cabal)).toBeGreaterThan(sumOver(simulate(w, false).total, cabal));
      }),
      { seed: 43, numRuns: 60 },
    );
  });
});

/** Relabels uids by `perm` (old uid i becomes perm[i]). */
function permuteInput(input: YumaEpochInput, perm: readonly number[]): YumaEpochInput {
  const place = <T>(xs: readonly T[]): T[] => {
    const out = new Array<T>(xs.length);
    xs.forEach((x, i) => (out[perm[i]!] = x));
    return out;
  };
  const rows = (rs: readonly SparseU16Row[]) => place(rs.map((r) => r.map(([j, v]) => [perm[j]!, v] as const)));
  return {
    ...input,
    stake: place(input.stake),
    weights: rows(input.weights),
    bonds: rows(input.bonds),
    lastUpdate: place(input.lastUpdate),
    blockAtRegistration: place(input.blockAtRegistration),
    validatorPermit: place(input.validatorPermit),
  };
}

describe('uid-order independence', () => {
  test('behavior: relabelling uids relabels the outputs and nothing else', () => {
    const withDistinctStakes = fc
      .tuple(yumaInputArbitrary({ maxN: 14 }), fc.infiniteStream(fc.nat()))
      .map(([input, stream]) => {
        // Distinct stakes far apart, so no two stake shares tie (ties are broken by uid on chain).
        const stake = input.stake.map((_, i) => BigInt(i + 1) * 1_000_000_007n + BigInt(stream.next().value % 1000));
        const keys = input.stake.map(() => stream.next().value);
        const perm = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
        return { input: { ...input, stake }, perm };
      });
    fc.assert(
      fc.property(withDistinctStakes, ({ input, perm }) => {
        const a = yumaEpoch(input);
        const b = yumaEpoch(permuteInput(input, perm));
        const back = <T>(xs: readonly T[]): T[] => input.stake.map((_, i) => xs[perm[i]!]!);
        for (const key of ['rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'pruningScores', 'stakeWeight', 'active', 'validatorPermit', 'emission', 'serverEmission', 'validatorEmission'] as const) {
          expect([key, back(b[key] as readonly unknown[])]).toEqual([key, a[key]]);
        }
        const sortRow = (r: SparseU16Row) => [...r].sort((x, y) => x[0] - y[0]);
        const bBonds = back(b.bonds.toRows()).map((r) => sortRow(r.map(([j, v]) => [perm.indexOf(j), v] as const)));
        expect(bBonds).toEqual(a.bonds.toRows().map(sortRow));
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

test('default: SparseU16Matrix round-trips rows', () => {
  const rows: SparseU16Row[] = [[[1, 5], [0, 7]], [], [[2, 65535]]];
  expect(SparseU16Matrix.fromRows(rows).toRows()).toEqual(rows);
});
