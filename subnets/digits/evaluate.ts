/**
 * Held-out accuracy of a digits model file, measured the way a miner serves it: through the inference
 * engine (onnxruntime), in batches.
 */
import { Tensor } from 'onnxruntime-node';

import { mulberry32 } from '../../common/random';
import { InferenceEngine, type Device } from '../../miner/engine';

import { augmentDigitSet } from './augment';
import { DIGIT_CLASSES, IMAGE_SIZE, type DigitSet } from './data';
import { DigitsError } from './errors';
import { DIGITS_MODEL_SPEC } from './export';

export interface EvaluateDigitsOptions {
  /** Images per onnxruntime run. @default 500 */
  readonly batchSize?: number;
  /** @default 'cpu' */
  readonly device?: Device;
  /**
   * Score augmented copies of the images (`augmentDigit` with `mulberry32(augmentSeed)`, image by image in
   * order), as validators query, instead of the images themselves. @default undefined (no augmentation)
   */
  readonly augmentSeed?: number;
}

export interface DigitsEvaluation {
  /** Fraction of images whose most probable class is their label. */
  readonly accuracy: number;
  readonly count: number;
}

function checkOptions(set: DigitSet, options: EvaluateDigitsOptions): number {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new DigitsError('InvalidOptions', `batchSize must be a positive integer (got ${batchSize})`, { option: 'batchSize' });
  if (options.augmentSeed !== undefined && (!Number.isSafeInteger(options.augmentSeed) || options.augmentSeed < 0 || options.augmentSeed > 0xffffffff)) {
    throw new DigitsError('InvalidOptions', `augmentSeed must be an integer in [0, 2^32 - 1] (got ${options.augmentSeed})`, { option: 'augmentSeed' });
  }
  if (set.count < 1 || set.images.length !== set.count * IMAGE_SIZE || set.labels.length !== set.count) {
    throw new DigitsError('InvalidOptions', `set must hold count >= 1 images of ${IMAGE_SIZE} floats and count labels`, { option: 'set' });
  }
  return batchSize;
}

/** The most probable class of each row of a [rows, 10] probabilities output. */
function argmaxRows(probabilities: Tensor, rows: number): Uint8Array {
  if (probabilities.type !== 'float32' || probabilities.dims.length !== 2 || probabilities.dims[0] !== rows || probabilities.dims[1] !== DIGIT_CLASSES) {
    throw new DigitsError('InvalidModel', `the model's probabilities are ${probabilities.type} [${probabilities.dims.join(', ')}], expected float32 [${rows}, ${DIGIT_CLASSES}]`, { reason: 'output shape' });
  }
  const data = probabilities.data as Float32Array;
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < DIGIT_CLASSES; j++) if (data[r * DIGIT_CLASSES + j]! > data[r * DIGIT_CLASSES + best]!) best = j;
    out[r] = best;
  }
  return out;
}

/**
 * Runs the model at `path` on every image of `set` and returns its accuracy. The model must take `image`
 * float32 [N, 784] and give `probabilities` float32 [N, 10] (engine errors `ModelNotFound`, `ModelInvalid`,
 * `ModelSpecMismatch` otherwise). Throws `InvalidOptions` for an empty set or bad options.
 */
export async function evaluateDigitsModel(path: string, set: DigitSet, options: EvaluateDigitsOptions = {}): Promise<DigitsEvaluation> {
  const batchSize = checkOptions(set, options);
  const scored = options.augmentSeed === undefined ? set : augmentDigitSet(set, mulberry32(options.augmentSeed));
  const engine = await InferenceEngine.load(path, { device: options.device ?? 'cpu', spec: DIGITS_MODEL_SPEC, watch: false, worker: false, maxBatch: 1 });
  try {
    let correct = 0;
    for (let start = 0; start < scored.count; start += batchSize) {
      const rows = Math.min(batchSize, scored.count - start);
      const image = new Tensor('float32', scored.images.slice(start * IMAGE_SIZE, (start + rows) * IMAGE_SIZE), [rows, IMAGE_SIZE]);
      const { probabilities } = await engine.runUnbatched({ image });
      const predicted = argmaxRows(probabilities!, rows);
      for (let r = 0; r < rows; r++) if (predicted[r] === scored.labels[start + r]) correct++;
    }
    return { accuracy: correct / scored.count, count: scored.count };
  } finally {
    await engine.close();
  }
}
