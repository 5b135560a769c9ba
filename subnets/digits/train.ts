/**
 * Training of the digits models in TypeScript: seeded initialization, seeded shuffling and seeded
 * augmentation of the training set every epoch, minibatch Adam with a cosine-decayed step size, softmax
 * cross-entropy. No randomness comes from anywhere else, so a run is bit-reproducible on the same Node
 * version (the committed models are what `tensornet models train digits` writes with the default seed).
 */
import { mulberry32 } from '../../common/random';

import { augmentDigit } from './augment';
import { DIGIT_CLASSES, IMAGE_SIZE, loadDigits, type DigitSet } from './data';
import { DigitsError } from './errors';
import { digitsOnnx } from './export';
import { initLayers, lossAndGradients, Workspace, type DenseLayer } from './network';
import { DIGITS_TIER_CONFIGS, digitsTier, type DigitsTier } from './tiers';

/** The seed of the committed models. */
export const DEFAULT_DIGITS_SEED = 1;
/** Most epochs a run may ask for. */
export const MAX_DIGITS_EPOCHS = 1000;

/** Where a training run stands, reported after every minibatch. */
export interface TrainProgress {
  /** 1-based epoch being run. */
  readonly epoch: number;
  readonly epochs: number;
  /** 1-based minibatch of this epoch just done. */
  readonly batch: number;
  readonly batches: number;
  /** Mean cross-entropy over this epoch's minibatches so far. */
  readonly loss: number;
}

export interface TrainDigitsOptions {
  /** Passes over the training set. @default the tier's (`DIGITS_TIER_CONFIGS[tier].epochs`) */
  readonly epochs?: number;
  /** Seeds initialization, shuffling and augmentation; an unsigned 32-bit integer. @default 1 */
  readonly seed?: number;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** The images to train on. @default loadDigits().train */
  readonly set?: DigitSet;
}

/** A trained network and how it was made. */
export interface TrainedDigits {
  readonly tier: DigitsTier;
  readonly layers: readonly DenseLayer[];
  readonly epochs: number;
  readonly seed: number;
  /** Mean training loss of each epoch, in order. */
  readonly epochLosses: readonly number[];
}

// A module-level alias: a global lookup per parameter is slow inside a vm context (jest).
const { sqrt } = Math;

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;
const FINAL_LEARNING_RATE_FRACTION = 0.05;
/** How long the training loop may hold the event loop before it yields (lets a progress bar redraw). */
const YIELD_EVERY_MS = 50;

function checkOptions(options: TrainDigitsOptions, defaultEpochs: number): { epochs: number; seed: number } {
  const epochs = options.epochs ?? defaultEpochs;
  if (!Number.isSafeInteger(epochs) || epochs < 1 || epochs > MAX_DIGITS_EPOCHS) {
    throw new DigitsError('InvalidOptions', `epochs must be an integer in [1, ${MAX_DIGITS_EPOCHS}] (got ${epochs})`, { option: 'epochs' });
  }
  const seed = options.seed ?? DEFAULT_DIGITS_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new DigitsError('InvalidOptions', `seed must be an integer in [0, 2^32 - 1] (got ${seed})`, { option: 'seed' });
  }
  if (options.set !== undefined && (options.set.count < 1 || options.set.images.length !== options.set.count * IMAGE_SIZE || options.set.labels.length !== options.set.count)) {
    throw new DigitsError('InvalidOptions', 'set must hold count >= 1 images of 784 floats and count labels', { option: 'set' });
  }
  return { epochs, seed };
}

/** Adam's state over every layer's parameters. */
class Adam {
  private readonly moments: { m: Float64Array; v: Float64Array }[][];
  private step = 0;

  constructor(private readonly layers: readonly DenseLayer[]) {
    this.moments = layers.map((l) => [l.weights, l.bias].map((p) => ({ m: new Float64Array(p.length), v: new Float64Array(p.length) })));
  }

