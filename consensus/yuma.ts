/**
 * Yuma consensus: one subnet epoch of the pre-dTAO subtensor runtime (spec §3), bit-identical to the chain.
 *
 * Matrices are kept sparse (CSR over uids, columns sorted ascending), so memory grows with the number of
 * non-zero weights and bonds, not with n². All fixed-point values are I32F32 bits in doubles (see
 * ./fixed/number.ts for why that is exact); per-uid work that needs wider integers uses BigInt.
 */
import { I32F32, div as divBig, fromInt, maxUpscaleToU16 } from './fixed/bigint';
import { divFix, mulFix, normalizeInPlace, ONE_BITS, proportionToU16Fix, raoShare } from './fixed/number';
import { liquidAlphas } from './liquid-alpha';
import { SparseU16Matrix } from './sparse';
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput } from './types';
import { validateYumaInput } from './validate';
import { Workspace } from './workspace';

export interface YumaEpochOptions {
  /** Scratch buffers reused across epochs. @default a module-wide workspace */
  readonly workspace?: Workspace;
}

const sharedWorkspace = new Workspace();

/** A sparse n×n matrix in CSR form; entries of each row are sorted by column. */
interface Csr {
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/**
 * Runs one Yuma epoch and returns what the chain stores at its end (spec §3.1–§3.9).
 * Throws a `ConsensusError` for input the chain could never hold (see ./validate.ts).
 *
 * @example
 * const out = yumaEpoch({ n: 2, block: 10, stake: [1000n, 0n], weights: [[[1, 65535]], []], bonds: [[], []],
 *   lastUpdate: [9, 0], blockAtRegistration: [0, 0], validatorPermit: [true, true], emission: 1_000_000_000n,
 *   hyperparameters: DEFAULT_YUMA_HYPERPARAMETERS });
 */
export function yumaEpoch(input: YumaEpochInput, options: YumaEpochOptions = {}): YumaEpochOutput {
  validateYumaInput(input);
  const ws = options.workspace ?? sharedWorkspace;
  const { n, block } = input;
  const hp = input.hyperparameters;
  const oldPermit = input.validatorPermit;

  // §3.2 activity and stake.
  const active = new Array<boolean>(n);
  for (let i = 0; i < n; i++) active[i] = !(input.lastUpdate[i]! + hp.activityCutoff < block);
  const stakeShare = stakeShares(input.stake);
  const validatorPermit = newPermits(stakeShare, hp.maxAllowedValidators);
  const activeStake = new Float64Array(n);
  for (let i = 0; i < n; i++) if (active[i] && oldPermit[i]) activeStake[i] = stakeShare[i]!;
  normalizeInPlace(activeStake);

  // "Outdated": i has not set weights (or bonded) since j (re)registered.
  const outdated = (i: number, j: number): boolean => input.lastUpdate[i]! <= input.blockAtRegistration[j]!;

  // §3.3 weights: permitted rows, no self-weight, no outdated entries, row-normalized.
  const weights = buildWeights(ws, input.weights, n, oldPermit, outdated);
  const preRank = new Float64Array(n);
  matVecAccumulate(weights, weights.val, activeStake, preRank);

  // §3.4 consensus, clipping, validator trust.
  const consensus = stakeWeightedMedianColumns(ws, weights, activeStake, n, kappaBits(hp.kappa));
  const clipped = ws.float64('clipped', weights.val.length);
  const validatorTrust = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let vt = 0;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) {
      const w = weights.val[k]!;
      const c = consensus[weights.col[k]!]!;
      const v = w <= c ? w : c; // entries above a zero consensus are dropped, i.e. become 0
      clipped[k] = v;
      vt += v;
    }
    validatorTrust[i] = vt;
  }

  // §3.5 rank, trust, incentive.
  const rank = new Float64Array(n);
  matVecAccumulate(weights, clipped, activeStake, rank);
  const trust = new Float64Array(n);
  for (let j = 0; j < n; j++) trust[j] = preRank[j] === 0 ? 0 : divFix(rank[j]!, preRank[j]!);
  const incentive = rank;
  normalizeInPlace(incentive);

  // §3.6–3.7 bonds.
  const oldBonds = buildOldBonds(ws, input.bonds, n, outdated);
  const deltaVal = ws.float64('delta', clipped.length);
  for (let i = 0; i < n; i++) {
    const a = activeStake[i]!;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) deltaVal[k] = mulFix(clipped[k]!, a);
  }
  columnNormalize(weights.col, deltaVal, n);
  const alpha = liquidAlphas(hp, consensus) ?? constantAlpha(hp.bondsMovingAverage, n);
  const newBonds = emaBonds(ws, { ...weights, val: deltaVal }, oldBonds, alpha, n);
  columnNormalize(newBonds.col, newBonds.val, n);

  const dividends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let k = newBonds.rowPtr[i]!; k < newBonds.rowPtr[i + 1]!; k++) d += mulFix(incentive[newBonds.col[k]!]!, newBonds.val[k]!);
    dividends[i] = d;
  }
  normalizeInPlace(dividends);

  // §3.8 emission split.
  const split = emissionSplit(incentive, dividends, activeStake, stakeShare, input.emission);

  return {
    rank: toU16(incentive),
    trust: toU16(trust),
    consensus: toU16(consensus),
    incentive: toU16(incentive),
    dividends: toU16(dividends),
    validatorTrust: toU16(validatorTrust),
    pruningScores: maxUpscaleToU16(Array.from(split.combined, (x) => BigInt(x))),
    stakeWeight: toU16(stakeShare),
    active,
    validatorPermit,
    bonds: storedBonds(newBonds, input.bonds, oldPermit, validatorPermit, n),
    emission: split.emission,
    serverEmission: split.server,
    validatorEmission: split.validator,
  };
}

