/**
 * The OCR task's lines: random text (words and numbers) and its rendering into a grayscale image with a real
 * font, varied size, spacing, padding, rotation, contrast and noise. Everything random comes from the given
 * `rng`, so a seed reproduces a line byte for byte.
 */
import { OcrError } from './errors';
import { loadFontFace, OCR_FONT_FACES, type OcrFontFace } from './fonts';
import type { GrayImage } from './image';
import { loadOcrCharset } from './model';
import { flattenOutline, rasterizeCoverage, type OutlineCommand, type Polygon } from './raster';
import { OCR_WORDS } from './words';

/** A source of uniform numbers in [0, 1), e.g. `mulberry32(seed)` from `common/random`. */
export type Rng = () => number;

/** Longest line {@link randomTextLine} makes, in characters. */
export const MAX_LINE_CHARS = 32;
/** Most tokens (words or numbers) in a line. */
export const MAX_LINE_TOKENS = 6;
/** Longest text {@link renderTextLine} accepts, in characters. */
export const MAX_RENDER_CHARS = 256;

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.min(items.length - 1, Math.floor(rng() * items.length))]!;
}

function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng();
}

function randomToken(rng: Rng): string {
  if (rng() < 0.2) {
    const digits = 1 + Math.floor(rng() * 5);
    let number = '';
    for (let i = 0; i < digits; i++) number += String(Math.floor(rng() * 10));
    return number;
  }
  const word = pick(rng, OCR_WORDS);
  const style = rng();
  if (style < 0.55) return word;
  if (style < 0.85) return word[0]!.toUpperCase() + word.slice(1);
  return word.toUpperCase();
}

/**
 * A random line of 1 to 6 tokens separated by single spaces, at most 32 characters: English words (lower,
 * Title or UPPER case) and numbers of 1 to 5 digits. Every character is in the model's charset.
 */
export function randomTextLine(rng: Rng): string {
  const wanted = 1 + Math.floor(rng() * MAX_LINE_TOKENS);
  let line = randomToken(rng);
  for (let i = 1; i < wanted; i++) {
    const token = randomToken(rng);
    if (line.length + 1 + token.length > MAX_LINE_CHARS) break;
    line += ` ${token}`;
  }
  return line;
}

/** Overrides of what {@link renderTextLine} otherwise draws at random; the random draws happen either way. */
export interface RenderOptions {
  /** Font face. @default one of OCR_FONT_FACES at random */
  readonly face?: OcrFontFace;
  /** Font size in pixels (the em). @default uniform in [18, 40] */
  readonly fontSize?: number;
  /** Extra space after each character, in ems. @default uniform in [0, 0.12] */
  readonly letterSpacing?: number;
  /** Rotation in degrees, clockwise. @default uniform in [-3, 3] */
  readonly rotationDeg?: number;
  /** Standard deviation of the gaussian pixel noise, in gray levels. @default uniform in [0, 8] */
  readonly noiseSigma?: number;
  /** Light text on a dark background. @default true for about one line in four */
  readonly dark?: boolean;
}

interface LineStyle {
  readonly face: OcrFontFace;
  readonly fontSize: number;
  readonly letterSpacing: number;
  readonly rotationDeg: number;
  readonly noiseSigma: number;
  readonly dark: boolean;
  readonly background: number;
  readonly ink: number;
  readonly gradient: number;
  /** Padding in ems: left, right, top, bottom. */
  readonly padding: readonly [number, number, number, number];
}

function drawStyle(rng: Rng, options: RenderOptions): LineStyle {
  // Every draw happens whatever the options, so overriding one parameter leaves the others as they were.
  const face = pick(rng, OCR_FONT_FACES);
  const fontSize = uniform(rng, 18, 40);
  const letterSpacing = uniform(rng, 0, 0.12);
  const rotationDeg = uniform(rng, -3, 3);
  const noiseSigma = uniform(rng, 0, 8);
  const darkDrawn = rng() < 0.25;
  const dark = options.dark ?? darkDrawn;
  // Contrast of at least 120 gray levels between ink and background keeps every line legible.
  const background = dark ? uniform(rng, 0, 90) : uniform(rng, 165, 255);
  const ink = dark ? uniform(rng, background + 120, 255) : uniform(rng, 0, background - 120);
  const gradient = uniform(rng, -15, 15);
  const padding = [uniform(rng, 0.08, 0.6), uniform(rng, 0.08, 0.6), uniform(rng, 0.05, 0.3), uniform(rng, 0.05, 0.3)] as const;
  return {
    face: options.face ?? face,
    fontSize: options.fontSize ?? fontSize,
    letterSpacing: options.letterSpacing ?? letterSpacing,
    rotationDeg: options.rotationDeg ?? rotationDeg,
    noiseSigma: options.noiseSigma ?? noiseSigma,
    dark,
    background,
    ink,
    gradient,
    padding,
  };
}