  update(gradients: Workspace['gradients'], learningRate: number): void {
    this.step++;
    const stepSize = (learningRate * Math.sqrt(1 - ADAM_BETA2 ** this.step)) / (1 - ADAM_BETA1 ** this.step);
    this.layers.forEach((layer, l) => {
      const pairs = [
        [layer.weights, gradients[l]!.weights],
        [layer.bias, gradients[l]!.bias],
      ] as const;
      pairs.forEach(([param, grad], k) => {
        const { m, v } = this.moments[l]![k]!;
        for (let i = 0; i < param.length; i++) {
          const g = grad[i]!;
          m[i] = ADAM_BETA1 * m[i]! + (1 - ADAM_BETA1) * g;
          v[i] = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * g * g;
          param[i] = param[i]! - (stepSize * m[i]!) / (sqrt(v[i]!) + ADAM_EPSILON);
        }
      });
    });
  }
}

/** A uniform 32-bit seed drawn from `rng` (to give each random stream of a run its own generator). */
function subSeed(rng: () => number): number {
  return Math.floor(rng() * 0x100000000) >>> 0;
}

/** Trains a tier's network and returns it (the layers are what {@link trainDigitsModel} exports). */
export async function trainDigitsNetwork(tierName: DigitsTier, options: TrainDigitsOptions = {}): Promise<TrainedDigits> {
  const tier = digitsTier(tierName);
  const config = DIGITS_TIER_CONFIGS[tier];
  const { epochs, seed } = checkOptions(options, config.epochs);
  const set = options.set ?? loadDigits().train;

  const root = mulberry32(seed);
  const layers = initLayers([IMAGE_SIZE, ...config.hidden, DIGIT_CLASSES], mulberry32(subSeed(root)));
  const shuffleRng = mulberry32(subSeed(root));
  const augmentRng = mulberry32(subSeed(root));

  const batchSize = config.batchSize;
  const batches = Math.ceil(set.count / batchSize);
  const totalSteps = epochs * batches;
  const ws = new Workspace(layers, batchSize);
  const adam = new Adam(layers);
  const order = Int32Array.from({ length: set.count }, (_, i) => i);
  const epochLosses: number[] = [];
  let step = 0;
  let yieldedAt = Date.now();

  for (let epoch = 1; epoch <= epochs; epoch++) {
    // Fisher-Yates over the previous order.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(shuffleRng() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let lossSum = 0;
    for (let batch = 0; batch < batches; batch++) {
      const start = batch * batchSize;
      const rows = Math.min(batchSize, set.count - start);
      for (let r = 0; r < rows; r++) {
        const index = order[start + r]!;
        ws.input.set(augmentDigit(set.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), augmentRng), r * IMAGE_SIZE);
      }
      lossSum += lossAndGradients(ws, rows, (r) => set.labels[order[start + r]!]!) / rows;
      const progress = step / Math.max(1, totalSteps - 1);
      const fraction = FINAL_LEARNING_RATE_FRACTION + (1 - FINAL_LEARNING_RATE_FRACTION) * 0.5 * (1 + Math.cos(Math.PI * progress));
      adam.update(ws.gradients, config.learningRate * fraction);
      step++;
      options.onProgress?.({ epoch, epochs, batch: batch + 1, batches, loss: lossSum / (batch + 1) });
      if (Date.now() - yieldedAt >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yieldedAt = Date.now();
      }
    }
    epochLosses.push(lossSum / batches);
  }
  return { tier, layers, epochs, seed, epochLosses };
}

/** The ONNX bytes of a trained network (input `image` float32 [N, 784], output `probabilities` float32 [N, 10]). */
export function exportDigitsModel(trained: TrainedDigits): Uint8Array {
  const sizes = [IMAGE_SIZE, ...trained.layers.map((l) => l.outputs)].join('→');
  return digitsOnnx(
    trained.layers,
    { subnet: 'digits', tier: trained.tier, architecture: sizes, epochs: String(trained.epochs), seed: String(trained.seed) },
    `tensornet digits model, tier ${trained.tier}: ${sizes} (ReLU between layers, softmax output), ${trained.epochs} epochs, seed ${trained.seed}`,
  );
}

/**
 * Trains a tier on the fixed training set and returns its ONNX bytes. The same tier, epochs and seed give
 * the same bytes on the same Node version. Throws `UnknownTier` or `InvalidOptions`.
 */
export async function trainDigitsModel(tier: DigitsTier, options: TrainDigitsOptions = {}): Promise<Uint8Array> {
  return exportDigitsModel(await trainDigitsNetwork(tier, options));
}
