/**
 * The reference SDK's validator-side weight processing (wire-protocol §3.1–3.2, `bittensor/utils/weight_utils.py`)
 * as pure functions: `normalize_max_weight`, `process_weights` (min_allowed_weights, max_weight_limit,
 * exclude quantile) and `convert_weights_and_uids_for_emit` (u16 max-upscale), plus the legacy
 * commit-reveal hash (subtensor spec §7.2).
 *
 * Inputs are cast to float32 as the SDK does (`astype(np.float32)`); the arithmetic after the cast runs in
 * float64, so intermediate values can differ from numpy's float32 ones in the last float32 ulp. The u16
 * values sent to the chain are the same except where such an ulp decides a rounding tie.
 */
import { quantileSeq } from 'mathjs';
import { blake2AsHex, decodeAddress } from '@polkadot/util-crypto';
import { compactToU8a, u8aConcat } from '@polkadot/util';
import { InvalidParametersError } from './operations/errors';

/** `U16_MAX` of the SDK. */
export const U16_MAX = 65535;
const EPSILON = 1e-7;

/** Uids and their weights, same length. */
export interface UidWeights {
  readonly uids: readonly number[];
  readonly weights: readonly number[];
}

/** Inputs of {@link processWeights}: the chain values `process_weights_for_netuid` reads, plus the scores. */
export interface ProcessWeightsParameters extends UidWeights {
  /** `metagraph.n`: the number of neurons on the subnet. */
  readonly n: number;
  /** The subnet's `MinAllowedWeights`. */
  readonly minAllowedWeights: number;
  /** The subnet's `MaxWeightsLimit` as a u16 (the SDK divides it by 65535). */
  readonly maxWeightsLimit: number;
  /** Quantile of the non-zero weights to drop, as a u16 (`exclude_quantile / 65535`). @default 0 */
  readonly excludeQuantile?: number;
}

/**
 * `normalize_max_weight(x, limit)`: weights summing to 1 with none above `limit`. Uniform when the sum is
 * 0 or `len × limit ≤ 1`; plain normalisation when already under the limit; otherwise clips at the cutoff
 * the SDK's sorted cumulative-sum search finds (epsilon 1e-7) and renormalises.
 * @example normalizeMaxWeight([1, 1, 8], 0.5) // the 8 is clipped to the cutoff, then normalised
 */
export function normalizeMaxWeight(x: readonly number[], limit = 0.1): number[] {
  const n = x.length;
  if (n === 0) return [];
  const total = sum(x);
  if (total === 0 || n * limit <= 1) return x.map(() => 1 / n);
  const values = [...x].sort((a, b) => a - b);
  const valuesSum = sum(values);
  const estimation = values.map((v) => v / valuesSum);
  if (Math.max(...estimation) <= limit) return x.map((w) => w / total);
  const cumsum: number[] = [];
  let acc = 0;
  for (const e of estimation) cumsum.push((acc += e));
  let nValues = 0;
  for (let i = 0; i < n; i++) {
    const estimationSum = (n - i - 1) * estimation[i]!;
    if (estimation[i]! / (estimationSum + cumsum[i]! + EPSILON) < limit) nValues++;
  }
  // numpy's cumsum[n_values - 1] wraps to the last element when n_values = 0.
  const cut = cumsum[nValues === 0 ? n - 1 : nValues - 1]!;
  const cutoffScale = (limit * cut - EPSILON) / (1 - limit * (n - nValues));
  const cutoff = cutoffScale * valuesSum;
  const clipped = x.map((w) => (w > cutoff ? cutoff : w));
  const clippedSum = sum(clipped);
  return clipped.map((w) => w / clippedSum);
}

/**
 * `process_weights` of `process_weights_for_netuid`: keeps the non-zero weights, falls back to uniform
 * weights over all `n` uids when there are none (or `n < minAllowedWeights`), pads to all uids with 1e-5
 * when fewer than `minAllowedWeights` are non-zero, else drops those below the exclude quantile
 * (capped so at least `minAllowedWeights` remain) and applies `normalizeMaxWeight(maxWeightsLimit / 65535)`.
 * @throws InvalidParametersError when `uids` and `weights` differ in length
 * @example processWeights({ uids: [0, 1, 2], weights: [0.2, 0, 0.8], n: 3, minAllowedWeights: 1, maxWeightsLimit: 65535 })
 */
