/**
 * The `digit-sequence` subnet, a streaming one: validators send an image of 3 to 6 handwritten digits side
 * by side (augmented held-out MNIST digits, 2-8 blank columns apart); miners cut it into digits and stream
 * each digit's class and probabilities as soon as the digits model has classified it; the answer the
 * chunks assemble into is the digit string and the probability vectors.
 *
 * Reward: `(1 − CER(digits, truth)) × latencyFactor(latency, timeout, 0.2) × latencyFactor(firstChunk, timeout, 0.1)`:
 * sequence accuracy (edit distance over the digit string, so a missed or extra digit costs one position, not
 * the rest of the sequence), with a premium for finishing fast and a smaller one for starting fast.
 *
 * Copy detection compares the full float32 probability vectors. No optimistic verification.
 *
 * The matching Python synapse (a `bt.StreamingSynapse` whose miner yields one JSON line per digit):
 *
 *     class DigitSequence(bt.StreamingSynapse):
 *         image: Optional[bt.Tensor] = None                # float32 [28, W], values in [0, 1]
 *         digits: Optional[str] = None                     # assembled: the digit string
 *         probabilities: Optional[list[list[float]]] = None
 *         required_hash_fields = ('image',)
 */
import { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { AxonRefusal } from '../../miner';
import { runModel } from '../../miner/handlers';
import { btTensor, decodeTensor, defineSynapse, encodeTensor, ProtocolError, type BtTensor } from '../../protocol';
import { augmentDigit, DIGIT_CLASSES, DIGITS_MINER_TIERS, DIGITS_MODEL_SPEC, IMAGE_SIDE, IMAGE_SIZE, loadDigits, probabilitiesOf } from '../digits';
import { characterErrorRate } from '../ocr';
import { defineStreamingSubnet, latencyFactor } from '../sdk';
import { composeSequence, MAX_GAP, MIN_GAP, segmentSequence, type SequenceImage } from './segment';

/** Digits per task, at least and at most. */
export const MIN_DIGITS = 3;
export const MAX_DIGITS = 6;
/** The widest image a miner accepts, columns. */
export const MAX_SEQUENCE_WIDTH = 512;
export const DIGIT_SEQUENCE_TIMEOUT_S = 5;

const probabilities = z.array(z.number().min(0).max(1)).length(DIGIT_CLASSES);

export const DigitSequence = defineSynapse({
  name: 'DigitSequence',
  request: { image: btTensor },
  response: {
    digits: z.string().regex(/^[0-9]*$/, 'digits 0-9 only').max(MAX_SEQUENCE_WIDTH),
    probabilities: z.array(probabilities).max(MAX_SEQUENCE_WIDTH),
  },
  streaming: true,
});

/** One streamed chunk: a digit, as soon as it is classified. */
export const digitChunk = z.object({
  index: z.number().int().nonnegative().describe('its position, from 0, left to right'),
  digit: z.number().int().min(0).max(DIGIT_CLASSES - 1).describe('the most probable class'),
  probabilities: probabilities.describe('the model’s probability of each class'),
}).strict();
export type DigitChunk = z.infer<typeof digitChunk>;

/** What only the validator knows about a task. */
export interface DigitSequenceReference {
  /** The digit string. */
  readonly digits: string;
  /** The held-out images the digits were drawn from. */
  readonly indices: readonly number[];
}

/** The image of a request. @throws AxonRefusal `InvalidBody` */
export function sequenceImage(image: BtTensor): SequenceImage {
  let raw;
  try {
    raw = decodeTensor(image);
  } catch (err) {
    if (err instanceof ProtocolError) throw new AxonRefusal('InvalidBody', `DigitSequence.image: ${err.message}`);
    throw err;
  }
  const [height, width] = raw.shape;
  if (raw.dtype !== 'float32' || raw.shape.length !== 2 || height !== IMAGE_SIDE || width === undefined || width < 1 || width > MAX_SEQUENCE_WIDTH) {
    throw new AxonRefusal('InvalidBody', `DigitSequence.image: expected a float32 tensor of shape [28, W] with 1 ≤ W ≤ ${MAX_SEQUENCE_WIDTH}, got ${raw.dtype} [${raw.shape.join(', ')}]`);
  }
  const pixels = new Float32Array(raw.data.slice().buffer);
  for (const value of pixels) {
    if (!(value >= 0 && value <= 1)) throw new AxonRefusal('InvalidBody', 'DigitSequence.image: every pixel must be in [0, 1]');
  }
  return { width, pixels };
}

/** The answer a stream of digit chunks makes. @throws Error when the chunks are not numbered 0, 1, 2… */
export function assembleDigits(chunks: readonly DigitChunk[]): { digits: string; probabilities: number[][] } {
  chunks.forEach((chunk, i) => {
    if (chunk.index !== i) throw new Error(`chunk ${i} carries index ${chunk.index}`);
  });
  return { digits: chunks.map((c) => String(c.digit)).join(''), probabilities: chunks.map((c) => [...c.probabilities]) };
}

export const digitSequenceSubnet = defineStreamingSubnet({
  name: 'digit-sequence',
  version: '1.0.0',
  description: 'reads a row of 3-6 handwritten digits, streaming each digit as it is classified; reward: sequence accuracy × latency terms',
  synapse: DigitSequence,
  timeoutS: DIGIT_SEQUENCE_TIMEOUT_S,
  stream: { chunk: digitChunk, assemble: assembleDigits, maxChunks: MAX_SEQUENCE_WIDTH, maxChunkBytes: 4096 },
  generateTask(rng) {
    const { heldOut } = loadDigits();
    const count = MIN_DIGITS + Math.floor(rng() * (MAX_DIGITS - MIN_DIGITS + 1));
    const indices: number[] = [];
    const images: Float32Array[] = [];
    for (let i = 0; i < count; i++) {
      const index = Math.floor(rng() * heldOut.count);
      indices.push(index);
      images.push(augmentDigit(heldOut.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE), rng));
    }
    const gaps = Array.from({ length: count - 1 }, () => MIN_GAP + Math.floor(rng() * (MAX_GAP - MIN_GAP + 1)));
    const { width, pixels } = composeSequence(images, gaps);
    const image = encodeTensor({ dtype: 'float32', shape: [IMAGE_SIDE, width], data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength) });
    return { request: { image }, reference: { digits: indices.map((i) => String(heldOut.labels[i])).join(''), indices } };
  },
  reward(task, answers, { timeoutS }) {
    return answers.map((answer) => {
      if (answer.response === null) return 0;
      const accuracy = 1 - characterErrorRate(answer.response.digits, task.reference.digits);
      return accuracy * latencyFactor(answer.latencyS, timeoutS, 0.2) * latencyFactor(answer.firstChunkS ?? answer.latencyS, timeoutS, 0.1);
    });
  },
  miner: {
    model: 'required',
    modelSpec: DIGITS_MODEL_SPEC,
    tiers: DIGITS_MINER_TIERS,
    createHandler({ engine }) {
      if (engine === null) throw new TypeError('the digit-sequence handler needs a digits model');
      return async function* (request, ctx) {
        const image = sequenceImage(request.image);
        let index = 0;
        for (const segment of segmentSequence(image)) {
          const results = await runModel(engine, DigitSequence.name, () => ({ image: new Tensor('float32', segment.image, [1, IMAGE_SIZE]) }), ctx.signal);
          const probs = probabilitiesOf(results);
          const digit = probs.indexOf(Math.max(...probs));
          yield { index, digit, probabilities: probs };
          index++;
        }
      };
    },
  },
  copyDetection: { fingerprint: (response) => response.probabilities.flat(), tolerance: 1e-6 },
  hyperparameters: { min_allowed_weights: 1, max_weights_limit: 65535 },
});
