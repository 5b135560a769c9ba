/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The committed digits models (subnets/digits/models/): small, of the digits interface (dynamic batch),
 * made with the defaults, ordered linear < mlp < mlp-large on the held-out set (plain and augmented), each
 * above a floor (the measured accuracy minus a margin), and the linear tier reproduced byte for byte by
 * retraining with the default seed.
 */
import { readFileSync, statSync } from 'node:fs';
import { onnx } from 'onnx-proto';

import { DIGITS_TIERS, evaluateDigitsModel, loadDigits, trainDigitsModel, type DigitsTier } from '../../../subnets/digits';
import { DIGITS_TIER_CONFIGS, digitsModelPath } from '../../../subnets/digits/tiers';

/**
 * Held-out accuracy measured on the committed models (plain / augmented with seed 1): linear 0.8437 /
 * 0.7776, mlp 0.9619 / 0.9329, mlp-large 0.9719 / 0.9624. The floors leave about 1.5 points for a retrain
 * on another Node version.
 */
const FLOORS: Record<DigitsTier, { plain: number; augmented: number }> = {
  linear: { plain: 0.83, augmented: 0.76 },
  mlp: { plain: 0.945, augmented: 0.915 },
  'mlp-large': { plain: 0.96, augmented: 0.945 },
};
/** The smallest gap between consecutive tiers that counts as "better" (10 of 1,996 images). */
const MIN_GAP = 0.005;

describe('committed digits models', () => {
  const { heldOut } = loadDigits();
  const plain = new Map<DigitsTier, number>();
  const augmented = new Map<DigitsTier, number>();

  beforeAll(async () => {
    for (const tier of DIGITS_TIERS) {
      const path = digitsModelPath(tier);
      plain.set(tier, (await evaluateDigitsModel(path, heldOut)).accuracy);
      augmented.set(tier, (await evaluateDigitsModel(path, heldOut, { augmentSeed: 1 })).accuracy);
    }
  });

  test.each(DIGITS_TIERS)('%s: a small file of the digits interface, made with the default seed and epochs', (tier) => {
    const path = digitsModelPath(tier);
    expect(statSync(path).size).toBeLessThan(1.5 * 1024 * 1024);
    const model = onnx.ModelProto.decode(readFileSync(path));
    const dims = (v: onnx.IValueInfoProto): (string | number)[] => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(model.graph!.input!.map((i) => [i.name, dims(i)])).toEqual([['image', ['N', 784]]]);
    expect(model.graph!.output!.map((o) => [o.name, dims(o)])).toEqual([['probabilities', ['N', 10]]]);
    const metadata = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect(metadata).toEqual({
      subnet: 'digits',
      tier,
      architecture: [784, ...DIGITS_TIER_CONFIGS[tier].hidden, 10].join('→'),
      epochs: String(DIGITS_TIER_CONFIGS[tier].epochs),
      seed: '1',
    });
  });

  test.each(DIGITS_TIERS)('%s: held-out accuracy above its floor, plain and augmented', (tier) => {
    expect(plain.get(tier)).toBeGreaterThanOrEqual(FLOORS[tier].plain);
    expect(augmented.get(tier)).toBeGreaterThanOrEqual(FLOORS[tier].augmented);
  });

  test('quality order: linear < mlp < mlp-large on the held-out set, plain and augmented', () => {
    for (const scores of [plain, augmented]) {
      expect(scores.get('mlp')! - scores.get('linear')!).toBeGreaterThanOrEqual(MIN_GAP);
      expect(scores.get('mlp-large')! - scores.get('mlp')!).toBeGreaterThanOrEqual(MIN_GAP);
    }
  });

  test('retraining the linear tier with the default seed reproduces the committed file byte for byte', async () => {
    const bytes = await trainDigitsModel('linear');
    expect(Buffer.from(bytes).equals(readFileSync(digitsModelPath('linear')))).toBe(true);
  });
});