export function processWeights(params: ProcessWeightsParameters): { uids: number[]; weights: number[] } {
  const { n, minAllowedWeights } = params;
  checkLengths(params);
  const weights = params.weights.map((w) => Math.fround(w));
  const quantile = (params.excludeQuantile ?? 0) / U16_MAX;
  const maxWeightLimit = params.maxWeightsLimit / U16_MAX;
  const nonZeroIdx = weights.map((w, i) => (w > 0 ? i : -1)).filter((i) => i >= 0);
  const nonZeroUids = nonZeroIdx.map((i) => params.uids[i]!);
  const nonZeroWeights = nonZeroIdx.map((i) => weights[i]!);
  if (nonZeroWeights.length === 0 || n < minAllowedWeights) {
    return { uids: range(n), weights: range(n).map(() => 1 / n) };
  }
  if (nonZeroWeights.length < minAllowedWeights) {
    // The SDK adds by position in the input arrays (not by uid) into an array of length n.
    const padded = range(n).map(() => 1e-5);
    nonZeroIdx.forEach((i, k) => {
      if (i < n) padded[i] = padded[i]! + nonZeroWeights[k]!;
    });
    return { uids: range(n), weights: normalizeMaxWeight(padded, maxWeightLimit) };
  }
  const maxExclude = Math.max(0, nonZeroWeights.length - minAllowedWeights) / nonZeroWeights.length;
  const effective = Math.min(quantile, maxExclude);
  const lowest = quantileSeq(nonZeroWeights, effective) as number;
  const keptUids: number[] = [];
  const keptWeights: number[] = [];
  nonZeroWeights.forEach((w, k) => {
    if (lowest <= w) {
      keptUids.push(nonZeroUids[k]!);
      keptWeights.push(w);
    }
  });
  return { uids: keptUids, weights: normalizeMaxWeight(keptWeights, maxWeightLimit) };
}

/**
 * `convert_weights_and_uids_for_emit`: max-upscale to u16 (largest → 65535, Python half-to-even
 * `round`), dropping entries that round to 0. All-zero weights give empty lists.
 * @throws InvalidParametersError on a negative weight or uid, or differing lengths
 * @example convertWeightsAndUidsForEmit([0, 1, 2], [0.1, 0.2, 0.7]) // { uids: [0,1,2], weights: [9362, 18724, 65535] }
 */
export function convertWeightsAndUidsForEmit(uids: readonly number[], weights: readonly number[]): { uids: number[]; weights: number[] } {
  checkLengths({ uids, weights });
  if (weights.some((w) => w < 0 || Number.isNaN(w))) throw new InvalidParametersError('weights must be non-negative numbers', { weights: [...weights] });
  if (uids.some((u) => u < 0 || !Number.isInteger(u))) throw new InvalidParametersError('uids must be non-negative integers', { uids: [...uids] });
  if (sum(weights) === 0) return { uids: [], weights: [] };
  const max = Math.max(...weights);
  const outUids: number[] = [];
  const outWeights: number[] = [];
  weights.forEach((w, i) => {
    const value = roundHalfEven((w / max) * U16_MAX);
    if (value !== 0) {
      outUids.push(uids[i]!);
      outWeights.push(value);
    }
  });
  return { uids: outUids, weights: outWeights };
}

/** Python's `round()` on a float: to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Inputs of {@link weightsCommitHash}. */
export interface CommitHashParameters {
  /** The committing hotkey: SS58 address or 32-byte public key. */
  readonly hotkey: string | Uint8Array;
  readonly netuid: number;
  readonly uids: readonly number[];
  /** u16 weight values as they will be revealed. */
  readonly values: readonly number[];
  readonly salt: readonly number[];
  readonly versionKey: bigint | number;
}

/**
 * The legacy commit-reveal hash (spec §7.2): `blake2_256(SCALE(hotkey, netuid u16, uids Vec<u16>,
 * values Vec<u16>, salt Vec<u16>, version_key u64))`, as `0x` hex.
 * @example weightsCommitHash({ hotkey: alice.address, netuid: 1, uids: [0], values: [65535], salt: [1, 2], versionKey: 0 })
 */
export function weightsCommitHash(params: CommitHashParameters): string {
  const hotkey = typeof params.hotkey === 'string' ? decodeAddress(params.hotkey) : params.hotkey;
  if (hotkey.length !== 32) throw new InvalidParametersError('the hotkey must be a 32-byte public key', { length: hotkey.length });
  for (const [name, list] of [['uids', params.uids], ['values', params.values], ['salt', params.salt]] as const) {
    if (list.some((v) => !Number.isInteger(v) || v < 0 || v > U16_MAX)) throw new InvalidParametersError(`${name} must be u16 integers`, { [name]: [...list] });
  }
  assertU16(params.netuid, 'netuid');
  const version = BigInt(params.versionKey);
  if (version < 0n || version >= 1n << 64n) throw new InvalidParametersError('versionKey must be a u64', { versionKey: version.toString() });
  const bytes = u8aConcat(hotkey, u16le(params.netuid), vecU16(params.uids), vecU16(params.values), vecU16(params.salt), u64le(version));
  return blake2AsHex(bytes, 256);
}

function assertU16(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0 || v > U16_MAX) throw new InvalidParametersError(`${name} must be a u16`, { [name]: v });
}

function u16le(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >> 8) & 0xff]);
}

function vecU16(list: readonly number[]): Uint8Array {
  return u8aConcat(compactToU8a(list.length), ...list.map(u16le));
}

function u64le(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

function checkLengths(p: UidWeights): void {
  if (p.uids.length !== p.weights.length) throw new InvalidParametersError(`uids (${p.uids.length}) and weights (${p.weights.length}) differ in length`, { uids: p.uids.length, weights: p.weights.length });
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
