/**
 * The digits model tiers (what each architecture is and how it is trained by default) and where the
 * committed models live.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { DigitsError } from './errors';

/** The model tiers, smallest first; held-out accuracy rises in this order. */
export const DIGITS_TIERS = ['linear', 'mlp', 'mlp-large'] as const;
export type DigitsTier = (typeof DIGITS_TIERS)[number];

/** How a tier's network is shaped and trained. */
export interface DigitsTierConfig {
  /** Widths of the hidden layers (each Dense + ReLU); empty for a linear model. */
  readonly hidden: readonly number[];
  /** Passes over the training set when `epochs` is not given. */
  readonly epochs: number;
  /** Adam's step size at the start (cosine-decayed to 5 % of it by the last step). */
  readonly learningRate: number;
  /** Images per SGD step. */
  readonly batchSize: number;
}

const tierConfig = (config: DigitsTierConfig): DigitsTierConfig => Object.freeze({ ...config, hidden: Object.freeze([...config.hidden]) });

export const DIGITS_TIER_CONFIGS: Readonly<Record<DigitsTier, DigitsTierConfig>> = Object.freeze({
  linear: tierConfig({ hidden: [], epochs: 10, learningRate: 0.003, batchSize: 64 }),
  mlp: tierConfig({ hidden: [64], epochs: 15, learningRate: 0.002, batchSize: 64 }),
  'mlp-large': tierConfig({ hidden: [256, 128], epochs: 20, learningRate: 0.001, batchSize: 64 }),
});

export function isDigitsTier(value: unknown): value is DigitsTier {
  return typeof value === 'string' && (DIGITS_TIERS as readonly string[]).includes(value);
}

/** The tier named `value`, or `UnknownTier`. */
export function digitsTier(value: string): DigitsTier {
  if (!isDigitsTier(value)) throw new DigitsError('UnknownTier', `unknown digits tier '${value}' (known: ${DIGITS_TIERS.join(', ')})`, { tier: value, known: DIGITS_TIERS });
  return value;
}

let root: string | undefined;

/**
 * The tensornet package's root: the nearest folder above this module whose package.json is tensornet's.
 * Works from the TypeScript sources (`subnets/digits/`) and from the build (`dist/subnets/digits/`),
 * which holds no data files.
 */
function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'tensornet') return (root = dir);
    if (dirname(dir) === dir) throw new DigitsError('DataUnavailable', `no tensornet package.json above ${__dirname}`, { file: 'package.json' });
  }
}

/** The absolute path of a tier's committed model, `subnets/digits/models/digits-<tier>.onnx` in the repository. */
export function digitsModelPath(tier: DigitsTier): string {
  return join(packageRoot(), 'subnets', 'digits', 'models', `digits-${digitsTier(tier)}.onnx`);
}