function checkOptions(options: RenderOptions): void {
  const range = (name: keyof RenderOptions, value: number | undefined, low: number, high: number): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= low && value <= high)) {
      throw new OcrError('InvalidOptions', `${name} must be a number in [${low}, ${high}] (got ${value})`, { option: name });
    }
  };
  range('fontSize', options.fontSize, 6, 200);
  range('letterSpacing', options.letterSpacing, -0.2, 1);
  range('rotationDeg', options.rotationDeg, -45, 45);
  range('noiseSigma', options.noiseSigma, 0, 64);
  if (options.face !== undefined && !(OCR_FONT_FACES as readonly string[]).includes(options.face)) {
    throw new OcrError('InvalidOptions', `unknown font face '${String(options.face)}' (faces: ${OCR_FONT_FACES.join(', ')})`, { option: 'face' });
  }
}

/** The charset's characters (the blank left out), built on first use. */
let charsetSet: ReadonlySet<string> | undefined;

function checkText(text: string): void {
  const chars = Array.from(text);
  if (text.trim().length === 0) throw new OcrError('UnsupportedText', 'the text to render is empty', { char: '' });
  if (chars.length > MAX_RENDER_CHARS) throw new OcrError('UnsupportedText', `the text has ${chars.length} characters, more than ${MAX_RENDER_CHARS}`, { char: '' });
  charsetSet ??= new Set(loadOcrCharset().slice(1));
  const charset = charsetSet;
  const missing = chars.find((c) => !charset.has(c));
  if (missing !== undefined) throw new OcrError('UnsupportedText', `'${missing}' is not in the model's charset`, { char: missing });
}

/** Standard normal deviates from the rng, two per pair of uniforms (Box-Muller). */
function gaussianSource(rng: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * Renders a line of text into a grayscale image sized to fit it: the text in a DejaVu face, anti-aliased,
 * rotated about its centre, on a background with a slight horizontal gradient, plus gaussian noise. Throws
 * `UnsupportedText` for empty text, text over 256 characters, or characters outside the model's charset or the
 * font; `InvalidOptions` for options out of range. The same text, rng state and options give the same bytes.
 */
export function renderTextLine(text: string, rng: Rng, options: RenderOptions = {}): GrayImage {
  checkOptions(options);
  checkText(text);
  const style = drawStyle(rng, options);
  const font = loadFontFace(style.face);
  const size = style.fontSize;
  const em = size / font.unitsPerEm;

  // Lay out on a baseline at y = 0 (y grows downwards), one glyph per code point.
  const polygons: Polygon[] = [];
  let pen = 0;
  const chars = Array.from(text);
  chars.forEach((char, i) => {
    const glyph = font.charToGlyph(char);
    if (glyph.index === 0) throw new OcrError('UnsupportedText', `the font ${style.face} has no glyph for '${char}'`, { char });
    polygons.push(...flattenOutline(glyph.getPath(pen, 0, size).commands as OutlineCommand[]));
    pen += (glyph.advanceWidth ?? 0) * em + (i < chars.length - 1 ? style.letterSpacing * size : 0);
  });
  const top = -font.ascender * em;
  const bottom = -font.descender * em;

  // Rotate everything about the centre of the line box, then fit the canvas around the box and the ink.
  const angle = (style.rotationDeg * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = pen / 2;
  const cy = (top + bottom) / 2;
  const rotate = (points: number[]): void => {
    for (let i = 0; i < points.length; i += 2) {
      const dx = points[i]! - cx;
      const dy = points[i + 1]! - cy;
      points[i] = cx + dx * cos - dy * sin;
      points[i + 1] = cy + dx * sin + dy * cos;
    }
  };
  const box = [0, top, pen, top, pen, bottom, 0, bottom];
  rotate(box);
  polygons.forEach(rotate);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const points of [box, ...polygons]) {
    for (let i = 0; i < points.length; i += 2) {
      minX = Math.min(minX, points[i]!);
      maxX = Math.max(maxX, points[i]!);
      minY = Math.min(minY, points[i + 1]!);
      maxY = Math.max(maxY, points[i + 1]!);
    }
  }
  const [padLeft, padRight, padTop, padBottom] = style.padding.map((p) => Math.max(1, Math.round(p * size))) as [number, number, number, number];
  const width = Math.ceil(maxX - minX) + padLeft + padRight;
  const height = Math.ceil(maxY - minY) + padTop + padBottom;
  for (const points of polygons) {
    for (let i = 0; i < points.length; i += 2) {
      points[i] = points[i]! - minX + padLeft;
      points[i + 1] = points[i + 1]! - minY + padTop;
    }
  }

  const coverage = rasterizeCoverage(polygons, width, height);
  const gaussian = gaussianSource(rng);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const background = style.background + style.gradient * (x / width - 0.5);
      const level = background + (style.ink - background) * coverage[y * width + x]! + style.noiseSigma * gaussian();
      data[y * width + x] = Math.min(255, Math.max(0, Math.round(level)));
    }
  }
  return { data, width, height, channels: 1 };
}
