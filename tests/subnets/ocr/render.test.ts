import { mulberry32 } from '../../../common/random';
import { OcrError } from '../../../subnets/ocr/errors';
import { OCR_FONT_FACES } from '../../../subnets/ocr/fonts';
import { loadOcrCharset } from '../../../subnets/ocr/model';
import { flattenOutline, rasterizeCoverage } from '../../../subnets/ocr/raster';
import { MAX_LINE_CHARS, MAX_LINE_TOKENS, randomTextLine, renderTextLine } from '../../../subnets/ocr/render';
import { OCR_WORDS } from '../../../subnets/ocr/words';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof OcrError ? err.code : `not an OcrError: ${String(err)}`;
  }
  return undefined;
}

describe('randomTextLine', () => {
  const lines = Array.from({ length: 2000 }, (_, seed) => randomTextLine(mulberry32(seed)));

  it('makes 1 to 6 tokens of words and numbers, single-spaced, at most 32 characters', () => {
    const words = new Set(OCR_WORDS);
    const badLines = lines.filter((line) => line.length === 0 || line.length > MAX_LINE_CHARS || line.split(' ').length > MAX_LINE_TOKENS);
    expect(badLines).toEqual([]);
    const badTokens = lines.flatMap((line) => line.split(' ')).filter((token) => !/^[0-9]{1,5}$/.test(token) && !words.has(token.toLowerCase()));
    expect(badTokens).toEqual([]);
    const counts = new Set(lines.map((l) => l.split(' ').length));
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('mixes lower, Title and UPPER case words and numbers', () => {
    const tokens = lines.flatMap((l) => l.split(' '));
    expect(tokens.some((t) => /^[a-z]{2,}$/.test(t))).toBe(true);
    expect(tokens.some((t) => /^[A-Z][a-z]+$/.test(t))).toBe(true);
    expect(tokens.some((t) => /^[A-Z]{2,}$/.test(t))).toBe(true);
    expect(tokens.some((t) => /^[0-9]+$/.test(t))).toBe(true);
  });

  it('uses only characters of the model charset', () => {
    const charset = new Set(loadOcrCharset());
    const used = new Set(lines.join(''));
    expect([...used].filter((c) => !charset.has(c))).toEqual([]);
    expect(OCR_WORDS.join('').split('').every((c) => charset.has(c))).toBe(true);
  });

  it('is a function of the rng', () => {
    expect(randomTextLine(mulberry32(42))).toBe(randomTextLine(mulberry32(42)));
    expect(new Set(lines).size).toBeGreaterThan(1900);
  });
});

describe('renderTextLine', () => {
  it('renders the same bytes for the same seed, and different bytes for another', () => {
    for (const seed of [1, 2, 3, 99]) {
      const text = randomTextLine(mulberry32(seed));
      const a = renderTextLine(text, mulberry32(seed));
      const b = renderTextLine(text, mulberry32(seed));
      expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, 1]);
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
      const c = renderTextLine(text, mulberry32(seed + 1000));
      expect(c.width === a.width && c.height === a.height && Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
    }
  });

  it('gives a grayscale image sized to the text and the font size', () => {
    const rng = mulberry32(5);
    const small = renderTextLine('Hello 2024', rng, { fontSize: 18, rotationDeg: 0 });
    const large = renderTextLine('Hello 2024', rng, { fontSize: 40, rotationDeg: 0 });
    expect(small.data.length).toBe(small.width * small.height);
    expect(large.height).toBeGreaterThan(small.height * 1.6);
    expect(large.width).toBeGreaterThan(small.width * 1.6);
    const longer = renderTextLine('Hello 2024 Hello 2024', mulberry32(5), { fontSize: 18, rotationDeg: 0 });
    expect(longer.width).toBeGreaterThan(small.width * 1.7);
  });

  it('draws dark ink on a light background, or light on dark, with full contrast inside the glyphs', () => {
    for (const dark of [false, true]) {
      const image = renderTextLine('IIII MMMM', mulberry32(11), { dark, fontSize: 40, noiseSigma: 0, rotationDeg: 0, face: 'DejaVuSans-Bold' });
      const sorted = Array.from(image.data).sort((a, b) => a - b);
      const low = sorted[Math.floor(sorted.length * 0.05)]!;
      const high = sorted[Math.floor(sorted.length * 0.95)]!;
      expect(high - low).toBeGreaterThanOrEqual(110);
      // The background (most pixels) is on the light side for dark ink, the dark side otherwise.
      const median = sorted[Math.floor(sorted.length / 2)]!;
      expect(dark ? median < 128 : median > 128).toBe(true);
    }
  });

  it('varies font face, size and size of the image across seeds', () => {
    const images = Array.from({ length: 40 }, (_, seed) => renderTextLine('Same text 42', mulberry32(seed)));
    const heights = images.map((i) => i.height);
    expect(Math.max(...heights) - Math.min(...heights)).toBeGreaterThan(20);
    expect(OCR_FONT_FACES.length).toBeGreaterThanOrEqual(5);
  });

  it('keeps the other random draws when one option is overridden', () => {
    // Size and padding are drawn after the light/dark choice and the noise level: were an overridden draw
    // skipped, the later draws would shift and the image size change.
    for (let seed = 0; seed < 10; seed++) {
      const dims = [{ dark: true }, { dark: false }, { noiseSigma: 0 }, { noiseSigma: 20 }].map((options) => {
        const image = renderTextLine('abc Def 12', mulberry32(seed), options);
        return [image.width, image.height];
      });
      expect(new Set(dims.map((d) => d.join('x'))).size).toBe(1);
    }
  });

  it('refuses text it cannot draw and options out of range', () => {
    const rng = mulberry32(1);
    expect(codeOf(() => renderTextLine('', rng))).toBe('UnsupportedText');
    expect(codeOf(() => renderTextLine('   ', rng))).toBe('UnsupportedText');
    expect(codeOf(() => renderTextLine('x'.repeat(257), rng))).toBe('UnsupportedText');
    expect(codeOf(() => renderTextLine('price 5€', rng))).toBe('UnsupportedText'); // the font has it, the charset not
    expect(codeOf(() => renderTextLine('中文', rng))).toBe('UnsupportedText'); // the charset has it, DejaVu not
    expect(codeOf(() => renderTextLine('tab\there', rng))).toBe('UnsupportedText');
    expect(codeOf(() => renderTextLine('ok', rng, { fontSize: 2 }))).toBe('InvalidOptions');
    expect(codeOf(() => renderTextLine('ok', rng, { rotationDeg: Number.NaN }))).toBe('InvalidOptions');
    expect(codeOf(() => renderTextLine('ok', rng, { face: 'Arial' as 'DejaVuSans' }))).toBe('InvalidOptions');
    expect(renderTextLine('café 10', rng).channels).toBe(1);
  });
});

describe('rasterizeCoverage', () => {
  const square = (x0: number, y0: number, x1: number, y1: number): number[] => [x0, y0, x1, y0, x1, y1, x0, y1];

  it('gives each pixel the exact area of a rectangle inside it', () => {
    const coverage = rasterizeCoverage([square(1.25, 1.5, 3.75, 3.5)], 6, 5);
    const at = (x: number, y: number): number => coverage[y * 6 + x]!;
    expect(at(1, 1)).toBeCloseTo(0.75 * 0.5, 6);
    expect(at(2, 1)).toBeCloseTo(0.5, 6);
    expect(at(2, 2)).toBeCloseTo(1, 6);
    expect(at(3, 3)).toBeCloseTo(0.75 * 0.5, 6);
    expect(at(0, 0)).toBeCloseTo(0, 9);
    expect(at(5, 4)).toBeCloseTo(0, 9);
    expect(coverage.reduce((a, b) => a + b, 0)).toBeCloseTo(2.5 * 2, 5);
  });

  it('covers a triangle by its area, whichever its winding', () => {
    const triangle = [0.5, 0.5, 9.5, 0.5, 0.5, 7.5];
    const reversed = [0.5, 0.5, 0.5, 7.5, 9.5, 0.5];
    for (const polygon of [triangle, reversed]) {
      const coverage = rasterizeCoverage([polygon], 12, 9);
      expect(coverage.reduce((a, b) => a + b, 0)).toBeCloseTo((9 * 7) / 2, 4);
      expect(Math.max(...coverage)).toBeLessThanOrEqual(1);
    }
  });

  it('fills a ring (outer and inner contours of opposite directions) without its hole', () => {
    const outer = square(1, 1, 9, 9);
    const inner = [3, 3, 3, 7, 7, 7, 7, 3]; // reversed direction
    const coverage = rasterizeCoverage([outer, inner], 10, 10);
    expect(coverage[5 * 10 + 5]).toBeCloseTo(0, 9);
    expect(coverage[2 * 10 + 2]).toBeCloseTo(1, 9);
    expect(coverage.reduce((a, b) => a + b, 0)).toBeCloseTo(64 - 16, 4);
  });

  it('flattens curves: a quadratic arch bounds 2/3 of its box, within the chords it is cut into', () => {
    const polygons = flattenOutline([{ type: 'M', x: 1, y: 21 }, { type: 'Q', x1: 11, y1: 1, x: 21, y: 21 }, { type: 'Z' }]);
    expect(polygons).toHaveLength(1);
    const chords = polygons[0]!.length / 2 - 1;
    expect(chords).toBeGreaterThanOrEqual(8);
    const area = rasterizeCoverage(polygons, 24, 24).reduce((a, b) => a + b, 0);
    // Under the parabola from (1, 21) to (21, 21) with apex (11, 11): (2/3) * 20 * 10; n chords miss 1/n^2 of it.
    const exact = (2 / 3) * 20 * 10;
    expect(area).toBeLessThanOrEqual(exact);
    expect(area).toBeCloseTo(exact * (1 - 1 / chords ** 2), 3);
  });
});