/** S_i = floor(s_i · 2^64 / Σs) floored to 32 fractional bits, i.e. floor(s_i · 2^32 / Σs). */
function stakeShares(stake: readonly bigint[]): Float64Array {
  const out = new Float64Array(stake.length);
  let total = 0n;
  for (const s of stake) total += s;
  if (total === 0n) return out;
  for (let i = 0; i < stake.length; i++) out[i] = Number((stake[i]! << 32n) / total);
  return out;
}

/** §3.2 step 3: the top `k` uids by stake share hold permits; ties go to the higher uid. */
function newPermits(stakeShare: Float64Array, k: number): boolean[] {
  const n = stakeShare.length;
  const permits = new Array<boolean>(n).fill(true);
  if (n < k) return permits;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => stakeShare[a]! - stakeShare[b]! || a - b);
  for (let r = 0; r < n - k; r++) permits[order[r]!] = false;
  return permits;
}

function kappaBits(kappa: number): number {
  return Number(divBig(I32F32, fromInt(I32F32, kappa), fromInt(I32F32, 65535)));
}

/** Sorted copy of a row's entries (rows arrive in submission order; the chain's results are column-ordered). */
function sortedEntries(row: SparseU16Row): SparseU16Row {
  for (let k = 1; k < row.length; k++) {
    if (row[k - 1]![0] > row[k]![0]) return [...row].sort((x, y) => x[0] - y[0]);
  }
  return row;
}

function buildWeights(ws: Workspace, rows: readonly SparseU16Row[], n: number, oldPermit: readonly boolean[], outdated: (i: number, j: number) => boolean): Csr {
  let capacity = 0;
  for (let i = 0; i < n; i++) if (oldPermit[i]) capacity += rows[i]!.length;
  const rowPtr = new Int32Array(n + 1);
  const col = ws.int32('weights.col', capacity);
  const val = ws.float64('weights.val', capacity);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = nnz;
    if (!oldPermit[i]) continue;
    const start = nnz;
    let rowSum = 0;
    const row = sortedEntries(rows[i]!);
    for (let e = 0; e < row.length; e++) {
      const j = row[e]![0];
      const w = row[e]![1];
      if (j >= n || j === i || w === 0 || outdated(i, j)) continue;
      col[nnz] = j;
      val[nnz] = w;
      rowSum += w;
      nnz++;
    }
    // Row-normalize: div(w·2^32, Σw·2^32) = floor(w·2^32/Σw), exact in doubles for u16 weights.
    if (rowSum > 0) for (let k = start; k < nnz; k++) val[k] = Math.floor((val[k]! * ONE_BITS) / rowSum);
  }
  rowPtr[n] = nnz;
  return { rowPtr, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

/** out_j += Σ_i mul(v_i, M_ij) for M given as the CSR structure `m` with values `values`. */
function matVecAccumulate(m: Csr, values: Float64Array, v: Float64Array, out: Float64Array): void {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const a = v[i]!;
    if (a === 0) continue;
    for (let k = m.rowPtr[i]!; k < m.rowPtr[i + 1]!; k++) out[m.col[k]!] += mulFix(a, values[k]!);
  }
}

