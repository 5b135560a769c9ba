/**
 * Recognizing one text line with the PP-OCRv4 model served by an `InferenceEngine`: preprocess at a tier,
 * run (concurrent calls share the engine's batches, since every request is `[1, 3, 48, 320]`), CTC-decode, tidy spaces.
 */
import { Tensor } from 'onnxruntime-node';

import type { InferenceEngine } from '../../miner/engine';
import { ctcGreedyDecode, type DecodedLine } from './ctc';
import { OcrError } from './errors';
import type { OcrImage } from './image';
import { loadOcrCharset, OCR_INPUT_HEIGHT, OCR_INPUT_NAME, OCR_INPUT_WIDTH, OCR_OUTPUT_NAME } from './model';
import { preprocessForTier, type OcrTier } from './preprocess';

/**
 * Recognizes the text of one line image at a tier. The engine must serve the PP-OCRv4 recognizer (load it with
 * `OCR_MODEL_SPEC` to have that checked). Throws `InvalidImage`/`InvalidTier` for bad arguments, the engine's
 * `EngineError`s (`Aborted` when `signal` fires), and `InvalidOutput` when the model's output does not fit the charset.
 */
export async function recognizeLine(engine: InferenceEngine, image: OcrImage, tier: OcrTier, signal?: AbortSignal): Promise<DecodedLine> {
  const input = preprocessForTier(image, tier);
  const results = await engine.run({ [OCR_INPUT_NAME]: new Tensor('float32', input, [1, 3, OCR_INPUT_HEIGHT, OCR_INPUT_WIDTH]) }, signal === undefined ? {} : { signal });
  const output = results[OCR_OUTPUT_NAME];
  if (output === undefined || output.type !== 'float32') {
    throw new OcrError('InvalidOutput', `the model has no float32 output '${OCR_OUTPUT_NAME}' (outputs: ${Object.keys(results).join(', ')})`, { dims: [] });
  }
  const [line] = ctcGreedyDecode(output.data as Float32Array, output.dims, loadOcrCharset());
  if (line === undefined || output.dims[0] !== 1) {
    throw new OcrError('InvalidOutput', `the model answered ${output.dims[0] ?? 0} rows for one line`, { dims: output.dims });
  }
  return { text: normalizeLineText(line.text), confidence: line.confidence };
}

/**
 * Trims a decoded line and collapses runs of spaces into one. PP-OCRv4 often emits a space at either end of a
 * line crop; the task's lines never start or end with one, nor hold two in a row.
 */
export function normalizeLineText(text: string): string {
  return text.replace(/^ +| +$/g, '').replace(/ {2,}/g, ' ');
}
