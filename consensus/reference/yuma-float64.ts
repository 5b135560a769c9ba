/**
 * The Yuma epoch (spec §3) in plain float64: same masks, same median recursion, no fixed point and no
 * per-term flooring; outputs are quantized only at the end. It is not chain-exact. It is the speed
 * baseline the exact engine is measured against, so it is written the way a fast float
 * implementation would be: CSR matrices in typed arrays, reusable scratch buffers, no per-entry
 * allocation in the hot loops.
 */
import { SparseU16Matrix } from '../sparse';
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput, YumaHyperparameters } from '../types';
import { validateYumaInput } from '../validate';

/** A sparse n×n matrix in CSR form, columns ascending within each row. */
interface Csr {
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/**
 * O(nnz) scratch buffers kept between epochs. Fresh ~80 MB of typed arrays per large epoch is external
 * memory pressure that forces a full GC each call; any serious float implementation reuses them.
 */
class ScratchPool {
  private readonly f64 = new Map<string, Float64Array>();
  private readonly i32 = new Map<string, Int32Array>();

  /** A view of `size` elements; contents are stale, callers write before reading. */
  float64(slot: string, size: number): Float64Array {
    let buf = this.f64.get(slot);
    if (buf === undefined || buf.length < size) this.f64.set(slot, (buf = new Float64Array(Math.ceil(size * 1.25))));
    return buf.subarray(0, size);
  }

