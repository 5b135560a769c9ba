/**
 * The `digits` subnet: validators send an augmented held-out handwritten digit; miners answer with the
 * probability of each class and the SHA-256 of the model they ran.
 *
 * Reward: `correct × (1 − 0.2 · min(1, latency / timeout))`, where `correct` is 1 when the true class holds
 * strictly the highest probability (a tie is not an answer) and 0 otherwise. Averaged by the validator's
 * moving average, this is held-out accuracy with a small premium for speed.
 *
 * Copy detection compares the full float32 probability vectors (independent models never agree to 1e-6).
 * Optimistic verification re-runs 10% of the answers that name a committed tier's model (by its SHA-256)
 * and penalizes answers that model would not give; answers naming another model cannot be checked.
 *
 * The matching Python synapse:
 *
 *     class DigitClassification(bt.Synapse):
 *         image: Optional[bt.Tensor] = None       # float32 [28, 28], values in [0, 1]
 *         probabilities: Optional[list[float]] = None
 *         model_sha256: Optional[str] = None
 *         required_hash_fields = ('image',)
 */
import { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { AxonRefusal } from '../../miner';
import { InferenceEngine, type Results } from '../../miner/engine';
import { runModel } from '../../miner/handlers';
import { btTensor, decodeTensor, defineSynapse, encodeTensor, ProtocolError, type BtTensor } from '../../protocol';
import { defineSubnet, latencyFactor, type SubnetTask } from '../sdk';
import { augmentDigit } from './augment';
import { DIGIT_CLASSES, IMAGE_SIDE, IMAGE_SIZE, loadDigits } from './data';
import { DIGITS_MODEL_SPEC } from './export';
import { DIGITS_TIERS, digitsModelPath, type DigitsTier } from './tiers';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const DigitClassification = defineSynapse({
  name: 'DigitClassification',
  request: { image: btTensor },
  response: {
    probabilities: z.array(z.number().min(0).max(1)).length(DIGIT_CLASSES),
    model_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
  },
});

/** What only the validator knows about a digits task. */
export interface DigitsReference {
  readonly label: number;
  /** The held-out image it was drawn from. */
  readonly index: number;
}

export const DIGITS_TIMEOUT_S = 5;

/** The image of a request as the model's input row. @throws AxonRefusal `InvalidBody` */
export function digitImage(image: BtTensor): Float32Array {
  let raw;
  try {
    raw = decodeTensor(image);
  } catch (err) {
    if (err instanceof ProtocolError) throw new AxonRefusal('InvalidBody', `DigitClassification.image: ${err.message}`);
    throw err;
  }
  const shapeOk = raw.shape.length === 2 && raw.shape[0] === IMAGE_SIDE && raw.shape[1] === IMAGE_SIDE;
  if (raw.dtype !== 'float32' || !shapeOk) {
    throw new AxonRefusal('InvalidBody', `DigitClassification.image: expected a float32 tensor of shape [28, 28], got ${raw.dtype} [${raw.shape.join(', ')}]`);
  }
  const pixels = new Float32Array(raw.data.slice().buffer);
  for (const value of pixels) {
    if (!(value >= 0 && value <= 1)) throw new AxonRefusal('InvalidBody', 'DigitClassification.image: every pixel must be in [0, 1]');
  }
  return pixels;
}

function toTensor(pixels: Float32Array): BtTensor {
  return encodeTensor({ dtype: 'float32', shape: [IMAGE_SIDE, IMAGE_SIDE], data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength) });
}

/** Whether `label` holds strictly the highest probability. */
export function predictsLabel(probabilities: readonly number[], label: number): boolean {
  const p = probabilities[label];
  if (p === undefined) return false;
  return probabilities.every((q, i) => i === label || q < p);
}

/** Reference engines for verification, one per committed tier model, loaded on first use. */
const verifiers = new Map<string, Promise<InferenceEngine>>();
let tierHashes: Map<string, DigitsTier> | undefined;

function knownModel(sha256: string): DigitsTier | undefined {
  tierHashes ??= new Map(DIGITS_TIERS.map((tier) => [createHash('sha256').update(readFileSync(digitsModelPath(tier))).digest('hex'), tier]));
  return tierHashes.get(sha256);
}

/** Closes the engines verification loaded (a validator shutting down). */
export async function closeDigitsVerifiers(): Promise<void> {
  const engines = [...verifiers.values()];
  verifiers.clear();
  for (const engine of engines) await (await engine).close();
}

async function verifyAnswer(task: SubnetTask<{ image: BtTensor }, DigitsReference>, response: { probabilities: number[]; model_sha256: string }): Promise<boolean | undefined> {
  const tier = knownModel(response.model_sha256);
  if (tier === undefined) return undefined;
  let engine = verifiers.get(tier);
  if (engine === undefined) {
    engine = InferenceEngine.load(digitsModelPath(tier), { device: 'cpu', worker: false, watch: false, spec: DIGITS_MODEL_SPEC, maxBatch: 1 });
    verifiers.set(tier, engine);
  }
  const results = await (await engine).run({ image: new Tensor('float32', digitImage(task.request.image), [1, IMAGE_SIZE]) });
  const expected = results['probabilities']!.data as Float32Array;
  return response.probabilities.every((p, i) => Math.abs(p - expected[i]!) <= 1e-5);
}

/** The committed models a digits miner may serve, most accurate first (shared by mechanisms built on them). */
export const DIGITS_MINER_TIERS = {
  'mlp-large': { description: 'two hidden layers: the most accurate', model: () => digitsModelPath('mlp-large') },
  mlp: { description: 'one hidden layer', model: () => digitsModelPath('mlp') },
  linear: { description: 'softmax regression: the least accurate', model: () => digitsModelPath('linear') },
};

/** A digits model's class probabilities, clamped to [0, 1] (float rounding can step just outside). */
export function probabilitiesOf(results: Results): number[] {
  return Array.from(results['probabilities']!.data as Float32Array, (p) => Math.min(1, Math.max(0, p)));
}

export const digitsSubnet = defineSubnet({
  name: 'digits',
  version: '1.0.0',
  description: 'handwritten digit classification (MNIST digits, held-out and augmented); reward: correct × latency term',
  synapse: DigitClassification,
  timeoutS: DIGITS_TIMEOUT_S,
  generateTask(rng) {
    const { heldOut } = loadDigits();
    const index = Math.floor(rng() * heldOut.count);
    const image = augmentDigit(heldOut.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), rng);
    return { request: { image: toTensor(image) }, reference: { label: heldOut.labels[index]!, index } };
  },
  reward(task, answers, { timeoutS }) {
    return answers.map((answer) => (answer.response !== null && predictsLabel(answer.response.probabilities, task.reference.label) ? latencyFactor(answer.latencyS, timeoutS) : 0));
  },
  miner: {
    model: 'required',
    modelSpec: DIGITS_MODEL_SPEC,
    tiers: DIGITS_MINER_TIERS,
    createHandler({ engine }) {
      if (engine === null) throw new TypeError('the digits handler needs its model');
      return async (request, ctx) => {
        const results = await runModel(engine, DigitClassification.name, () => ({ image: new Tensor('float32', digitImage(request.image), [1, IMAGE_SIZE]) }), ctx.signal);
        const probabilities = probabilitiesOf(results);
        return { probabilities, model_sha256: engine.model.sha256 };
      };
    },
  },
  copyDetection: { fingerprint: (response) => response.probabilities, tolerance: 1e-6 },
  verification: { fraction: 0.1, check: verifyAnswer },
  hyperparameters: { min_allowed_weights: 1, max_weights_limit: 65535 },
});