/**
 * §3.4 step 7: per column, the stake-weighted median with majority κ, computed by the chain's
 * deterministic mid-pivot recursion over the rows with active stake (reproduced exactly for ties).
 */
function stakeWeightedMedianColumns(ws: Workspace, weights: Csr, activeStake: Float64Array, n: number, kappa: number): Float64Array {
  const consensus = new Float64Array(n);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (activeStake[i]! > 0) rows.push(i);
  const m = rows.length;
  if (m === 0) return consensus;

  const sigma = new Float64Array(m);
  for (let p = 0; p < m; p++) sigma[p] = activeStake[rows[p]!]!;
  normalizeInPlace(sigma);
  let sigmaSum = 0;
  for (let p = 0; p < m; p++) sigmaSum += sigma[p]!;
  const minority = sigmaSum - kappa;

  // Transpose the voting rows into columns (CSC), positions p in ascending uid order.
  const colCount = new Int32Array(n + 1);
  for (const i of rows) for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) colCount[weights.col[k]! + 1]!++;
  for (let j = 0; j < n; j++) colCount[j + 1]! += colCount[j]!;
  const fill = colCount.slice(0, n);
  const cscPos = ws.int32('csc.pos', colCount[n]!);
  const cscVal = ws.float64('csc.val', colCount[n]!);
  rows.forEach((i, p) => {
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) {
      const at = fill[weights.col[k]!]!++;
      cscPos[at] = p;
      cscVal[at] = weights.val[k]!;
    }
  });

  const score = new Float64Array(m);
  const median = new WeightedMedian(m);
  // Sparse columns have fewer than m/4 ≤ 16384 entries, so an entry's offset fits the 16 bits packed below its score.
  const keys = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const start = colCount[j]!;
    const end = colCount[j + 1]!;
    if (start === end) {
      // Every score is 0, so the recursion returns its pivot 0.
      continue;
    }
    if ((end - start) * SPARSE_COLUMN_RATIO < m) {
      consensus[j] = sparseColumnMedian(cscPos, cscVal, start, end, sigma, sigmaSum, minority, keys);
      continue;
    }
    score.fill(0);
    for (let k = start; k < end; k++) score[cscPos[k]!] = cscVal[k]!;
    consensus[j] = median.compute(sigma, score, minority, sigmaSum);
  }
  return consensus;
}

/** Columns with fewer than m / SPARSE_COLUMN_RATIO voters take the sort-based path. */
const SPARSE_COLUMN_RATIO = 4;

/**
 * The same value as the chain's recursion, computed in O(k log k) for a column with k non-zero scores
 * among m voters. The recursion keeps `lo ≤ μ < hi` (μ ∈ [0, Σσ) when κ ∈ (0, Σσ]) and returns the
 * pivot x with stake(<x) ≤ μ < Σσ − stake(>x): the first distinct score, ascending, whose cumulative
 * stake exceeds μ. That value is unique, so the scan below finds it; μ < 0 yields the minimum score and
 * μ ≥ Σσ the maximum, exactly as the recursion does at those extremes.
 */
function sparseColumnMedian(
  pos: Int32Array,
  val: Float64Array,
  start: number,
  end: number,
  sigma: Float64Array,
  sigmaSum: number,
  minority: number,
  keys: Float64Array,
): number {
  // Sort (score, entry) pairs as single numbers: score·2^16 + offset stays below 2^49, exact in a double,
  // and a typed-array sort without a comparator is native.
  const count = end - start;
  const sorted = keys.subarray(0, count);
  let zeroStake = sigmaSum;
  for (let k = start; k < end; k++) {
    sorted[k - start] = val[k]! * 65536 + (k - start);
    zeroStake -= sigma[pos[k]!]!;
  }
  sorted.sort();
  let cumulative = zeroStake;
  if (zeroStake > 0 && cumulative > minority) return 0;
  let x = 0;
  for (let r = 0; r < count; ) {
    x = Math.floor(sorted[r]! / 65536);
    for (; r < count && Math.floor(sorted[r]! / 65536) === x; r++) cumulative += sigma[pos[start + (sorted[r]! % 65536)]!]!;
    if (cumulative > minority) return x;
  }
  return x;
}