  int32(slot: string, size: number): Int32Array {
    let buf = this.i32.get(slot);
    if (buf === undefined || buf.length < size) this.i32.set(slot, (buf = new Int32Array(Math.ceil(size * 1.25))));
    return buf.subarray(0, size);
  }
}

const scratch = new ScratchPool();

/** exp(x) ≥ 2^31 overflows the chain's I32F32 `safe_exp`, which then yields 0. */
const EXP_OVERFLOW = Math.log(2 ** 31);

/**
 * One Yuma epoch in float64, quantized at the end: u16 = ⌊x·65535⌋, rao = ⌊x·E⌋.
 * Throws a `ConsensusError` for input the chain could never hold (see ../validate.ts).
 */
export function yumaEpochFloat64(input: YumaEpochInput): YumaEpochOutput {
  validateYumaInput(input);
  const { n, block } = input;
  const hp = input.hyperparameters;
  const lastUpdate = input.lastUpdate;
  const registeredAt = input.blockAtRegistration;
  const oldPermit = input.validatorPermit;

  // §3.2 activity, stake, permits, active stake.
  const active = new Array<boolean>(n);
  for (let i = 0; i < n; i++) active[i] = !(lastUpdate[i]! + hp.activityCutoff < block);
  const stake = new Float64Array(n);
  let totalStake = 0n;
  for (let i = 0; i < n; i++) totalStake += input.stake[i]!;
  if (totalStake !== 0n) {
    const total = Number(totalStake);
    for (let i = 0; i < n; i++) stake[i] = Number(input.stake[i]!) / total;
  }
  const validatorPermit = topK(stake, hp.maxAllowedValidators);
  const activeStake = new Float64Array(n);
  for (let i = 0; i < n; i++) if (active[i] && oldPermit[i]) activeStake[i] = stake[i]!;
  normalize(activeStake);

  // §3.3 weights: permitted rows, no diagonal, no outdated entries, row-normalized.
  const weights = toCsr('weights', input.weights, n, (i, j) => oldPermit[i]! && j !== i && lastUpdate[i]! > registeredAt[j]!);
  for (let i = 0; i < n; i++) {
    const start = weights.rowPtr[i]!;
    const end = weights.rowPtr[i + 1]!;
    let s = 0;
    for (let k = start; k < end; k++) s += weights.val[k]!;
    if (s > 0) for (let k = start; k < end; k++) weights.val[k]! /= s;
  }
  const preRank = rowWeightedColumnSums(weights, weights.val, activeStake, n);

  // §3.4 consensus, clip, validator trust.
  const consensus = columnMedians(weights, activeStake, n, hp.kappa / 65535);
  const clipped = scratch.float64('clipped', weights.val.length);
  const validatorTrust = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let vt = 0;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) {
      const w = weights.val[k]!;
      const c = consensus[weights.col[k]!]!;
      // An entry above a zero consensus is dropped; a zero entry is the same thing for every later sum.
      const v = w <= c ? w : c;
      clipped[k] = v;
      vt += v;
    }
    validatorTrust[i] = vt;
  }

  // §3.5 rank, trust, incentive.
  const incentive = rowWeightedColumnSums(weights, clipped, activeStake, n);
  const trust = new Float64Array(n);
  for (let j = 0; j < n; j++) trust[j] = preRank[j] === 0 ? 0 : incentive[j]! / preRank[j]!;
  normalize(incentive);

  // §3.6–§3.7 bonds.
  const oldBonds = toCsr('bonds', input.bonds, n, (i, j) => lastUpdate[i]! > registeredAt[j]!);
  columnNormalize(oldBonds, n);
  const delta: Csr = { rowPtr: weights.rowPtr, col: weights.col, val: scratch.float64('delta', clipped.length) };
  for (let i = 0; i < n; i++) {
    const a = activeStake[i]!;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) delta.val[k] = clipped[k]! * a;
  }
  columnNormalize(delta, n);
  const alpha = liquidAlpha(hp, consensus) ?? new Float64Array(n).fill(1 - Number(hp.bondsMovingAverage) / 1e6);
  const bonds = ema(delta, oldBonds, alpha, n);
  columnNormalize(bonds, n);

  const dividends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let k = bonds.rowPtr[i]!; k < bonds.rowPtr[i + 1]!; k++) d += incentive[bonds.col[k]!]! * bonds.val[k]!;
    dividends[i] = d;
  }
  normalize(dividends);

  // §3.8 emission split.
  const combined = new Float64Array(n);
  let combinedSum = 0;
  for (let i = 0; i < n; i++) {
    combined[i] = incentive[i]! + dividends[i]!;
    combinedSum += combined[i]!;
  }
  let server = incentive;
  let validator: Float64Array;
  if (combinedSum !== 0) {
    server = new Float64Array(n);
    validator = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      server[i] = incentive[i]! / combinedSum;
      validator[i] = dividends[i]! / combinedSum;
      combined[i]! /= combinedSum;
    }
  } else {
    let activeSum = 0;
    for (let i = 0; i < n; i++) activeSum += activeStake[i]!;
    validator = activeSum !== 0 ? activeStake : stake;
    combined.set(validator);
  }

  const e = Number(input.emission);
  const rao = (v: Float64Array): bigint[] => Array.from(v, (x) => BigInt(Math.floor(x * e)));
  return {
    rank: toU16(incentive),
    trust: toU16(trust),
    consensus: toU16(consensus),
    incentive: toU16(incentive),
    dividends: toU16(dividends),
    validatorTrust: toU16(validatorTrust),
    pruningScores: maxUpscaleToU16(combined),
    stakeWeight: toU16(stake),
    active,
    validatorPermit,
    bonds: storedBonds(bonds, input.bonds, oldPermit, validatorPermit, n),
    emission: rao(combined),
    serverEmission: rao(server),
    validatorEmission: rao(validator),
  };
}

function normalize(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (s !== 0) for (let i = 0; i < v.length; i++) v[i]! /= s;
}

/** All true if n < k; else the n − k smallest stakes (ties: lower uid first) lose their permit. */
function topK(stake: Float64Array, k: number): boolean[] {
  const n = stake.length;
  const permits = new Array<boolean>(n).fill(true);
  if (n < k) return permits;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => stake[a]! - stake[b]! || a - b);
  for (let r = 0; r < n - k; r++) permits[order[r]!] = false;
  return permits;
}

