/**
 * Light augmentation of a digit image: a random integer shift and a little gaussian noise. Validators
 * query miners with augmented held-out images, so an answer cannot be looked up by the image's index or
 * bytes; training sees augmented images too, so models are ready for them.
 */
import { IMAGE_SIDE, IMAGE_SIZE, type DigitSet } from './data';
import { DigitsError } from './errors';

/** Largest shift, in pixels, along each axis (shifts are integers in [-2, 2]). */
export const AUGMENT_MAX_SHIFT = 2;
/** Standard deviation of the additive gaussian noise (grey levels are in [0, 1]). */
export const AUGMENT_NOISE_STD = 0.05;

// Module-level aliases: a global lookup per pixel is slow inside a vm context (jest), and this runs for
// every training image of every epoch.
const { cos, floor, log, max, min, sin, sqrt, PI } = Math;

function checkImage(image: Float32Array): void {
  if (!(image instanceof Float32Array) || image.length !== IMAGE_SIZE) {
    const length = (image as { length?: unknown } | null)?.length;
    throw new DigitsError('InvalidImage', `an image is a Float32Array of ${IMAGE_SIZE} floats (got length ${String(length)})`, { length });
  }
  for (let i = 0; i < IMAGE_SIZE; i++) {
    const v = image[i]!;
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) throw new DigitsError('InvalidImage', `image[${i}] is not a finite number`, { length: IMAGE_SIZE, index: i });
  }
}

/**
 * The image moved `dx` pixels right and `dy` pixels down (negative: left, up); pixels moved in from
 * outside are 0 and pixels moved out are dropped. A new array; `image` is not changed. Throws
 * `InvalidImage` unless `image` is a Float32Array of 784 finite floats.
 */
export function shiftDigit(image: Float32Array, dx: number, dy: number): Float32Array {
  checkImage(image);
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new DigitsError('InvalidOptions', `shifts are integers (got dx ${dx}, dy ${dy})`, { option: 'shift' });
  return shifted(image, dx, dy);
}

function shifted(image: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(IMAGE_SIZE);
  const x0 = max(0, dx);
  const x1 = min(IMAGE_SIDE, IMAGE_SIDE + dx);
  for (let y = max(0, dy); y < min(IMAGE_SIDE, IMAGE_SIDE + dy); y++) {
    const from = (y - dy) * IMAGE_SIDE - dx;
    for (let x = x0; x < x1; x++) out[y * IMAGE_SIDE + x] = image[from + x]!;
  }
  return out;
}

/** An integer in [-limit, limit], uniform. */
function shiftOf(rng: () => number, limit: number): number {
  return min(limit, floor(rng() * (2 * limit + 1)) - limit);
}

/**
 * A randomly shifted (±{@link AUGMENT_MAX_SHIFT} px per axis, integer, zero-filled), noisy
 * (N(0, {@link AUGMENT_NOISE_STD}²) per pixel, Box-Muller) copy of a 784-float image, clipped to [0, 1].
 * Draws from `rng` only, in a fixed order (dx, dy, then the noise), so the same generator state gives
 * the same image: use a seeded `mulberry32` from `common/random.ts`. `image` is not changed.
 * Throws `InvalidImage` unless `image` is a Float32Array of 784 finite floats.
 */
export function augmentDigit(image: Float32Array, rng: () => number): Float32Array {
  checkImage(image);
  const dx = shiftOf(rng, AUGMENT_MAX_SHIFT);
  const dy = shiftOf(rng, AUGMENT_MAX_SHIFT);
  const out = shifted(image, dx, dy);
  for (let i = 0; i < IMAGE_SIZE; i += 2) {
    // 1 - rng() is in (0, 1], so the logarithm is finite.
    const radius = AUGMENT_NOISE_STD * sqrt(-2 * log(1 - rng()));
    const angle = 2 * PI * rng();
    out[i] = clip01(out[i]! + radius * cos(angle));
    out[i + 1] = clip01(out[i + 1]! + radius * sin(angle));
  }
  return out;
}

function clip01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Augmented copies of every image of a set ({@link augmentDigit} in order, one `rng` for all), same labels. */
export function augmentDigitSet(set: DigitSet, rng: () => number): DigitSet {
  const images = new Float32Array(set.count * IMAGE_SIZE);
  for (let i = 0; i < set.count; i++) images.set(augmentDigit(set.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), rng), i * IMAGE_SIZE);
  return { images, labels: set.labels, count: set.count };
}
