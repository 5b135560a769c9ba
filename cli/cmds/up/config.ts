/**
 * What `tensornet up` starts, as one zod schema: the built-in default (digits and ocr, three validators
 * each, every tier and one copier) or a JSON file given with `--config`. Stakes are in TAO.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { usage } from '../../keys';

const subnetSchema = z
  .object({
    /** A built-in mechanism name or a mechanism module path. */
    mechanism: z.string().min(1),
    /** The owner's dev account (pays nothing here: the subnet is in the genesis). */
    owner: z.string().regex(/^\/\/[A-Za-z0-9]+$/).default('//Alice'),
    /** One entry per validator: its stake in TAO. */
    validators: z.array(z.number().positive()).min(1).max(64).default([1000, 600, 300]),
    /** The mechanism's tiers to run one miner each (default: all). */
    tiers: z.array(z.string()).min(1).optional(),
    /** Add a miner that copies the best tier's answers. */
    copier: z.boolean().default(true),
  })
  .strict();

export const upConfigSchema = z
  .object({
    blockTimeMs: z.number().int().min(50).max(60_000).default(250),
    /** Tempo of root and of every subnet, blocks. */
    tempo: z.number().int().min(2).max(1000).default(10),
    /** Pause between a validator's steps. */
    stepIntervalMs: z.number().int().min(0).default(1000),
    subnets: z.array(subnetSchema).min(1).max(16).prefault([{ mechanism: 'digits' }, { mechanism: 'ocr' }]),
  })
  .strict();

export type UpConfig = z.infer<typeof upConfigSchema>;
export type UpSubnetConfig = z.infer<typeof subnetSchema>;

/** The config: `file`'s, or the default. @throws CliError `UsageError` naming the field */
export function loadUpConfig(file: string | undefined): UpConfig {
  let doc: unknown = {};
  if (file !== undefined) {
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      throw usage(`--config ${file}: ${err instanceof Error ? err.message : String(err)}`, err);
    }
  }
  const parsed = upConfigSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw usage(`--config ${file ?? '(default)'}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