/** The chain's `weighted_median` recursion as a loop over reusable index buffers (it only ever recurses once). */
class WeightedMedian {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  private readonly c: Int32Array;

  constructor(size: number) {
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.c = new Int32Array(size);
  }

  compute(stake: Float64Array, score: Float64Array, minority: number, total: number): number {
    // Three equal-sized buffers rotate roles: the current partition and the two candidate halves.
    let part = this.a;
    let lower = this.b;
    let upper = this.c;
    let len = stake.length;
    for (let p = 0; p < len; p++) part[p] = p;
    let lo = 0;
    let hi = total;
    for (;;) {
      if (len === 0) return 0;
      if (len === 1) return score[part[0]!]!;
      const pivot = score[part[len >> 1]!]!;
      let lowerStake = 0;
      let upperStake = 0;
      let nLower = 0;
      let nUpper = 0;
      for (let k = 0; k < len; k++) {
        const i = part[k]!;
        const x = score[i]!;
        if (x < pivot) {
          lowerStake += stake[i]!;
          lower[nLower++] = i;
        } else if (x > pivot) {
          upperStake += stake[i]!;
          upper[nUpper++] = i;
        }
      }
      if (lo + lowerStake <= minority && minority < hi - upperStake) return pivot;
      const spare = part;
      if (minority < lo + lowerStake && nLower > 0) {
        hi = lo + lowerStake;
        part = lower;
        lower = spare;
        len = nLower;
      } else if (hi - upperStake <= minority && nUpper > 0) {
        lo = hi - upperStake;
        part = upper;
        upper = spare;
        len = nUpper;
      } else {
        return pivot;
      }
    }
  }
}

