/**
 * Digit augmentation: deterministic under a seed, values stay in [0, 1], shifts are integers within ±2 px
 * (every one of the 25 occurs), the noise is small, and bad images are refused.
 */
import { createHash } from 'node:crypto';

import { mulberry32 } from '../../../common/random';
import { AUGMENT_MAX_SHIFT, AUGMENT_NOISE_STD, augmentDigit, augmentDigitSet, shiftDigit } from '../../../subnets/digits/augment';
import { IMAGE_SIDE, IMAGE_SIZE, loadDigits } from '../../../subnets/digits/data';
import { DigitsError } from '../../../subnets/digits/errors';
import { expectThrownCode } from '../../helpers/expect-code';

const expectCode = (fn: () => unknown, code: string): DigitsError => expectThrownCode(fn, DigitsError, code);

const { heldOut } = loadDigits();
const imageAt = (i: number): Float32Array => heldOut.images.slice(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);

/** The shift (dx, dy) in [-3, 3]² whose shifted original is closest to `augmented` (largest per-pixel gap). */
function bestShift(original: Float32Array, augmented: Float32Array): { dx: number; dy: number; gap: number; secondGap: number } {
  const fits: { dx: number; dy: number; gap: number }[] = [];
  for (let dy = -3; dy <= 3; dy++) {
    for (let dx = -3; dx <= 3; dx++) {
      const shifted = shiftDigit(original, dx, dy);
      let gap = 0;
      for (let i = 0; i < IMAGE_SIZE; i++) gap = Math.max(gap, Math.abs(augmented[i]! - shifted[i]!));
      fits.push({ dx, dy, gap });
    }
  }
  fits.sort((a, b) => a.gap - b.gap);
  return { ...fits[0]!, secondGap: fits[1]!.gap };
}

describe('shiftDigit', () => {
  test('moves every pixel by (dx, dy) and fills with zeros', () => {
    const image = new Float32Array(IMAGE_SIZE);
    image[5 * IMAGE_SIDE + 7] = 0.5; // (x 7, y 5)
    image[0] = 1; // (0, 0), pushed out by a shift up-left
    const moved = shiftDigit(image, 2, -1);
    expect(moved[4 * IMAGE_SIDE + 9]).toBe(0.5);
    expect(moved[0 * IMAGE_SIDE + 2]).toBe(0); // (0, 0) went to (2, -1): off the image
    expect([...moved].filter((v) => v !== 0)).toEqual([0.5]);
    expect(shiftDigit(image, 0, 0)).toEqual(image);
    expect(shiftDigit(image, IMAGE_SIDE, 0).every((v) => v === 0)).toBe(true);
  });

  test('refuses non-integer shifts and malformed images', () => {
    expectCode(() => shiftDigit(imageAt(0), 0.5, 0), 'InvalidOptions');
    expectCode(() => shiftDigit(new Float32Array(783), 0, 0), 'InvalidImage');
  });
});

describe('augmentDigit', () => {
  test('is deterministic for a seed, and different seeds give different images', () => {
    const image = imageAt(3);
    const a = augmentDigit(image, mulberry32(42));
    const b = augmentDigit(image, mulberry32(42));
    const c = augmentDigit(image, mulberry32(43));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    // Pinned: the draw order (dx, dy, then the noise) is part of what validators and miners share.
    const first = augmentDigit(imageAt(0), mulberry32(1));
    expect(bestShift(imageAt(0), first)).toMatchObject({ dx: 1, dy: -2 });
    expect(createHash('sha256').update(new Uint8Array(first.buffer)).digest('hex')).toBe('7c65c1ab97becd192c672fa4ae6886ab986857fc2c53db20aef1b3756abf964a');
  });

  test('stays in [0, 1], leaves the input untouched and returns a new 784-float image', () => {
    const rng = mulberry32(7);
    for (let i = 0; i < 300; i++) {
      const image = imageAt(i);
      const before = image.slice();
      const out = augmentDigit(image, rng);
      expect(out).toBeInstanceOf(Float32Array);
      expect(out.length).toBe(IMAGE_SIZE);
      expect(out).not.toBe(image);
      expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(image).toEqual(before);
    }
  });

  test('shifts by an integer in [-2, 2] per axis, all 25 shifts occur, and the noise is small', () => {
    const rng = mulberry32(11);
    const seen = new Set<string>();
    const residuals: number[] = [];
    for (let i = 0; i < 200; i++) {
      const original = imageAt(i);
      const augmented = augmentDigit(original, rng);
      const fit = bestShift(original, augmented);
      expect(Math.abs(fit.dx)).toBeLessThanOrEqual(AUGMENT_MAX_SHIFT);
      expect(Math.abs(fit.dy)).toBeLessThanOrEqual(AUGMENT_MAX_SHIFT);
      // The right shift explains the image up to noise; any other leaves whole strokes unexplained.
      expect(fit.gap).toBeLessThan(6 * AUGMENT_NOISE_STD);
      expect(fit.secondGap).toBeGreaterThan(fit.gap);
      seen.add(`${fit.dx},${fit.dy}`);
      const shifted = shiftDigit(original, fit.dx, fit.dy);
      // Noise on mid-grey pixels is never clipped: its spread is the noise's standard deviation.
      for (let p = 0; p < IMAGE_SIZE; p++) if (shifted[p]! > 0.3 && shifted[p]! < 0.7) residuals.push(augmented[p]! - shifted[p]!);
    }
    expect(seen.size).toBe(25);
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / residuals.length);
    expect(residuals.length).toBeGreaterThan(2500);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(std).toBeGreaterThan(0.9 * AUGMENT_NOISE_STD);
    expect(std).toBeLessThan(1.1 * AUGMENT_NOISE_STD);
  });

  test('refuses images that are not 784 finite floats, before drawing from the generator', () => {
    let draws = 0;
    const counting = (): number => {
      draws++;
      return 0.5;
    };
    expectCode(() => augmentDigit(new Float32Array(10), counting), 'InvalidImage');
    expectCode(() => augmentDigit(Array.from(imageAt(0)) as unknown as Float32Array, counting), 'InvalidImage');
    const withNaN = imageAt(0);
    withNaN[100] = Number.NaN;
    expectCode(() => augmentDigit(withNaN, counting), 'InvalidImage');
    expect(draws).toBe(0);
  });
});

describe('augmentDigitSet', () => {
  test('augments every image in order with one generator and keeps the labels', () => {
    const set = { images: heldOut.images.subarray(0, 5 * IMAGE_SIZE), labels: heldOut.labels.subarray(0, 5), count: 5 };
    const out = augmentDigitSet(set, mulberry32(3));
    expect(out.count).toBe(5);
    expect(out.labels).toEqual(set.labels);
    const rng = mulberry32(3);
    for (let i = 0; i < 5; i++) expect(out.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE)).toEqual(augmentDigit(imageAt(i), rng));
  });
});
