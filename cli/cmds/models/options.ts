/**
 * `tensornet models train` flags. This module stays light (no training code, no onnxruntime): every
 * `tensornet` command loads it to build the parser.
 */
import type { Options } from 'yargs';
import type { DigitsTier } from '../../../subnets/digits';

/** Subnets with a trainable reference model. */
export const MODEL_SUBNETS = ['digits'] as const;
/** `--tier` choices: the digits subnet's `DIGITS_TIERS` (kept equal by tests/cli/models-cli.test.ts). */
export const TIER_CHOICES = ['linear', 'mlp', 'mlp-large'] as const satisfies readonly DigitsTier[];

export interface ModelsTrainArgs {
  readonly subnet: (typeof MODEL_SUBNETS)[number];
  readonly tier: DigitsTier;
  readonly out?: string;
  readonly epochs?: number;
  readonly seed?: number;
}

export const modelsTrainOptions = {
  tier: { type: 'string', choices: TIER_CHOICES, demandOption: true, requiresArg: true, description: 'Model tier (quality rises in this order)' },
  out: { type: 'string', requiresArg: true, alias: 'o', description: "Where to write the ONNX model [default: the tier's committed model in subnets/digits/models/]" },
  epochs: { type: 'number', requiresArg: true, description: "Passes over the training set [default: the tier's]" },
  seed: { type: 'number', requiresArg: true, description: 'Seeds initialization, shuffling and augmentation [default: 1, the committed models]' },
} as const satisfies Record<string, Options>;
