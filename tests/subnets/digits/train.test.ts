/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * Training of the digits models: the backward pass agrees with finite differences, bad options are
 * refused, and a short run on a subset learns (its loss falls), is bit-reproducible under its seed, and
 * exports an ONNX model that onnxruntime loads and that scores like the TypeScript network.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { mulberry32 } from '../../../common/random';
import { EngineError, mlpModel } from '../../../miner/engine';
import { IMAGE_SIZE, loadDigits, type DigitSet } from '../../../subnets/digits/data';
import { DigitsError } from '../../../subnets/digits/errors';
import { evaluateDigitsModel } from '../../../subnets/digits/evaluate';
import { initLayers, lossAndGradients, predict, Workspace } from '../../../subnets/digits/network';
import { DIGITS_TIER_CONFIGS, DIGITS_TIERS, digitsModelPath, type DigitsTier } from '../../../subnets/digits/tiers';
import { exportDigitsModel, trainDigitsModel, trainDigitsNetwork, type TrainProgress } from '../../../subnets/digits/train';

/** Every 8th training image (all ten digits, about 1,000 images). */
function subset(set: DigitSet, every: number): DigitSet {
  const count = Math.ceil(set.count / every);
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    images.set(set.images.subarray(k * every * IMAGE_SIZE, (k * every + 1) * IMAGE_SIZE), k * IMAGE_SIZE);
    labels[k] = set.labels[k * every]!;
  }
  return { images, labels, count };
}

async function rejection(promise: Promise<unknown>): Promise<DigitsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DigitsError);
  return err as DigitsError;
}

