/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The measured quality of each tier: 200 rendered lines (seed 12345) through the real PP-OCRv4 model. The
 * floors are the numbers measured on the 2-core dev box (README.md's table) less a margin for onnxruntime
 * builds that round differently; the order and the gaps between tiers are what the subnet's scoring needs.
 */
import { mulberry32 } from '../../../common/random';
import { InferenceEngine } from '../../../miner/engine';
import { characterErrorRate } from '../../../subnets/ocr/cer';
import { OCR_MODEL_SPEC, ocrModelPath } from '../../../subnets/ocr/model';
import { OCR_TIERS, type OcrTier } from '../../../subnets/ocr/preprocess';
import { recognizeLine } from '../../../subnets/ocr/recognize';
import { randomTextLine, renderTextLine } from '../../../subnets/ocr/render';

const LINES = 200;
const SEED = 12345;

interface TierQuality {
  readonly cer: number;
  readonly accuracy: number;
}

test('measured: full recognizes best, third and fifth clearly worse, each above its floor', async () => {
  const rng = mulberry32(SEED);
  const lines = Array.from({ length: LINES }, () => {
    const text = randomTextLine(rng);
    return { text, image: renderTextLine(text, rng) };
  });
  const engine = await InferenceEngine.load(ocrModelPath(), { device: 'cpu', watch: false, maxBatch: 4, spec: OCR_MODEL_SPEC });
  const quality = {} as Record<OcrTier, TierQuality>;
  try {
    for (const tier of OCR_TIERS) {
      const results = await Promise.all(lines.map((line) => recognizeLine(engine, line.image, tier)));
      const cer = results.reduce((sum, r, i) => sum + characterErrorRate(r.text, lines[i]!.text), 0) / LINES;
      const accuracy = results.filter((r, i) => r.text === lines[i]!.text).length / LINES;
      quality[tier] = { cer, accuracy };
    }
  } finally {
    await engine.close();
  }
  const { full, third, fifth } = quality;
  // Measured: full CER 0.0140 / exact 0.825, third 0.0367 / 0.695, fifth 0.1230 / 0.505.
  expect(full.cer).toBeLessThan(0.025);
  expect(full.accuracy).toBeGreaterThan(0.77);
  expect(third.cer).toBeLessThan(0.055);
  expect(third.accuracy).toBeGreaterThan(0.62);
  expect(fifth.cer).toBeLessThan(0.17);
  expect(fifth.accuracy).toBeGreaterThan(0.42);
  // The order, by clear margins (measured gaps: CER 0.023 and 0.086, exact-line accuracy 0.13 and 0.19).
  expect(third.cer - full.cer).toBeGreaterThan(0.012);
  expect(fifth.cer - third.cer).toBeGreaterThan(0.05);
  expect(full.accuracy - third.accuracy).toBeGreaterThan(0.07);
  expect(third.accuracy - fifth.accuracy).toBeGreaterThan(0.1);
}, 120_000);
