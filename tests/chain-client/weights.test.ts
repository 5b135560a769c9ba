/**
 * The SDK's weight processing as pure functions. Expected values were computed with numpy 2.4 running a
 * transcription of `bittensor/utils/weight_utils.py` (`process_weights_for_netuid` with float32 inputs,
 * `normalize_max_weight`, `convert_weights_and_uids_for_emit`) on seeded random inputs (numpy default_rng(7)).
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { convertWeightsAndUidsForEmit, normalizeMaxWeight, processWeights, roundHalfEven, weightsCommitHash } from '../../chain-client/weights';
import { InvalidParametersError } from '../../chain-client/operations/errors';

interface Case {
  n: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  excludeQuantile: number;
  weights: number[];
  outUids: number[];
  outWeights: number[];
  emitUids: number[];
  emitWeights: number[];
}

const CASES: Case[] = [{"n": 10, "minAllowedWeights": 1, "maxWeightsLimit": 65535, "excludeQuantile": 0, "weights": [0.6251, 0.0, 0.0, 0.2252, 0.3002, 0.8736, 0.0053, 0.8212, 0.7971, 0.4679], "outUids": [0, 3, 4, 5, 6, 7, 8, 9], "outWeights": [0.1518855094909668, 0.05471862852573395, 0.07294197380542755, 0.2122655212879181, 0.0012877830304205418, 0.19953347742557526, 0.19367770850658417, 0.1136893779039383], "emitUids": [0, 3, 4, 5, 6, 7, 8, 9], "emitWeights": [46893, 16894, 22520, 65535, 398, 61604, 59796, 35101]}, {"n": 10, "minAllowedWeights": 3, "maxWeightsLimit": 13107, "excludeQuantile": 0, "weights": [0.2153, 0.0, 0.0, 0.0, 0.0357, 0.0, 0.4662, 0.0, 0.6292, 0.0], "outUids": [0, 4, 6, 8], "outWeights": [0.25, 0.25, 0.25, 0.25], "emitUids": [0, 4, 6, 8], "emitWeights": [65535, 65535, 65535, 65535]}, {"n": 16, "minAllowedWeights": 4, "maxWeightsLimit": 6553, "excludeQuantile": 16384, "weights": [0.2676, 0.8803, 0.5098, 0.8472, 0.6397, 0.7418, 0.0915, 0.0, 0.5078, 0.0, 0.3613, 0.0, 0.0593, 0.0, 0.323, 0.1502], "outUids": [0, 1, 2, 3, 4, 5, 8, 10, 14], "outWeights": [0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534, 0.1111111119389534], "emitUids": [0, 1, 2, 3, 4, 5, 8, 10, 14], "emitWeights": [65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535]}, {"n": 8, "minAllowedWeights": 8, "maxWeightsLimit": 32768, "excludeQuantile": 0, "weights": [0.0, 0.6622, 0.1316, 0.0, 0.9449, 0.9039, 0.5697, 0.1455], "outUids": [0, 1, 2, 3, 4, 5, 6, 7], "outWeights": [2.9780695033556636e-06, 0.19721073285662052, 0.039194374941848166, 2.9780695033556636e-06, 0.28140075836971007, 0.26919068860053175, 0.1696635984709058, 0.04333389062137704], "emitUids": [0, 1, 2, 3, 4, 5, 6, 7], "emitWeights": [1, 45928, 9128, 1, 65535, 62691, 39513, 10092]}, {"n": 12, "minAllowedWeights": 2, "maxWeightsLimit": 65535, "excludeQuantile": 32767, "weights": [0.411, 0.2395, 0.0381, 0.8762, 0.4677, 0.5476, 0.3222, 0.7513, 0.0252, 0.3722, 0.0304, 0.1229], "outUids": [0, 3, 4, 5, 7, 9], "outWeights": [0.11996497213840485, 0.2557501494884491, 0.13651488721370697, 0.1598365306854248, 0.21929362416267395, 0.10863981395959854], "emitUids": [0, 3, 4, 5, 7, 9], "emitWeights": [30741, 65535, 34981, 40958, 56193, 27839]}, {"n": 20, "minAllowedWeights": 5, "maxWeightsLimit": 9830, "excludeQuantile": 65535, "weights": [0.1511, 0.0, 0.0052, 0.753, 0.8105, 0.1368, 0.4189, 0.8153, 0.0143, 0.6285, 0.793, 0.513, 0.7258, 0.2264, 0.0, 0.3631, 0.1794, 0.3461, 0.0, 0.5733], "outUids": [3, 4, 7, 10, 12], "outWeights": [0.20000000298023224, 0.20000000298023224, 0.20000000298023224, 0.20000000298023224, 0.20000000298023224], "emitUids": [3, 4, 7, 10, 12], "emitWeights": [65535, 65535, 65535, 65535, 65535]}, {"n": 6, "minAllowedWeights": 10, "maxWeightsLimit": 65535, "excludeQuantile": 0, "weights": [0.0, 0.0, 0.0, 0.9716, 0.3327, 0.0], "outUids": [0, 1, 2, 3, 4, 5], "outWeights": [0.16666666666666666, 0.16666666666666666, 0.16666666666666666, 0.16666666666666666, 0.16666666666666666, 0.16666666666666666], "emitUids": [0, 1, 2, 3, 4, 5], "emitWeights": [65535, 65535, 65535, 65535, 65535, 65535]}, {"n": 9, "minAllowedWeights": 4, "maxWeightsLimit": 21845, "excludeQuantile": 6553, "weights": [0.0, 0.0, 0.5, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0], "outUids": [0, 1, 2, 3, 4, 5, 6, 7, 8], "outWeights": [0.047721319861375684, 0.047721319861375684, 0.33297538048518516, 0.047721319861375684, 0.047721319861375684, 0.33297538048518516, 0.047721319861375684, 0.047721319861375684, 0.047721319861375684], "emitUids": [0, 1, 2, 3, 4, 5, 6, 7, 8], "emitWeights": [9392, 9392, 65535, 9392, 9392, 65535, 9392, 9392, 9392]}];

describe('processWeights + convertWeightsAndUidsForEmit vs the numpy reference', () => {
  test.each(CASES.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const out = processWeights({ uids: c.weights.map((_, i) => i), weights: c.weights, n: c.n, minAllowedWeights: c.minAllowedWeights, maxWeightsLimit: c.maxWeightsLimit, excludeQuantile: c.excludeQuantile });
    expect(out.uids).toEqual(c.outUids);
    expect(out.weights).toHaveLength(c.outWeights.length);
    out.weights.forEach((w, i) => expect(Math.abs(w - c.outWeights[i]!)).toBeLessThan(1e-6));
    const emitted = convertWeightsAndUidsForEmit(out.uids, out.weights);
    expect(emitted.uids).toEqual(c.emitUids);
    expect(emitted.weights).toEqual(c.emitWeights);
  });

  test('behavior: the reference cases cover every branch', () => {
    // uniform fallback (n < min), padding (nnz < min), quantile exclusion and max-weight clipping.
    expect(CASES.some((c) => c.n < c.minAllowedWeights)).toBe(true);
    expect(CASES.some((c) => c.outUids.length === c.n && c.weights.filter((w) => w > 0).length < c.minAllowedWeights && c.n >= c.minAllowedWeights)).toBe(true);
    expect(CASES.some((c) => c.excludeQuantile > 0 && c.outUids.length < c.weights.filter((w) => w > 0).length)).toBe(true);
    expect(CASES.some((c) => c.maxWeightsLimit < 65535 && Math.max(...c.outWeights) <= c.maxWeightsLimit / 65535 + 1e-6)).toBe(true);
  });
});

describe('normalizeMaxWeight', () => {
  test('default: clips to the limit like numpy', () => {
    const a = normalizeMaxWeight([1, 1, 8], 0.5);
    [0.25000012500006247, 0.25000012500006247, 0.499999749999875].forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));
    const b = normalizeMaxWeight([0.1, 0.2, 0.3, 5, 7], 0.3);
    [0.06666694666784267, 0.13333389333568535, 0.200000840003528, 0.29999915999647203, 0.29999915999647203].forEach((v, i) => expect(b[i]).toBeCloseTo(v, 12));
  });

  test('behavior: uniform when the sum is 0 or len × limit ≤ 1; plain normalisation under the limit', () => {
    expect(normalizeMaxWeight([0, 0, 0, 0], 0.5)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(normalizeMaxWeight([3, 1], 0.5)).toEqual([0.5, 0.5]);
    expect(normalizeMaxWeight([1, 1, 2], 0.6)).toEqual([0.25, 0.25, 0.5]);
  });

  test('behavior: result sums to 1 with no element above the limit (seeded)', () => {
    let x = 12345;
    const rand = (): number => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let t = 0; t < 200; t++) {
      const n = 2 + Math.floor(rand() * 30);
      const w = Array.from({ length: n }, () => (rand() < 0.2 ? rand() * 100 : rand()));
      const limit = 1 / n + rand() * 0.5;
      const out = normalizeMaxWeight(w, limit);
      expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(Math.max(...out)).toBeLessThanOrEqual(limit + 1e-6);
    }
  });
});

describe('convertWeightsAndUidsForEmit', () => {
  test('default: max-upscale to u16', () => {
    expect(convertWeightsAndUidsForEmit([0, 1, 2], [0.1, 0.2, 0.7])).toEqual({ uids: [0, 1, 2], weights: [9362, 18724, 65535] });
  });
  test('behavior: half-to-even rounding drops 0.5 and keeps 1.5 → 2', () => {
    expect(convertWeightsAndUidsForEmit([0, 1], [1, 0.5 / 65535])).toEqual({ uids: [0], weights: [65535] });
    expect(convertWeightsAndUidsForEmit([0, 1], [1, 1.5 / 65535])).toEqual({ uids: [0, 1], weights: [65535, 2] });
    expect([0.5, 1.5, 2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 2, 3]);
  });
  test('behavior: all-zero weights set nothing', () => {
    expect(convertWeightsAndUidsForEmit([0, 1], [0, 0])).toEqual({ uids: [], weights: [] });
  });
  test('error: negative weight, negative uid, length mismatch', () => {
    expect(() => convertWeightsAndUidsForEmit([0], [-1])).toThrow(InvalidParametersError);
    expect(() => convertWeightsAndUidsForEmit([-1], [1])).toThrow(InvalidParametersError);
    expect(() => convertWeightsAndUidsForEmit([0, 1], [1])).toThrow(InvalidParametersError);
    expect(() => processWeights({ uids: [0], weights: [1, 2], n: 2, minAllowedWeights: 1, maxWeightsLimit: 65535 })).toThrow(InvalidParametersError);
  });
});

describe('weightsCommitHash', () => {
  beforeAll(cryptoWaitReady);
  test('default: blake2_256 over the SCALE tuple (hand-built bytes)', () => {
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const expected = blake2AsHex(
      Uint8Array.from([...alice.publicKey, 1, 0, 8, 0, 0, 3, 0, 8, 0xff, 0xff, 0x01, 0x80, 12, 1, 0, 2, 0, 3, 0, 7, 0, 0, 0, 0, 0, 0, 0]),
      256,
    );
    expect(weightsCommitHash({ hotkey: alice.address, netuid: 1, uids: [0, 3], values: [65535, 32769], salt: [1, 2, 3], versionKey: 7n })).toBe(expected);
    expect(weightsCommitHash({ hotkey: alice.publicKey, netuid: 1, uids: [0, 3], values: [65535, 32769], salt: [1, 2, 3], versionKey: 7 })).toBe(expected);
  });
  test('error: out-of-range values', () => {
    expect(() => weightsCommitHash({ hotkey: new Uint8Array(32), netuid: 1, uids: [70000], values: [1], salt: [], versionKey: 0 })).toThrow(InvalidParametersError);
    expect(() => weightsCommitHash({ hotkey: new Uint8Array(31), netuid: 1, uids: [1], values: [1], salt: [], versionKey: 0 })).toThrow(InvalidParametersError);
    expect(() => weightsCommitHash({ hotkey: new Uint8Array(32), netuid: 1, uids: [1], values: [1], salt: [], versionKey: -1 })).toThrow(InvalidParametersError);
  });
});