describe('backpropagation', () => {
  test('the gradients of a small ReLU network match central finite differences', () => {
    const layers = initLayers([7, 5, 4, 3], mulberry32(5));
    const rows = 4;
    const ws = new Workspace(layers, rows);
    const rng = mulberry32(9);
    // Some exact zeros, as in digit images (the forward and backward passes skip them).
    for (let i = 0; i < rows * 7; i++) ws.input[i] = rng() < 0.3 ? 0 : rng();
    const labels = [0, 2, 1, 2];
    const labelOf = (r: number): number => labels[r]!;
    lossAndGradients(ws, rows, labelOf);
    const analytic = ws.gradients.map((g) => ({ weights: g.weights.slice(), bias: g.bias.slice() }));
    const meanLoss = (): number => lossAndGradients(ws, rows, labelOf) / rows;
    let checked = 0;
    layers.forEach((layer, l) => {
      for (const [param, grad] of [
        [layer.weights, analytic[l]!.weights],
        [layer.bias, analytic[l]!.bias],
      ] as const) {
        for (let i = 0; i < param.length; i++) {
          const original = param[i]!;
          const h = 1e-2;
          param[i] = original + h;
          const up = meanLoss();
          param[i] = original - h;
          const down = meanLoss();
          param[i] = original;
          // The float32 parameters move by exactly ±h' (h rounded to float32 around the value).
          const step = (Math.fround(original + h) - Math.fround(original - h)) / 2;
          const numeric = (up - down) / (2 * step);
          expect(Math.abs(numeric - grad[i]!)).toBeLessThan(2e-4 + 1e-2 * Math.abs(numeric));
          checked++;
        }
      }
    });
    expect(checked).toBe(7 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
  });
});

describe('trainDigitsModel: options', () => {
  test('unknown tiers and out-of-range epochs, seeds and sets are refused with typed errors', async () => {
    expect((await rejection(trainDigitsModel('huge' as DigitsTier))).code).toBe('UnknownTier');
    for (const epochs of [0, -1, 1.5, 1001, Number.NaN]) expect((await rejection(trainDigitsModel('linear', { epochs }))).code).toBe('InvalidOptions');
    for (const seed of [-1, 2 ** 32, 0.5]) expect((await rejection(trainDigitsModel('linear', { seed }))).code).toBe('InvalidOptions');
    const empty = { images: new Float32Array(0), labels: new Uint8Array(0), count: 0 };
    expect((await rejection(trainDigitsModel('linear', { set: empty }))).code).toBe('InvalidOptions');
  });

  test('tiers: names, growing architectures, and model paths inside the repository', () => {
    expect(DIGITS_TIERS).toEqual(['linear', 'mlp', 'mlp-large']);
    const params = DIGITS_TIERS.map((t) => [IMAGE_SIZE, ...DIGITS_TIER_CONFIGS[t].hidden, 10].reduce((sum, size, i, all) => (i === 0 ? 0 : sum + all[i - 1]! * size + size), 0));
    expect(params[0]).toBeLessThan(params[1]!);
    expect(params[1]).toBeLessThan(params[2]!);
    expect(digitsModelPath('mlp-large')).toBe(join(__dirname, '..', '..', '..', 'subnets', 'digits', 'models', 'digits-mlp-large.onnx'));
    expect(() => digitsModelPath('huge' as DigitsTier)).toThrow(DigitsError);
  });
});

describe('a short training run', () => {
  const { heldOut, train } = loadDigits();
  const small = subset(train, 8);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'digits-train-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('learns, reports progress, is reproducible under its seed, and exports a model onnxruntime scores like the network', async () => {
    const events: TrainProgress[] = [];
    const trained = await trainDigitsNetwork('mlp', { epochs: 4, seed: 3, set: small, onProgress: (p) => events.push(p) });
    const batches = Math.ceil(small.count / DIGITS_TIER_CONFIGS.mlp.batchSize);
    expect(events).toHaveLength(4 * batches);
    expect(events[events.length - 1]).toMatchObject({ epoch: 4, epochs: 4, batch: batches, batches });
    expect(events.every((e) => Number.isFinite(e.loss) && e.loss > 0)).toBe(true);
    expect(trained.epochLosses).toHaveLength(4);
    expect(trained.epochLosses[3]).toBeLessThan(trained.epochLosses[0]! * 0.6);

    const bytes = exportDigitsModel(trained);
    const again = await trainDigitsModel('mlp', { epochs: 4, seed: 3, set: small });
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const otherSeed = await trainDigitsModel('mlp', { epochs: 4, seed: 4, set: small });
    expect(Buffer.from(otherSeed).equals(Buffer.from(bytes))).toBe(false);

    const path = join(dir, 'mlp.onnx');
    writeFileSync(path, bytes);
    const { accuracy, count } = await evaluateDigitsModel(path, heldOut, { batchSize: 300 });
    expect(count).toBe(heldOut.count);
    expect(accuracy).toBeGreaterThan(0.75); // chance is 0.1
    const predictions = predict(trained.layers, heldOut);
    const networkAccuracy = predictions.filter((p, i) => p === heldOut.labels[i]).length / heldOut.count;
    // float32 (onnxruntime) and float64 (the trainer) sums can only disagree on near ties.
    expect(Math.abs(accuracy - networkAccuracy)).toBeLessThanOrEqual(2 / heldOut.count);
  });

  test('evaluation refuses an empty set and a model of another interface', async () => {
    const empty = { images: new Float32Array(0), labels: new Uint8Array(0), count: 0 };
    expect((await rejection(evaluateDigitsModel(digitsModelPath('linear'), empty))).code).toBe('InvalidOptions');
    expect((await rejection(evaluateDigitsModel(digitsModelPath('linear'), heldOut, { batchSize: 0 }))).code).toBe('InvalidOptions');
    // A classifier whose input is named 'input', not 'image'.
    const other = join(dir, 'other.onnx');
    writeFileSync(other, mlpModel({ inputSize: IMAGE_SIZE, outputSize: 10 }).bytes);
    const err = await evaluateDigitsModel(other, heldOut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('ModelSpecMismatch');
  });
});