/** §3.6 step 11: stored u16 bonds, outdated entries dropped, column-normalized (exact on the u16 integers). */
function buildOldBonds(ws: Workspace, rows: readonly SparseU16Row[], n: number, outdated: (i: number, j: number) => boolean): Csr {
  let capacity = 0;
  for (let i = 0; i < n; i++) capacity += rows[i]!.length;
  const rowPtr = new Int32Array(n + 1);
  const col = ws.int32('bonds.col', capacity);
  const val = ws.float64('bonds.val', capacity);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = nnz;
    const row = sortedEntries(rows[i]!);
    for (let e = 0; e < row.length; e++) {
      const j = row[e]![0];
      const b = row[e]![1];
      if (j >= n || b === 0 || outdated(i, j)) continue;
      col[nnz] = j;
      val[nnz] = b;
      nnz++;
    }
  }
  rowPtr[n] = nnz;
  const colSum = new Float64Array(n);
  for (let k = 0; k < nnz; k++) colSum[col[k]!] += val[k]!;
  // div(b·2^32, Σb·2^32) = floor(b·2^32/Σb): b < 2^16 and Σb < 2^32 keep this exact in doubles.
  for (let k = 0; k < nnz; k++) val[k] = Math.floor((val[k]! * ONE_BITS) / colSum[col[k]!]!);
  return { rowPtr, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

/** Column-normalize sparse values in place; columns summing to 0 are left untouched. */
function columnNormalize(col: Int32Array, val: Float64Array, n: number): void {
  const colSum = new Float64Array(n);
  for (let k = 0; k < val.length; k++) colSum[col[k]!] += val[k]!;
  for (let k = 0; k < val.length; k++) {
    const s = colSum[col[k]!]!;
    if (s !== 0) val[k] = divFix(val[k]!, s);
  }
}

/** §3.6 step 13: a = 1 − ⌊bma/10^6⌋₃₂ (the division in I64F64, floored to 32 fractional bits). */
function constantAlpha(bondsMovingAverage: bigint, n: number): Float64Array {
  const bmaBits = (bondsMovingAverage << 64n) / 1_000_000n >> 32n;
  const ceiling = (1n << 63n) - 1n;
  const a = BigInt(ONE_BITS) - (bmaBits > ceiling ? ceiling : bmaBits);
  return new Float64Array(n).fill(Number(a));
}

/**
 * B'_ij = mul(α_j, ΔB_ij) + mul(1 − α_j, B_ij), keeping entries > 0 (§3.6 step 13 / §3.7).
 * Both inputs have column-sorted rows, so each output row is a linear merge.
 */
function emaBonds(ws: Workspace, delta: Csr, old: Csr, alpha: Float64Array, n: number): Csr {
  const capacity = delta.val.length + old.val.length;
  const rowPtr = new Int32Array(n + 1);
  const col = ws.int32('ema.col', capacity);
  const val = ws.float64('ema.val', capacity);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = nnz;
    let kd = delta.rowPtr[i]!;
    const endD = delta.rowPtr[i + 1]!;
    let ko = old.rowPtr[i]!;
    const endO = old.rowPtr[i + 1]!;
    while (kd < endD || ko < endO) {
      const jd = kd < endD ? delta.col[kd]! : n;
      const jo = ko < endO ? old.col[ko]! : n;
      const j = jd < jo ? jd : jo;
      const a = alpha[j]!;
      let v = 0;
      if (jd === j) v += mulFix(a, delta.val[kd++]!);
      if (jo === j) v += mulFix(ONE_BITS - a, old.val[ko++]!);
      if (v > 0) {
        col[nnz] = j;
        val[nnz] = v;
        nnz++;
      }
    }
  }
  rowPtr[n] = nnz;
  return { rowPtr, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

interface EmissionSplit {
  combined: Float64Array;
  emission: bigint[];
  server: bigint[];
  validator: bigint[];
}

/** §3.8: combined, server and validator shares of E, each floored to rao. */
function emissionSplit(incentive: Float64Array, dividends: Float64Array, activeStake: Float64Array, stakeShare: Float64Array, e: bigint): EmissionSplit {
  const n = incentive.length;
  const combined = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    combined[i] = incentive[i]! + dividends[i]!;
    total += combined[i]!;
  }
  let server: Float64Array;
  let validator: Float64Array;
  if (total !== 0) {
    server = new Float64Array(n);
    validator = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      server[i] = divFix(incentive[i]!, total);
      validator[i] = divFix(dividends[i]!, total);
    }
    normalizeInPlace(combined);
  } else {
    // No valid weights: validators are paid by (active) stake.
    server = incentive;
    let activeSum = 0;
    for (let i = 0; i < n; i++) activeSum += activeStake[i]!;
    validator = activeSum !== 0 ? activeStake : stakeShare;
    combined.set(validator);
  }
  const rao = (v: Float64Array): bigint[] => Array.from(v, (x) => raoShare(x, e));
  return { combined, emission: rao(combined), server: rao(server), validator: rao(validator) };
}

/**
 * §3.9 bond storage: rows of uids holding a new permit are rewritten (column max-upscaled, then u16);
 * a uid that lost its permit gets an empty row; any other row stays as it was.
 */
function storedBonds(bonds: Csr, before: readonly SparseU16Row[], oldPermit: readonly boolean[], newPermit: readonly boolean[], n: number): SparseU16Matrix {
  const colMax = new Float64Array(n);
  for (let k = 0; k < bonds.val.length; k++) {
    const j = bonds.col[k]!;
    if (bonds.val[k]! > colMax[j]!) colMax[j] = bonds.val[k]!;
  }
  const rowPtr = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const len = newPermit[i] ? bonds.rowPtr[i + 1]! - bonds.rowPtr[i]! : oldPermit[i] ? 0 : before[i]!.length;
    rowPtr[i + 1] = rowPtr[i]! + len;
  }
  const dest = new Uint16Array(rowPtr[n]!);
  const value = new Uint16Array(rowPtr[n]!);
  for (let i = 0; i < n; i++) {
    let at = rowPtr[i]!;
    if (newPermit[i]) {
      for (let k = bonds.rowPtr[i]!; k < bonds.rowPtr[i + 1]!; k++) {
        const j = bonds.col[k]!;
        const v = bonds.val[k]!;
        const m = colMax[j]!;
        dest[at] = j;
        value[at++] = proportionToU16Fix(m === 0 ? v : divFix(v, m));
      }
    } else if (!oldPermit[i]) {
      for (const [j, v] of before[i]!) {
        dest[at] = j;
        value[at++] = v;
      }
    }
  }
  return new SparseU16Matrix(rowPtr, dest, value);
}

function toU16(v: Float64Array): number[] {
  return Array.from(v, proportionToU16Fix);
}
