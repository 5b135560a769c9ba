/**
 * The naive reference Yuma epoch: a direct transcription of spec §3 on I32F32 bits held in `bigint`,
 * with sparse rows as arrays of `[uid, bits]`. It exists to be obviously right (a test oracle for the
 * fast engine in ../yuma.ts) and to be the "naive BigInt" benchmark baseline, so it follows the spec
 * step by step and takes no shortcuts through doubles.
 */
import { I32F32, I64F64, convert, div, fromF64, fromInt, maxUpscaleToU16, mul, normalize, proportionToU16, saturate, sum } from '../fixed/bigint';
import { safeExp, safeLn } from '../fixed/transcendental';
import { SparseU16Matrix } from '../sparse';
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput, YumaHyperparameters } from '../types';
import { validateYumaInput } from '../validate';

/** One sparse entry: destination uid and I32F32 bits. */
type Entry = [uid: number, bits: bigint];
type Matrix = Entry[][];

const T = I32F32;
const ONE = T.one;
const ZERO = 0n;

const mulT = (a: bigint, b: bigint): bigint => mul(T, a, b);
const divT = (a: bigint, b: bigint): bigint => div(T, a, b);
const addT = (a: bigint, b: bigint): bigint => saturate(T, a + b);
const subT = (a: bigint, b: bigint): bigint => saturate(T, a - b);

/**
 * One Yuma epoch (spec §3.1–§3.9) computed naively in BigInt fixed point.
 * Throws a `ConsensusError` for input the chain could never hold (see ../validate.ts).
 */
export function yumaEpochBigInt(input: YumaEpochInput): YumaEpochOutput {
  validateYumaInput(input);
  const { n, block } = input;
  const hp = input.hyperparameters;
  const lastUpdate = input.lastUpdate;
  const registeredAt = input.blockAtRegistration;
  const oldPermit = input.validatorPermit;
  const outdated = (i: number, j: number): boolean => lastUpdate[i]! <= registeredAt[j]!;

  // §3.2 step 1: activity.
  const active = lastUpdate.map((lu) => !(lu + hp.activityCutoff < block));

  // §3.2 step 2: stake share, I64F64 then floored to I32F32.
  const totalStake = sum(input.stake);
  const stake = input.stake.map((s) => (totalStake === ZERO ? ZERO : ((s << 64n) / totalStake) >> 32n));

  // §3.2 step 3: new permits.
  const newPermit = topK(stake, hp.maxAllowedValidators);

  // §3.2 step 4: active stake (old permits).
  const activeStake = normalize(
    T,
    stake.map((s, i) => (active[i] && oldPermit[i] ? s : ZERO)),
  );

  // §3.3 step 5: weights.
  const weights: Matrix = input.weights.map((row, i) => {
    if (!oldPermit[i]) return [];
    const kept: Entry[] = row.filter(([j]) => j !== i && !outdated(i, j)).map(([j, w]) => [j, fromInt(T, w)]);
    const rowSum = sum(kept.map(([, w]) => w));
    return rowSum > ZERO ? kept.map(([j, w]) => [j, divT(w, rowSum)]) : kept;
  });

  // §3.3 step 6: pre-ranks.
  const preRank = matVec(weights, activeStake, n);

  // §3.4 steps 7–9: consensus, clipping, validator trust.
  const kappa = divT(fromInt(T, hp.kappa), fromInt(T, 65535));
  const consensus = columnMedians(activeStake, weights, n, kappa);
  const clipped: Matrix = weights.map((row) =>
    row.flatMap(([j, w]): Entry[] => {
      const c = consensus[j]!;
      if (w <= c) return [[j, w]];
      return c > ZERO ? [[j, c]] : [];
    }),
  );
  const validatorTrust = clipped.map((row) => sum(row.map(([, w]) => w)));

  // §3.5 step 10: rank, trust, incentive.
  const rank = matVec(clipped, activeStake, n);
  const trust = rank.map((r, j) => (preRank[j] === ZERO ? ZERO : divT(r, preRank[j]!)));
  const incentive = normalize(T, rank);

  // §3.6 steps 11–13 (and §3.7): bonds.
  const bonds = columnNormalize(
    input.bonds.map((row, i) => row.filter(([j]) => !outdated(i, j)).map(([j, b]): Entry => [j, fromInt(T, b)])),
    n,
  );
  const bondsDelta = columnNormalize(
    clipped.map((row, i) => row.map(([j, w]): Entry => [j, mulT(w, activeStake[i]!)])),
    n,
  );
  const alpha = liquidAlpha(hp, consensus) ?? new Array<bigint>(n).fill(constantAlpha(hp.bondsMovingAverage));
  const emaBonds = columnNormalize(ema(bondsDelta, bonds, alpha, n), n);

  // §3.6 step 14: dividends.
  const dividends = normalize(
    T,
    emaBonds.map((row) => sum(row.map(([j, b]) => mulT(incentive[j]!, b)))),
  );

  // §3.8 step 15: emission shares.
  const combined = incentive.map((x, i) => x + dividends[i]!);
  const combinedSum = sum(combined);
  let serverShare: bigint[];
  let validatorShare: bigint[];
  let combinedShare: bigint[];
  if (combinedSum !== ZERO) {
    serverShare = incentive.map((x) => divT(x, combinedSum));
    validatorShare = dividends.map((x) => divT(x, combinedSum));
    combinedShare = normalize(T, combined);
  } else {
    serverShare = incentive;
    validatorShare = sum(activeStake) !== ZERO ? activeStake : stake;
    combinedShare = validatorShare;
  }

  // §3.8 step 16: rao, an I96F32 product floored.
  const rao = (x: bigint): bigint => (x * input.emission) >> 32n;
  const u16 = (v: readonly bigint[]): number[] => v.map(proportionToU16);
  const incentiveU16 = u16(incentive);

  return {
    rank: incentiveU16,
    trust: u16(trust),
    consensus: u16(consensus),
    incentive: incentiveU16.slice(),
    dividends: u16(dividends),
    validatorTrust: u16(validatorTrust),
    pruningScores: maxUpscaleToU16(combinedShare),
    stakeWeight: u16(stake),
    active,
    validatorPermit: newPermit,
    bonds: storedBonds(emaBonds, input.bonds, oldPermit, newPermit, n),
    emission: combinedShare.map(rao),
    serverEmission: serverShare.map(rao),
    validatorEmission: validatorShare.map(rao),
  };
}

