/**
 * The images the OCR subnet works on (8-bit grayscale or RGB, row-major, channels interleaved), their
 * validation, and the two resamplings it needs: bilinear resize and integer-factor area downscaling.
 */
import { OcrError } from './errors';

/** An 8-bit image: `data[(y * width + x) * channels + c]`; three channels are R, G, B. */
export interface OcrImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** A grayscale {@link OcrImage} (what the renderer produces). */
export interface GrayImage extends OcrImage {
  readonly channels: 1;
}

/** The most pixels an image may have (bounds what one request can make the preprocessing allocate). */
export const MAX_IMAGE_PIXELS = 1 << 24;

function invalidImage(field: string, message: string): OcrError {
  return new OcrError('InvalidImage', message, { field });
}

/**
 * Checks that a value is a usable {@link OcrImage}: positive integer dims, 1 or 3 channels, a `Uint8Array`
 * of exactly `width * height * channels` bytes, at most {@link MAX_IMAGE_PIXELS} pixels. Throws `InvalidImage`.
 */
export function checkImage(image: unknown): asserts image is OcrImage {
  if (typeof image !== 'object' || image === null) throw invalidImage('image', 'an image must be an object { data, width, height, channels }');
  const { data, width, height, channels } = image as Record<string, unknown>;
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalidImage(name, `image ${name} must be a positive integer (got ${String(value)})`);
  }
  if (channels !== 1 && channels !== 3) throw invalidImage('channels', `image channels must be 1 or 3 (got ${String(channels)})`);
  const pixels = (width as number) * (height as number);
  if (pixels > MAX_IMAGE_PIXELS) throw invalidImage('width', `image is ${String(width)}x${String(height)}, more than ${MAX_IMAGE_PIXELS} pixels`);
  // Checked by tag, not instanceof: a Uint8Array from another realm (a worker, a jest sandbox) is still one.
  if (Object.prototype.toString.call(data) !== '[object Uint8Array]') throw invalidImage('data', 'image data must be a Uint8Array');
  const expected = pixels * channels;
  if ((data as Uint8Array).length !== expected) {
    throw invalidImage('data', `image data holds ${(data as Uint8Array).length} bytes; ${String(width)}x${String(height)}x${channels} needs ${expected}`);
  }
}

interface Taps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly weight: Float32Array;
}

/** Source taps of OpenCV's INTER_LINEAR along one axis: half-pixel centres, clamped at both edges. */
function linearTaps(srcSize: number, dstSize: number): Taps {
  const scale = srcSize / dstSize;
  const lo = new Int32Array(dstSize);
  const hi = new Int32Array(dstSize);
  const weight = new Float32Array(dstSize);
  for (let d = 0; d < dstSize; d++) {
    const f = (d + 0.5) * scale - 0.5;
    let s = Math.floor(f);
    let w = f - s;
    if (s < 0) {
      s = 0;
      w = 0;
    }
    if (s >= srcSize - 1) {
      s = srcSize - 1;
      w = 0;
    }
    lo[d] = s;
    hi[d] = Math.min(s + 1, srcSize - 1);
    weight[d] = w;
  }
  return { lo, hi, weight };
}

/**
 * Bilinear resize with OpenCV's `cv2.resize(..., INTER_LINEAR)` sample positions (what PaddleOCR uses), kept in
 * float (no 8-bit rounding). Returns interleaved values in [0, 255]: `out[(y * outWidth + x) * channels + c]`.
 */
export function resizeBilinear(image: OcrImage, outWidth: number, outHeight: number): Float32Array {
  checkImage(image);
  for (const [name, value] of [['outWidth', outWidth], ['outHeight', outHeight]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new OcrError('InvalidOptions', `${name} must be a positive integer (got ${value})`, { option: name });
  }
  if (outWidth * outHeight > MAX_IMAGE_PIXELS) {
    throw new OcrError('InvalidOptions', `a ${outWidth}x${outHeight} output is more than ${MAX_IMAGE_PIXELS} pixels`, { option: 'outWidth' });
  }
  const { data, width, channels } = image;
  const xs = linearTaps(width, outWidth);
  const ys = linearTaps(image.height, outHeight);
  const out = new Float32Array(outWidth * outHeight * channels);
  for (let y = 0; y < outHeight; y++) {
    const row0 = ys.lo[y]! * width;
    const row1 = ys.hi[y]! * width;
    const wy = ys.weight[y]!;
    for (let x = 0; x < outWidth; x++) {
      const x0 = xs.lo[x]!;
      const x1 = xs.hi[x]!;
      const wx = xs.weight[x]!;
      for (let c = 0; c < channels; c++) {
        const a = data[(row0 + x0) * channels + c]!;
        const b = data[(row0 + x1) * channels + c]!;
        const p = data[(row1 + x0) * channels + c]!;
        const q = data[(row1 + x1) * channels + c]!;
        const top = a + (b - a) * wx;
        const bottom = p + (q - p) * wx;
        out[(y * outWidth + x) * channels + c] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

/**
 * Downscales by an integer factor with area averaging (each output pixel is the rounded mean of its
 * `factor x factor` block; blocks cut by the right or bottom edge average the pixels they have). The output is
 * `ceil(width / factor) x ceil(height / factor)`, what a camera or scanner at that lower resolution would give.
 */
export function downscaleArea(image: OcrImage, factor: number): OcrImage {
  checkImage(image);
  if (!Number.isSafeInteger(factor) || factor < 1) throw new OcrError('InvalidOptions', `downscale factor must be a positive integer (got ${factor})`, { option: 'factor' });
  if (factor === 1) return image;
  const { data, width, height, channels } = image;
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const out = new Uint8Array(outWidth * outHeight * channels);
  const sums = new Float64Array(channels);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = oy * factor;
    const y1 = Math.min(y0 + factor, height);
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = ox * factor;
      const x1 = Math.min(x0 + factor, width);
      sums.fill(0);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const base = (y * width + x) * channels;
          for (let c = 0; c < channels; c++) sums[c] += data[base + c]!;
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < channels; c++) out[(oy * outWidth + ox) * channels + c] = Math.round(sums[c]! / count);
    }
  }
  return { data: out, width: outWidth, height: outHeight, channels };
}
