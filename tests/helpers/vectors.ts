/**
 * Loads the chain-recorded consensus vectors in tests/fixtures/vectors (schema: README.md there)
 * into the consensus module's own types, so any engine's output can be compared with `toEqual`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseYumaVectorFile } from '../../consensus/vector-format';
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput } from '../../consensus/types';

/** Where the vector files live (copied from the shared recording; kept in the repo so a clean clone tests). */
export const VECTORS_DIR = join(__dirname, '..', 'fixtures', 'vectors');

/**
 * What the chain stored after an epoch: every output of the contract except `stakeWeight`, which the
 * vectors do not record, with `bonds` as plain `[uid, u16]` rows so a mismatch diffs readably.
 */
export interface YumaExpectedOutput extends Omit<YumaEpochOutput, 'stakeWeight' | 'bonds'> {
  readonly bonds: SparseU16Row[];
}

export interface YumaVectorEpoch {
  /** The epoch block B. */
  readonly block: number;
  readonly input: YumaEpochInput;
  readonly expected: YumaExpectedOutput;
}

export interface YumaVector {
  /** File name without `.json`, e.g. `honest_majority`. */
  readonly name: string;
  readonly epochs: readonly YumaVectorEpoch[];
}

/** u64 as recorded: a JSON number up to 2^53−1, a decimal string above. */
const u64 = z.union([z.number().int().nonnegative().refine(Number.isSafeInteger, 'u64 above 2^53−1 must be a string'), z.string().regex(/^\d+$/)]).transform((v) => BigInt(v));
const u16 = z.number().int().min(0).max(65535);
const blockNumber = z.number().int().nonnegative();
const sparseRows = z.array(z.array(z.tuple([u16, u16]).readonly()));

const outputsSchema = z.object({
  rank: z.array(u16),
  trust: z.array(u16),
  consensus: z.array(u16),
  incentive: z.array(u16),
  dividends: z.array(u16),
  validator_trust: z.array(u16),
  pruning_scores: z.array(u16),
  emission: z.array(u64),
  server_emission: z.array(u64),
  validator_emission: z.array(u64),
  validator_permit: z.array(z.boolean()),
  active: z.array(z.boolean()),
  bonds: sparseRows,
});

/** The recorded outputs; inputs go through the CLI's own parser (`parseYumaVectorFile`). */
const yumaFileSchema = z.object({
  kind: z.literal('yuma'),
  epochs: z.array(z.object({ block: blockNumber, outputs: outputsSchema })),
});

/** Every `kind: "yuma"` vector, sorted by name, each epoch converted to a `YumaEpochInput` and its expected outputs. */
export function loadYumaVectors(): YumaVector[] {
  const files = readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const vectors: YumaVector[] = [];
  for (const file of files) {
    const doc: unknown = JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8'));
    if ((doc as { kind?: unknown }).kind !== 'yuma') continue;
    const parsed = yumaFileSchema.parse(doc);
    const inputs = parseYumaVectorFile(doc);
    vectors.push({
      name: file.replace(/\.json$/, ''),
      epochs: parsed.epochs.map(({ block, outputs: y }, e) => ({
        block,
        input: inputs[e]!,
        expected: {
          rank: y.rank,
          trust: y.trust,
          consensus: y.consensus,
          incentive: y.incentive,
          dividends: y.dividends,
          validatorTrust: y.validator_trust,
          pruningScores: y.pruning_scores,
          active: y.active,
          validatorPermit: y.validator_permit,
          bonds: y.bonds,
          emission: y.emission,
          serverEmission: y.server_emission,
          validatorEmission: y.validator_emission,
        },
      })),
    });
  }
  return vectors;
}

/** The part of an engine's output that the vectors record, shaped like {@link YumaExpectedOutput} for `toEqual`. */
export function recordedPart(out: YumaEpochOutput): YumaExpectedOutput {
  const { stakeWeight: _omitted, bonds, ...rest } = out;
  return { ...rest, bonds: bonds.toRows() };
}