/** `is_topk`: all true if n < k; else a stable ascending sort by stake and the first n − k lose. */
export function topK(stake: readonly bigint[], k: number): boolean[] {
  const n = stake.length;
  const permits = new Array<boolean>(n).fill(true);
  if (n < k) return permits;
  const order = stake.map((_, i) => i).sort((a, b) => (stake[a]! < stake[b]! ? -1 : stake[a]! > stake[b]! ? 1 : a - b));
  for (const i of order.slice(0, n - k)) permits[i] = false;
  return permits;
}

/** out_j = Σ_i mul(v_i, M_ij), each product floored, the sum exact. */
function matVec(m: Matrix, v: readonly bigint[], n: number): bigint[] {
  const out = new Array<bigint>(n).fill(ZERO);
  m.forEach((row, i) => {
    for (const [j, x] of row) out[j] = out[j]! + mulT(v[i]!, x);
  });
  return out;
}

function columnNormalize(m: Matrix, n: number): Matrix {
  const colSum = new Array<bigint>(n).fill(ZERO);
  for (const row of m) for (const [j, x] of row) colSum[j] = colSum[j]! + x;
  return m.map((row) => row.map(([j, x]): Entry => [j, colSum[j] === ZERO ? x : divT(x, colSum[j]!)]));
}

/**
 * §3.4 step 7: for every column, the stake-weighted median over the rows with active stake, the
 * stake re-normalized over those rows, minority μ = Σσ − κ.
 */
function columnMedians(activeStake: readonly bigint[], weights: Matrix, n: number, kappa: bigint): bigint[] {
  const rows: number[] = [];
  activeStake.forEach((a, i) => {
    if (a > ZERO) rows.push(i);
  });
  const sigma = normalize(
    T,
    rows.map((i) => activeStake[i]!),
  );
  const sigmaSum = sum(sigma);
  const minority = sigmaSum - kappa;

  // Column j's scores per voting row (position r in `rows`); absent entries are 0.
  const columns: Entry[][] = Array.from({ length: n }, () => []);
  rows.forEach((i, r) => {
    for (const [j, w] of weights[i]!) columns[j]!.push([r, w]);
  });
  const everyone = rows.map((_, r) => r);
  return columns.map((entries) => {
    const score = new Array<bigint>(rows.length).fill(ZERO);
    for (const [r, w] of entries) score[r] = w;
    return weightedMedian(sigma, score, everyone, minority, ZERO, sigmaSum);
  });
}

