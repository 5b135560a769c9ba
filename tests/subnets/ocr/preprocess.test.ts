import { OcrError } from '../../../subnets/ocr/errors';
import { checkImage, downscaleArea, MAX_IMAGE_PIXELS, resizeBilinear, type OcrImage } from '../../../subnets/ocr/image';
import { OCR_INPUT_HEIGHT, OCR_INPUT_WIDTH } from '../../../subnets/ocr/model';
import { OCR_TIER_DOWNSCALE, OCR_TIERS, preprocessForTier, preprocessLine, resizedWidth, type OcrTier } from '../../../subnets/ocr/preprocess';

const PLANE = OCR_INPUT_HEIGHT * OCR_INPUT_WIDTH;

function gray(width: number, height: number, value: (x: number, y: number) => number): OcrImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height, channels: 1 };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof OcrError ? err.code : `not an OcrError: ${String(err)}`;
  }
  return undefined;
}

/** Bitwise equality of two float tensors (jest's deep equality is slow on 46,080 elements). */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Values of channel c at row y, columns [from, to). */
function row(tensor: Float32Array, c: number, y: number, from = 0, to = OCR_INPUT_WIDTH): number[] {
  return Array.from(tensor.subarray(c * PLANE + y * OCR_INPUT_WIDTH + from, c * PLANE + y * OCR_INPUT_WIDTH + to));
}

describe('resizedWidth', () => {
  it('keeps the aspect ratio at height 48, rounding up, capped at the target width', () => {
    expect(resizedWidth(20, 10)).toBe(96);
    expect(resizedWidth(100, 48)).toBe(100);
    expect(resizedWidth(7, 3)).toBe(112); // 48 * 7 / 3 = 112 exactly
    expect(resizedWidth(10, 7)).toBe(69); // 68.57 -> 69
    expect(resizedWidth(1000, 10)).toBe(OCR_INPUT_WIDTH);
    expect(resizedWidth(1, 1000)).toBe(1);
    expect(resizedWidth(1000, 10, 2000)).toBe(2000);
  });
});

