/**
 * The `ocr` subnet: validators render a random text line (words and digits; varied size, spacing, rotation,
 * noise) into a grayscale image and keep the text; miners read it with the PP-OCRv4 recognizer.
 *
 * Reward: `(1 − CER) × (1 − 0.2 · min(1, latency / timeout))`, CER being the Levenshtein distance between the
 * answer and the truth over the truth's length (code points), clipped to [0, 1]. An empty answer scores 0.
 *
 * Copy detection compares the answer's text and confidence (the mean probability of its characters, a float
 * that only the same computation reproduces). There is no optimistic verification: tiers read the same line
 * differently by design, so a re-run is no reference for another miner's answer.
 *
 * The matching Python synapse:
 *
 *     class TextRecognition(bt.Synapse):
 *         image: Optional[bt.Tensor] = None  # uint8 [height, width] grayscale
 *         text: Optional[str] = None
 *         confidence: Optional[float] = None
 *         required_hash_fields = ('image',)
 */
import { z } from 'zod';
import { AxonRefusal } from '../../miner';
import { btTensor, decodeTensor, defineSynapse, encodeTensor, ProtocolError, type BtTensor } from '../../protocol';
import { defineSubnet, latencyFactor } from '../sdk';
import { characterErrorRate } from './cer';
import { OcrError } from './errors';
import { checkImage, type OcrImage } from './image';
import { OCR_MODEL_SPEC, ocrModelPath } from './model';
import { type OcrTier } from './preprocess';
import { recognizeLine } from './recognize';
import { randomTextLine, renderTextLine } from './render';
import { EngineError } from '../../miner/engine';
import { engineRefusal } from '../../miner/handlers';

export const TextRecognition = defineSynapse({
  name: 'TextRecognition',
  request: { image: btTensor },
  response: { text: z.string().max(1024), confidence: z.number().min(0).max(1) },
});

export const OCR_TIMEOUT_S = 10;

/** The image of a request. @throws AxonRefusal `InvalidBody` */
export function lineImage(image: BtTensor): OcrImage {
  const refuse = (message: string): never => {
    throw new AxonRefusal('InvalidBody', `TextRecognition.image: ${message}`);
  };
  let raw;
  try {
    raw = decodeTensor(image);
  } catch (err) {
    if (err instanceof ProtocolError) refuse(err.message);
    throw err;
  }
  if (raw.dtype !== 'uint8' || raw.shape.length !== 2) refuse(`expected a uint8 tensor of shape [height, width], got ${raw.dtype} [${raw.shape.join(', ')}]`);
  const candidate = { data: raw.data, width: raw.shape[1]!, height: raw.shape[0]!, channels: 1 as const };
  try {
    checkImage(candidate);
  } catch (err) {
    if (err instanceof OcrError) refuse(err.message);
    throw err;
  }
  return candidate;
}

const tier = (description: string) => ({ description, model: ocrModelPath });

export const ocrSubnet = defineSubnet({
  name: 'ocr',
  version: '1.0.0',
  description: 'text-line recognition with PP-OCRv4 (rendered lines); reward: (1 − character error rate) × latency term',
  synapse: TextRecognition,
  timeoutS: OCR_TIMEOUT_S,
  generateTask(rng) {
    const text = randomTextLine(rng);
    const image = renderTextLine(text, rng);
    return { request: { image: encodeTensor({ dtype: 'uint8', shape: [image.height, image.width], data: image.data }) }, reference: text };
  },
  reward(task, answers, { timeoutS }) {
    return answers.map((answer) => {
      if (answer.response === null || answer.response.text.length === 0) return 0;
      return (1 - characterErrorRate(answer.response.text, task.reference)) * latencyFactor(answer.latencyS, timeoutS);
    });
  },
  miner: {
    model: 'required',
    modelSpec: OCR_MODEL_SPEC,
    tiers: {
      full: tier('reads the image at full resolution'),
      third: tier('reads the image downscaled 3× (weaker)'),
      fifth: tier('reads the image downscaled 5× (weakest)'),
    },
    createHandler({ engine, tier: name }) {
      if (engine === null) throw new TypeError('the ocr handler needs its model');
      const ocrTier = name as OcrTier;
      return async (request, ctx) => {
        try {
          const line = await recognizeLine(engine, lineImage(request.image), ocrTier, ctx.signal);
          return { text: line.text, confidence: Math.min(1, Math.max(0, line.confidence)) };
        } catch (err) {
          if (err instanceof OcrError && err.code === 'InvalidImage') throw new AxonRefusal('InvalidBody', `TextRecognition.image: ${err.message}`);
          throw err instanceof EngineError ? engineRefusal(err, TextRecognition.name) : err;
        }
      };
    },
  },
  copyDetection: {
    fingerprint: (response) => [response.confidence, ...Array.from(response.text, (c) => c.codePointAt(0)!)],
    tolerance: 1e-4,
  },
  hyperparameters: { min_allowed_weights: 1, max_weights_limit: 65535 },
});