/** The chain's `weighted_median` recursion (mid-pivot, order-preserving partitions), kept verbatim for its tie behaviour. */
function weightedMedian(stake: readonly bigint[], score: readonly bigint[], part: readonly number[], minority: bigint, lo: bigint, hi: bigint): bigint {
  if (part.length === 0) return ZERO;
  if (part.length === 1) return score[part[0]!]!;
  const pivot = score[part[part.length >> 1]!]!;
  const lower: number[] = [];
  const upper: number[] = [];
  let lowerStake = ZERO;
  let upperStake = ZERO;
  for (const r of part) {
    const x = score[r]!;
    if (x < pivot) {
      lowerStake += stake[r]!;
      lower.push(r);
    } else if (x > pivot) {
      upperStake += stake[r]!;
      upper.push(r);
    }
  }
  if (lo + lowerStake <= minority && minority < hi - upperStake) return pivot;
  if (minority < lo + lowerStake && lower.length > 0) return weightedMedian(stake, score, lower, minority, lo, lo + lowerStake);
  if (hi - upperStake <= minority && upper.length > 0) return weightedMedian(stake, score, upper, minority, hi - upperStake, hi);
  return pivot;
}

/** §3.6 step 13: a = 1 − ⌊bma / 10^6⌋₃₂ with the division done in I64F64. */
function constantAlpha(bondsMovingAverage: bigint): bigint {
  const bma = div(I64F64, fromInt(I64F64, bondsMovingAverage), fromInt(I64F64, 1_000_000));
  return subT(ONE, convert(I64F64, T, bma));
}

/** §3.7 `Q(v, q)` over all n values. */
function quantile(values: readonly bigint[], q: number): bigint {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return ZERO;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo]!;
  return addT(sorted[lo]!, mulT(subT(sorted[hi]!, sorted[lo]!), fromF64(T, pos - lo)));
}

/** §3.7: per-column alphas, or `null` when liquid alpha does not apply and the constant EMA weight is used. */
function liquidAlpha(hp: YumaHyperparameters, consensus: readonly bigint[]): bigint[] | null {
  if (!hp.liquidAlphaEnabled || consensus.length === 0 || !consensus.some((c) => c !== ZERO)) return null;
  const high = quantile(consensus, 0.75);
  const low = quantile(consensus, 0.25);
  if (!(high > low || high !== ZERO || low < ZERO)) return null;
  const alphaLow = divT(fromInt(T, hp.alphaLow), fromInt(T, 65535));
  const alphaHigh = divT(fromInt(T, hp.alphaHigh), fromInt(T, 65535));
  let a = ZERO;
  let b = ZERO;
  if (!(high <= low || alphaLow === ZERO || alphaHigh === ZERO)) {
    const lnLow = safeLn(T, subT(divT(ONE, alphaLow), ONE));
    const lnHigh = safeLn(T, subT(divT(ONE, alphaHigh), ONE));
    a = divT(subT(lnHigh, lnLow), subT(low, high));
    b = addT(lnLow, mulT(a, low));
  }
  return consensus.map((c) => {
    const sigmoid = divT(ONE, addT(ONE, safeExp(T, subT(b, mulT(a, c)))));
    const capped = sigmoid < alphaHigh ? sigmoid : alphaHigh;
    return capped > alphaLow ? capped : alphaLow;
  });
}

/** B'_ij = mul(α_j, ΔB_ij) + mul(1 − α_j, B_ij); rows come out in ascending uid order with entries > 0 only. */
function ema(delta: Matrix, old: Matrix, alpha: readonly bigint[], n: number): Matrix {
  const out: Matrix = [];
  for (let i = 0; i < n; i++) {
    const acc = new Map<number, bigint>();
    for (const [j, x] of delta[i]!) acc.set(j, addT(acc.get(j) ?? ZERO, mulT(alpha[j]!, x)));
    for (const [j, x] of old[i]!) acc.set(j, addT(acc.get(j) ?? ZERO, mulT(subT(ONE, alpha[j]!), x)));
    out.push(
      [...acc.entries()].filter(([, x]) => x > ZERO).sort((p, q) => p[0] - q[0]),
    );
  }
  return out;
}

/**
 * §3.9 bond storage: column max-upscale, then u16q, for uids holding a new permit (entries kept even
 * where u16q gives 0, as the chain writes them); `[]` for a uid that lost its permit; else untouched.
 */
function storedBonds(bonds: Matrix, before: readonly SparseU16Row[], oldPermit: readonly boolean[], newPermit: readonly boolean[], n: number): SparseU16Matrix {
  const colMax = new Array<bigint>(n).fill(ZERO);
  for (const row of bonds) for (const [j, x] of row) if (x > colMax[j]!) colMax[j] = x;
  const rows = bonds.map((row, i): SparseU16Row => {
    if (newPermit[i]) return row.map(([j, x]) => [j, proportionToU16(colMax[j] === ZERO ? x : divT(x, colMax[j]!))] as const);
    return oldPermit[i] ? [] : before[i]!;
  });
  return SparseU16Matrix.fromRows(rows);
}
