/**
 * PaddleOCR's recognition preprocessing (`resize_norm_img` of PP-OCRv4 inference): resize to height 48 keeping
 * the aspect ratio, normalize to [-1, 1], lay out CHW with 3 channels, right-pad with zeros to a fixed width.
 * Tiers lower the resolution the line is recognized from, so a weaker miner tier is measurably less accurate.
 */
import { OcrError } from './errors';
import { checkImage, downscaleArea, resizeBilinear, type OcrImage } from './image';
import { OCR_INPUT_HEIGHT, OCR_INPUT_WIDTH } from './model';

/** The quality tiers, best first. See README.md for the accuracy measured on each. */
export const OCR_TIERS = ['full', 'third', 'fifth'] as const;
export type OcrTier = (typeof OCR_TIERS)[number];

/** How much each tier downscales the line (area averaging) before the usual preprocessing scales it to height 48. */
export const OCR_TIER_DOWNSCALE: Readonly<Record<OcrTier, number>> = Object.freeze({ full: 1, third: 3, fifth: 5 });

export function isOcrTier(value: unknown): value is OcrTier {
  return typeof value === 'string' && (OCR_TIERS as readonly string[]).includes(value);
}

/** Options of {@link preprocessLine}. */
export interface PreprocessOptions {
  /** Width the tensor is padded to; wider lines are squeezed to it. @default OCR_INPUT_WIDTH (320) */
  readonly targetWidth?: number;
  /** Integer factor the image is first downscaled by (area averaging). @default 1 */
  readonly downscale?: number;
}

/** The width a `width x height` line takes once resized to height 48: `ceil(48 * width / height)`, at most `targetWidth`. */
export function resizedWidth(width: number, height: number, targetWidth: number = OCR_INPUT_WIDTH): number {
  return Math.min(targetWidth, Math.ceil((OCR_INPUT_HEIGHT * width) / height));
}

/**
 * Turns a line image into the model's input: a `Float32Array` of `3 * 48 * targetWidth` values, the tensor
 * `[1, 3, 48, targetWidth]`. Channels are in BGR order (PaddleOCR reads images with OpenCV); a grayscale image
 * fills all three. Values are `(v / 255 - 0.5) / 0.5`; columns right of the resized line are 0.
 */
export function preprocessLine(image: OcrImage, options: PreprocessOptions = {}): Float32Array {
  checkImage(image);
  const targetWidth = options.targetWidth ?? OCR_INPUT_WIDTH;
  if (!Number.isSafeInteger(targetWidth) || targetWidth < 1 || targetWidth > 1 << 16) {
    throw new OcrError('InvalidOptions', `targetWidth must be an integer in [1, 65536] (got ${targetWidth})`, { option: 'targetWidth' });
  }
  const source = downscaleArea(image, options.downscale ?? 1);
  const width = resizedWidth(source.width, source.height, targetWidth);
  const resized = resizeBilinear(source, width, OCR_INPUT_HEIGHT);
  const channels = source.channels;
  const plane = OCR_INPUT_HEIGHT * targetWidth;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < OCR_INPUT_HEIGHT; y++) {
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * channels;
      const dst = y * targetWidth + x;
      for (let c = 0; c < 3; c++) {
        // BGR order: output channel c is RGB channel 2 - c.
        const value = channels === 1 ? resized[src]! : resized[src + 2 - c]!;
        out[c * plane + dst] = (value / 255 - 0.5) / 0.5;
      }
    }
  }
  return out;
}

/** {@link preprocessLine} at a tier's resolution. Throws `InvalidTier` for a name not in {@link OCR_TIERS}. */
export function preprocessForTier(image: OcrImage, tier: OcrTier, options: Omit<PreprocessOptions, 'downscale'> = {}): Float32Array {
  if (!isOcrTier(tier)) throw new OcrError('InvalidTier', `unknown OCR tier '${String(tier)}' (tiers: ${OCR_TIERS.join(', ')})`, { tier });
  return preprocessLine(image, { ...options, downscale: OCR_TIER_DOWNSCALE[tier] });
}
