/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { mulberry32 } from '../../../common/random';
import { checkModelAgainstSpec, EngineError, InferenceEngine } from '../../../miner/engine';
import type { DecodedLine } from '../../../subnets/ocr/ctc';
import { OcrError } from '../../../subnets/ocr/errors';
import type { OcrImage } from '../../../subnets/ocr/image';
import { loadOcrCharset, OCR_INPUT_HEIGHT, OCR_MODEL_SPEC, OCR_NUM_CLASSES, ocrModelPath } from '../../../subnets/ocr/model';
import type { OcrTier } from '../../../subnets/ocr/preprocess';
import { normalizeLineText, recognizeLine } from '../../../subnets/ocr/recognize';
import { randomTextLine, renderTextLine } from '../../../subnets/ocr/render';
import { recordingMetrics, rejection } from '../../miner/engine/helpers';

let engine: InferenceEngine;
const metrics = recordingMetrics();
beforeAll(async () => {
  engine = await InferenceEngine.load(ocrModelPath(), { device: 'cpu', watch: false, maxBatch: 4, spec: OCR_MODEL_SPEC, metrics });
});
afterAll(() => engine.close());

const CLEAN = { face: 'DejaVuSans', fontSize: 32, rotationDeg: 0, noiseSigma: 0, dark: false } as const;

test('the charset is blank + the dictionary + space, as wide as the model output', () => {
  const charset = loadOcrCharset();
  expect(charset).toHaveLength(OCR_NUM_CLASSES);
  expect(charset[0]).toBe('');
  expect(charset[charset.length - 1]).toBe(' ');
  expect(new Set(charset).size).toBe(charset.length);
  expect(engine.outputs[0]!.shape[2]).toBe(charset.length);
  expect(loadOcrCharset()).toBe(charset); // cached
});

test('OCR_MODEL_SPEC describes the model: dynamic batch and width, so the engine batches it', () => {
  expect(() => checkModelAgainstSpec({ inputs: engine.inputs, outputs: engine.outputs }, OCR_MODEL_SPEC)).not.toThrow();
  expect(engine.inputs.map((t) => t.name)).toEqual(['x']);
  expect(engine.inputs[0]!.shape.slice(1, 3)).toEqual([3, OCR_INPUT_HEIGHT]);
  expect(engine.batching).toBe(true);
  // A spec that fixed the width would not match the model, whose width is dynamic.
  const fixedWidth = { ...OCR_MODEL_SPEC, inputs: [{ ...OCR_MODEL_SPEC.inputs[0]!, shape: ['N', 3, 48, 320] }] };
  expect(() => checkModelAgainstSpec({ inputs: engine.inputs, outputs: engine.outputs }, fixedWidth)).toThrow(EngineError);
});

test('recognizes a clean rendered line exactly, from gray or RGB', async () => {
  const text = 'Hello World 2024';
  const gray = renderTextLine(text, mulberry32(3), CLEAN);
  const line = await recognizeLine(engine, gray, 'full');
  expect(line.text).toBe(text);
  expect(line.confidence).toBeGreaterThan(0.9);
  expect(line.confidence).toBeLessThanOrEqual(1);
  const rgb: OcrImage = { data: new Uint8Array(gray.data.length * 3).map((_, i) => gray.data[Math.floor(i / 3)]!), width: gray.width, height: gray.height, channels: 3 };
  expect(await recognizeLine(engine, rgb, 'full')).toEqual(line);
});

test('concurrent lines share batches and each gets what it gets alone', async () => {
  const rng = mulberry32(77);
  const images = Array.from({ length: 12 }, () => renderTextLine(randomTextLine(rng), rng));
  const tiers: OcrTier[] = ['full', 'third', 'fifth'];
  const alone: DecodedLine[] = [];
  for (const [i, image] of images.entries()) alone.push(await recognizeLine(engine, image, tiers[i % 3]!));
  metrics.batchSizes.length = 0;
  const together = await Promise.all(images.map((image, i) => recognizeLine(engine, image, tiers[i % 3]!)));
  expect(Math.max(...metrics.batchSizes)).toBe(4);
  together.forEach((line, i) => {
    expect(line.text).toBe(alone[i]!.text);
    expect(line.confidence).toBeCloseTo(alone[i]!.confidence, 5);
  });
});

test('refuses a bad tier or image before running, and honours an abort signal', async () => {
  const image = renderTextLine('abort', mulberry32(4), CLEAN);
  const before = metrics.inferences.length;
  expect((await rejection(recognizeLine(engine, image, 'best' as OcrTier))).code).toBe('InvalidTier');
  const broken = { ...image, width: image.width + 1 };
  const error = await rejection(recognizeLine(engine, broken, 'full'));
  expect(error).toBeInstanceOf(OcrError);
  expect(error.code).toBe('InvalidImage');
  expect(metrics.inferences.length).toBe(before);
  const controller = new AbortController();
  controller.abort();
  expect((await rejection(recognizeLine(engine, image, 'full', controller.signal))).code).toBe('Aborted');
});

test('normalizeLineText trims the spaces PP-OCRv4 leaves at line ends and collapses runs', () => {
  expect(normalizeLineText(' soon ')).toBe('soon');
  expect(normalizeLineText('a  b   c')).toBe('a b c');
  expect(normalizeLineText('')).toBe('');
  expect(normalizeLineText('中 文')).toBe('中 文');
});