/** u16 rows → CSR (in scratch `slot`) keeping entries where `keep(i, j)`; rows are column-sorted (the input order is free). */
function toCsr(slot: string, rows: readonly SparseU16Row[], n: number, keep: (i: number, j: number) => boolean): Csr {
  let capacity = 0;
  for (let i = 0; i < n; i++) capacity += rows[i]!.length;
  const rowPtr = new Int32Array(n + 1);
  const col = scratch.int32(`${slot}.col`, capacity);
  const val = scratch.float64(`${slot}.val`, capacity);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    rowPtr[i] = nnz;
    const row = rows[i]!;
    const start = nnz;
    let sorted = true;
    for (let k = 0; k < row.length; k++) {
      const entry = row[k]!;
      const j = entry[0];
      if (!keep(i, j)) continue;
      if (nnz > start && col[nnz - 1]! > j) sorted = false;
      col[nnz] = j;
      val[nnz] = entry[1];
      nnz++;
    }
    if (!sorted) sortRow(col, val, start, nnz);
  }
  rowPtr[n] = nnz;
  return { rowPtr, col: col.subarray(0, nnz), val: val.subarray(0, nnz) };
}

/** Sorts one CSR row segment by column (cold path: stored rows are normally already sorted). */
function sortRow(col: Int32Array, val: Float64Array, start: number, end: number): void {
  const order = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => col[a]! - col[b]!);
  const c = order.map((k) => col[k]!);
  const v = order.map((k) => val[k]!);
  col.set(c, start);
  val.set(v, start);
}

/** out_j = Σ_i v_i · M_ij over the CSR structure `m` carrying `values`. */
function rowWeightedColumnSums(m: Csr, values: Float64Array, v: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = v[i]!;
    if (a === 0) continue;
    for (let k = m.rowPtr[i]!; k < m.rowPtr[i + 1]!; k++) out[m.col[k]!]! += a * values[k]!;
  }
  return out;
}

function columnNormalize(m: Csr, n: number): void {
  const colSum = new Float64Array(n);
  const { col, val } = m;
  for (let k = 0; k < val.length; k++) colSum[col[k]!]! += val[k]!;
  for (let k = 0; k < val.length; k++) {
    const s = colSum[col[k]!]!;
    if (s !== 0) val[k]! /= s;
  }
}

/**
 * §3.4 step 7 per column over the rows with active stake: the chain's mid-pivot weighted-median
 * recursion, run as a loop over one index buffer (it only ever descends into one side).
 */
function columnMedians(weights: Csr, activeStake: Float64Array, n: number, kappa: number): Float64Array {
  const consensus = new Float64Array(n);
  let m = 0;
  const position = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) if (activeStake[i]! > 0) position[i] = m++;
  if (m === 0) return consensus;
  const sigma = new Float64Array(m);
  for (let i = 0; i < n; i++) if (position[i]! >= 0) sigma[position[i]!] = activeStake[i]!;
  normalize(sigma);
  let sigmaSum = 0;
  for (let r = 0; r < m; r++) sigmaSum += sigma[r]!;
  const minority = sigmaSum - kappa;

  // Transpose the voting rows into CSC, row positions ascending within each column.
  const colPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (position[i]! < 0) continue;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) colPtr[weights.col[k]! + 1]!++;
  }
  for (let j = 0; j < n; j++) colPtr[j + 1]! += colPtr[j]!;
  const next = colPtr.slice(0, n);
  const cscRow = scratch.int32('csc.row', colPtr[n]!);
  const cscVal = scratch.float64('csc.val', colPtr[n]!);
  for (let i = 0; i < n; i++) {
    const r = position[i]!;
    if (r < 0) continue;
    for (let k = weights.rowPtr[i]!; k < weights.rowPtr[i + 1]!; k++) {
      const at = next[weights.col[k]!]!++;
      cscRow[at] = r;
      cscVal[at] = weights.val[k]!;
    }
  }

  const score = new Float64Array(m);
  const part = new Int32Array(m);
  const upper = new Int32Array(m);
  for (let j = 0; j < n; j++) {
    const start = colPtr[j]!;
    const end = colPtr[j + 1]!;
    for (let k = start; k < end; k++) score[cscRow[k]!] = cscVal[k]!;
    consensus[j] = weightedMedian(sigma, score, part, upper, minority, sigmaSum);
    for (let k = start; k < end; k++) score[cscRow[k]!] = 0;
  }
  return consensus;
}