describe('preprocessLine', () => {
  it('gives a [1, 3, 48, 320] tensor: a white line normalizes to 1.0, the padding right of it is 0', () => {
    const tensor = preprocessLine(gray(20, 10, () => 255));
    expect(tensor).toBeInstanceOf(Float32Array);
    expect(tensor.length).toBe(3 * PLANE);
    for (let c = 0; c < 3; c++) {
      for (const y of [0, 23, 47]) {
        expect(row(tensor, c, y, 0, 96).every((v) => v === 1)).toBe(true);
        expect(row(tensor, c, y, 96).every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('maps black to -1 and mid-gray near 0', () => {
    expect(row(preprocessLine(gray(48, 48, () => 0)), 1, 10, 0, 48).every((v) => v === -1)).toBe(true);
    const mid = row(preprocessLine(gray(48, 48, () => 128)), 1, 10, 0, 48);
    expect(mid.every((v) => Math.abs(v - (128 / 255 - 0.5) / 0.5) < 1e-6)).toBe(true);
  });

  it('squeezes lines wider than the target width to it, with no padding left', () => {
    const tensor = preprocessLine(gray(1000, 10, () => 255));
    expect(row(tensor, 0, 47).every((v) => v === 1)).toBe(true);
  });

  it('pads to another target width when asked', () => {
    const tensor = preprocessLine(gray(20, 10, () => 255), { targetWidth: 100 });
    expect(tensor.length).toBe(3 * OCR_INPUT_HEIGHT * 100);
    expect(Array.from(tensor.subarray(0, 100))).toEqual([...new Array(96).fill(1), 0, 0, 0, 0]);
  });

  it('orders an RGB image BGR (as PaddleOCR reads it with OpenCV) and fills all channels from a gray one', () => {
    const rgb: OcrImage = { data: new Uint8Array(48 * 48 * 3).map((_, i) => [255, 0, 128][i % 3]!), width: 48, height: 48, channels: 3 };
    const tensor = preprocessLine(rgb);
    expect(row(tensor, 0, 5, 0, 48).every((v) => Math.abs(v - (128 / 255 - 0.5) / 0.5) < 1e-6)).toBe(true); // B
    expect(row(tensor, 1, 5, 0, 48).every((v) => v === -1)).toBe(true); // G
    expect(row(tensor, 2, 5, 0, 48).every((v) => v === 1)).toBe(true); // R
    const fromGray = preprocessLine(gray(30, 12, (x, y) => (x * 7 + y * 13) % 256));
    expect(row(fromGray, 0, 20)).toEqual(row(fromGray, 1, 20));
    expect(row(fromGray, 1, 20)).toEqual(row(fromGray, 2, 20));
  });

  it('follows the resized image: a left-dark, right-light line stays so', () => {
    const tensor = preprocessLine(gray(40, 20, (x) => (x < 20 ? 0 : 255))); // -> 96 x 48
    expect(row(tensor, 0, 24, 0, 46).every((v) => v === -1)).toBe(true);
    expect(row(tensor, 0, 24, 50, 96).every((v) => v === 1)).toBe(true);
  });

  it('refuses a bad image or option with a typed error', () => {
    expect(codeOf(() => preprocessLine({ data: new Uint8Array(5), width: 2, height: 2, channels: 1 }))).toBe('InvalidImage');
    expect(codeOf(() => preprocessLine({ data: new Uint8Array(4), width: 2, height: 2, channels: 2 as 1 }))).toBe('InvalidImage');
    expect(codeOf(() => preprocessLine({ data: new Uint8Array(0), width: 0, height: 2, channels: 1 }))).toBe('InvalidImage');
    expect(codeOf(() => preprocessLine({ data: [1, 2, 3, 4] as unknown as Uint8Array, width: 2, height: 2, channels: 1 }))).toBe('InvalidImage');
    expect(codeOf(() => preprocessLine(null as unknown as OcrImage))).toBe('InvalidImage');
    expect(codeOf(() => checkImage({ data: new Uint8Array(0), width: 1 << 13, height: (MAX_IMAGE_PIXELS >> 13) + 1, channels: 1 }))).toBe('InvalidImage');
    expect(codeOf(() => preprocessLine(gray(4, 4, () => 0), { targetWidth: 0 }))).toBe('InvalidOptions');
    expect(codeOf(() => preprocessLine(gray(4, 4, () => 0), { downscale: 1.5 }))).toBe('InvalidOptions');
  });
});

describe('resizeBilinear', () => {
  it('samples like OpenCV INTER_LINEAR (half-pixel centres, clamped edges)', () => {
    // cv2.resize(np.array([[0, 100]], np.uint8), (4, 1)) == [[0, 25, 75, 100]]
    expect(Array.from(resizeBilinear(gray(2, 1, (x) => x * 100), 4, 1))).toEqual([0, 25, 75, 100]);
    // Downscaling 4 -> 2 samples between pixel pairs: (0+40)/2, (80+120)/2.
    expect(Array.from(resizeBilinear(gray(4, 1, (x) => x * 40), 2, 1))).toEqual([20, 100]);
    // Same size is the identity.
    const image = gray(5, 3, (x, y) => x * 50 + y);
    expect(Array.from(resizeBilinear(image, 5, 3))).toEqual(Array.from(image.data));
  });

  it('interpolates in both axes', () => {
    const out = resizeBilinear(gray(2, 2, (x, y) => (x + 2 * y) * 40), 4, 4);
    // Centre taps at 0.25 and 0.75 in both axes: value = 40 * (fx + 2 fy).
    expect(out[1 * 4 + 1]).toBeCloseTo(40 * (0.25 + 2 * 0.25), 4);
    expect(out[2 * 4 + 1]).toBeCloseTo(40 * (0.25 + 2 * 0.75), 4);
    expect(out[3 * 4 + 3]).toBe(120);
  });
});

describe('downscaleArea and the tiers', () => {
  it('averages factor x factor blocks, edge blocks over the pixels they have', () => {
    const image = gray(5, 3, (x, y) => x * 10 + y * 100);
    const half = downscaleArea(image, 2);
    expect([half.width, half.height, half.channels]).toEqual([3, 2, 1]);
    expect(Array.from(half.data)).toEqual([55, 75, 90, 205, 225, 240]);
    expect(downscaleArea(image, 1)).toBe(image);
  });

  it('averages each RGB channel on its own', () => {
    const rgb: OcrImage = { data: new Uint8Array([10, 20, 30, 30, 40, 50]), width: 2, height: 1, channels: 3 };
    expect(Array.from(downscaleArea(rgb, 2).data)).toEqual([20, 30, 40]);
  });

  it('tiers: full is the plain preprocessing, weaker tiers first downscale by their factor', () => {
    expect(OCR_TIERS).toEqual(['full', 'third', 'fifth']);
    const image = gray(90, 30, (x, y) => ((x >> 2) + (y >> 2)) % 2 === 0 ? 20 : 230);
    expect(same(preprocessForTier(image, 'full'), preprocessLine(image))).toBe(true);
    for (const tier of OCR_TIERS) {
      const factor = OCR_TIER_DOWNSCALE[tier];
      expect(same(preprocessForTier(image, tier), preprocessLine(downscaleArea(image, factor)))).toBe(true);
      if (factor > 1) expect(same(preprocessForTier(image, tier), preprocessLine(image))).toBe(false);
    }
    expect(codeOf(() => preprocessForTier(image, 'best' as OcrTier))).toBe('InvalidTier');
  });
});
