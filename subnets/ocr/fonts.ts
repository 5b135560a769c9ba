/**
 * The fonts the OCR task draws lines with: DejaVu faces from the npm package `dejavu-fonts-ttf`, parsed with
 * opentype.js once per face and cached.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { parse, type Font } from 'opentype.js';

import { OcrError } from './errors';

/** The faces lines are drawn in: sans, serif and monospace, regular, bold, oblique and condensed. */
export const OCR_FONT_FACES = [
  'DejaVuSans',
  'DejaVuSans-Bold',
  'DejaVuSans-Oblique',
  'DejaVuSansCondensed',
  'DejaVuSerif',
  'DejaVuSerif-Bold',
  'DejaVuSansMono',
] as const;
export type OcrFontFace = (typeof OCR_FONT_FACES)[number];

const cache = new Map<OcrFontFace, Font>();

/** The parsed font of a face (read from `dejavu-fonts-ttf/ttf/<face>.ttf`). Throws `InvalidOptions` for an unknown face. */
export function loadFontFace(face: OcrFontFace): Font {
  const cached = cache.get(face);
  if (cached !== undefined) return cached;
  if (!(OCR_FONT_FACES as readonly string[]).includes(face)) {
    throw new OcrError('InvalidOptions', `unknown font face '${String(face)}' (faces: ${OCR_FONT_FACES.join(', ')})`, { option: 'face' });
  }
  let file: string;
  try {
    file = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', `${face}.ttf`);
  } catch (err) {
    throw new OcrError('AssetMissing', 'the npm package dejavu-fonts-ttf is not installed (run npm ci)', { path: `${face}.ttf` }, { cause: err });
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new OcrError('AssetMissing', `cannot read the font ${file}`, { path: file }, { cause: err });
  }
  // lowMemory parses glyphs on first use: ~4x faster to open, and a line needs a few dozen of 3,000-6,000 glyphs.
  const font = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), { lowMemory: true });
  cache.set(face, font);
  return font;
}