/** Lower entries compact in place at the front of `part`; upper ones go to the other buffer, and the two swap roles when the search goes up. */
function weightedMedian(stake: Float64Array, score: Float64Array, bufA: Int32Array, bufB: Int32Array, minority: number, total: number): number {
  let part = bufA;
  let upper = bufB;
  let len = stake.length;
  for (let r = 0; r < len; r++) part[r] = r;
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
      const r = part[k]!;
      const x = score[r]!;
      if (x < pivot) {
        lowerStake += stake[r]!;
        part[nLower++] = r; // the write index never passes the read index
      } else if (x > pivot) {
        upperStake += stake[r]!;
        upper[nUpper++] = r;
      }
    }
    if (lo + lowerStake <= minority && minority < hi - upperStake) return pivot;
    if (minority < lo + lowerStake && nLower > 0) {
      hi = lo + lowerStake;
      len = nLower;
    } else if (hi - upperStake <= minority && nUpper > 0) {
      lo = hi - upperStake;
      const t = part;
      part = upper;
      upper = t;
      len = nUpper;
    } else {
      return pivot;
    }
  }
}

/** §3.7 `Q(v, q)` with linear interpolation. */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return lo === hi ? sorted[lo]! : sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** §3.7 per-column alphas, or `null` when the constant bonds moving average applies. ln/exp errors give 0 as on chain. */
function liquidAlpha(hp: YumaHyperparameters, consensus: Float64Array): Float64Array | null {
  const n = consensus.length;
  if (!hp.liquidAlphaEnabled || n === 0 || !consensus.some((c) => c !== 0)) return null;
  const sorted = consensus.slice().sort();
  const high = quantile(sorted, 0.75);
  const low = quantile(sorted, 0.25);
  if (!(high > low || high !== 0 || low < 0)) return null;
  const alphaLow = hp.alphaLow / 65535;
  const alphaHigh = hp.alphaHigh / 65535;
  const safeLn = (x: number): number => (x > 0 ? Math.log(x) : 0);
  let a = 0;
  let b = 0;
  if (high > low && alphaLow !== 0 && alphaHigh !== 0) {
    const lnLow = safeLn(1 / alphaLow - 1);
    a = (safeLn(1 / alphaHigh - 1) - lnLow) / (low - high);
    b = lnLow + a * low;
  }
  const alpha = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const x = b - a * consensus[j]!;
    const sigmoid = 1 / (1 + (x < EXP_OVERFLOW ? Math.exp(x) : 0));
    alpha[j] = Math.max(Math.min(sigmoid, alphaHigh), alphaLow);
  }
  return alpha;
}

/** B'_ij = α_j·ΔB_ij + (1 − α_j)·B_ij, entries > 0 only: a linear merge of two column-sorted rows. */
function ema(delta: Csr, old: Csr, alpha: Float64Array, n: number): Csr {
  const capacity = delta.val.length + old.val.length;
  const rowPtr = new Int32Array(n + 1);
  const col = scratch.int32('ema.col', capacity);
  const val = scratch.float64('ema.val', capacity);
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
      if (jd === j) v += a * delta.val[kd++]!;
      if (jo === j) v += (1 - a) * old.val[ko++]!;
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

/** §3.9 bond storage as CSR: new-permit rows column max-upscaled to u16, lost-permit rows empty, others as before. */
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
      for (let k = bonds.rowPtr[i]!; k < bonds.rowPtr[i + 1]!; k++, at++) {
        const j = bonds.col[k]!;
        dest[at] = j;
        value[at] = u16(bonds.val[k]! / colMax[j]!);
      }
    } else if (!oldPermit[i]) {
      for (const [j, b] of before[i]!) {
        dest[at] = j;
        value[at++] = b;
      }
    }
  }
  return new SparseU16Matrix(rowPtr, dest, value);
}

function u16(x: number): number {
  const q = Math.floor(x * 65535);
  return q < 0 ? 0 : q > 65535 ? 65535 : q;
}

function toU16(v: Float64Array): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = u16(v[i]!);
  return out;
}

/** Largest element → 65535, the rest rounded proportionally; an all-zero vector stays zero. */
function maxUpscaleToU16(v: Float64Array): number[] {
  let m = 0;
  for (let i = 0; i < v.length; i++) if (v[i]! > m) m = v[i]!;
  if (m === 0) return toU16(v);
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Math.round((v[i]! / m) * 65535);
  return out;
}
