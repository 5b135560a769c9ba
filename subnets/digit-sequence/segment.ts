/**
 * Digit-sequence images: composing one from MNIST digits (the validator's task) and cutting one back into
 * MNIST-like 28 × 28 digits (the miner's segmentation).
 *
 * An image is 28 rows high and holds N digits side by side: each an augmented held-out 28 × 28 MNIST image,
 * with 2-8 blank columns between neighbours. The miner finds the digits by their columns of ink (a column
 * whose brightest pixel exceeds {@link INK_THRESHOLD}): each run of ink columns is a digit (runs a few
 * blank columns apart that together span no more than a digit can are one broken digit), runs holding
 * almost no ink are specks and dropped, and each digit is re-centred by its horizontal centre of mass in a
 * 28-column frame, which is how MNIST centres its digits.
 */
import { IMAGE_SIDE, IMAGE_SIZE } from '../digits';

/** A pixel brighter than this is ink (the task's noise stays far below it). */
export const INK_THRESHOLD = 0.35;
/** A run of ink columns with less total ink than this is a speck, not a digit. */
export const MIN_DIGIT_INK = 1.5;
/** Blank columns between two digits of a task, at least and at most. */
export const MIN_GAP = 2;
export const MAX_GAP = 8;
/** Widest a digit's ink is (MNIST fits digits in a 20-pixel box; 2 more for the stroke's antialiasing). */
export const MAX_DIGIT_SPAN = 22;
/** Widest blank break inside one digit. */
export const MAX_BREAK = 6;

/** A grey image, row-major, values in [0, 1]. */
export interface SequenceImage {
  readonly width: number;
  /** `IMAGE_SIDE × width` pixels. */
  readonly pixels: Float32Array;
}

/** Digits (each 784 floats) side by side with the given gaps (one fewer than digits) between them. */
export function composeSequence(digits: readonly Float32Array[], gaps: readonly number[]): SequenceImage {
  if (digits.length === 0 || gaps.length !== digits.length - 1) throw new RangeError(`${digits.length} digits need ${Math.max(0, digits.length - 1)} gaps, got ${gaps.length}`);
  const width = digits.length * IMAGE_SIDE + gaps.reduce((a, b) => a + b, 0);
  const pixels = new Float32Array(IMAGE_SIDE * width);
  let x0 = 0;
  for (const [i, digit] of digits.entries()) {
    if (digit.length !== IMAGE_SIZE) throw new RangeError(`digit ${i} has ${digit.length} pixels, not ${IMAGE_SIZE}`);
    for (let y = 0; y < IMAGE_SIDE; y++) {
      for (let x = 0; x < IMAGE_SIDE; x++) pixels[y * width + x0 + x] = digit[y * IMAGE_SIDE + x]!;
    }
    x0 += IMAGE_SIDE + (gaps[i] ?? 0);
  }
  return { width, pixels };
}

/** One digit found in a sequence image. */
export interface Segment {
  /** First and one-past-last column of its ink. */
  readonly x0: number;
  readonly x1: number;
  /** The digit as a 28 × 28 MNIST-style image (784 floats). */
  readonly image: Float32Array;
}

/**
 * The digits of a sequence image, left to right, found one at a time (a generator: a streaming miner
 * classifies each digit as soon as it is cut out).
 */
export function* segmentSequence(image: SequenceImage): Generator<Segment> {
  const { width, pixels } = image;
  const ink = (x: number): boolean => {
    for (let y = 0; y < IMAGE_SIDE; y++) if (pixels[y * width + x]! > INK_THRESHOLD) return true;
    return false;
  };
  let current: [number, number] | null = null;
  let x = 0;
  while (x < width) {
    if (!ink(x)) {
      x++;
      continue;
    }
    const x0 = x;
    while (x < width && ink(x)) x++;
    // A digit broken by a blank column (a thin stroke under the threshold) stays one digit: runs this close,
    // spanning no more than a digit can, are joined.
    if (current !== null && x0 - current[1] <= MAX_BREAK && x - current[0] <= MAX_DIGIT_SPAN) {
      current[1] = x;
      continue;
    }
    if (current !== null) {
      const segment = cutOut(image, current[0], current[1]);
      if (segment !== null) yield segment;
    }
    current = [x0, x];
  }
  if (current !== null) {
    const segment = cutOut(image, current[0], current[1]);
    if (segment !== null) yield segment;
  }
}

/** The columns [x0, x1) as a 28 × 28 digit centred by horizontal mass; null for a speck. */
function cutOut(image: SequenceImage, x0: number, x1: number): Segment | null {
  const { width, pixels } = image;
  let mass = 0;
  let moment = 0;
  for (let x = x0; x < x1; x++) {
    for (let y = 0; y < IMAGE_SIDE; y++) {
      const v = pixels[y * width + x]!;
      mass += v;
      moment += v * x;
    }
  }
  if (mass < MIN_DIGIT_INK) return null;
  // Put the centre of mass on the frame's centre column; a run wider than the frame keeps its middle part.
  const centre = moment / mass;
  const offset = Math.round(IMAGE_SIDE / 2 - centre);
  const out = new Float32Array(IMAGE_SIZE);
  for (let x = x0; x < x1; x++) {
    const target = x + offset;
    if (target < 0 || target >= IMAGE_SIDE) continue;
    for (let y = 0; y < IMAGE_SIDE; y++) out[y * IMAGE_SIDE + target] = pixels[y * width + x]!;
  }
  return { x0, x1, image: out };
}
