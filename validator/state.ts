/**
 * The validator's durable state: moving-average scores with the hotkeys they belong to, the block of the
 * last weights, and a pending commit (written before the commit is submitted, so a crash between commit
 * and reveal never loses the salt). Saved atomically — written to a temporary file, fsync'd, renamed over
 * the old one, the directory fsync'd — so a kill -9 leaves either the old state or the new one.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ValidatorError } from './errors';

/** A commit the validator made (or is about to make) and must reveal. */
export interface PendingReveal {
  readonly uids: readonly number[];
  readonly values: readonly number[];
  readonly salt: readonly number[];
  readonly versionKey: bigint;
  readonly commitHash: string;
  /** Null until the commit is known to be in a block. */
  readonly commitBlock: number | null;
  readonly firstRevealBlock: number | null;
  readonly lastRevealBlock: number | null;
}

export interface ValidatorState {
  readonly netuid: number;
  readonly hotkey: string;
  readonly scores: readonly number[];
  readonly hotkeys: readonly string[];
  readonly lastWeightsBlock: number | null;
  readonly pendingReveal: PendingReveal | null;
}

const u16s = z.array(z.number().int().min(0).max(65535));
const fileSchema = z.object({
  format: z.literal('tensornet.validator-state/1'),
  netuid: z.number().int().min(0).max(65535),
  hotkey: z.string(),
  scores: z.array(z.number().min(0).max(1)),
  hotkeys: z.array(z.string()),
  lastWeightsBlock: z.number().int().nullable(),
  pendingReveal: z
    .object({
      uids: u16s,
      values: u16s,
      salt: u16s,
      versionKey: z.string().regex(/^\d+$/),
      commitHash: z.string().regex(/^0x[0-9a-f]{64}$/),
      commitBlock: z.number().int().nullable(),
      firstRevealBlock: z.number().int().nullable(),
      lastRevealBlock: z.number().int().nullable(),
    })
    .nullable(),
});

/**
 * Reads the state file; null when there is none.
 * @throws ValidatorError `StateInvalid` (unreadable, or written for another subnet or hotkey)
 */
export function loadState(path: string, expect: { readonly netuid: number; readonly hotkey: string }): ValidatorState | null {
  if (!existsSync(path)) return null;
  let parsed;
  try {
    parsed = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (err) {
    throw new ValidatorError('StateInvalid', `${path} is not a validator state file: ${err instanceof Error ? err.message.split('\n')[0] : String(err)} (move it away to start afresh)`, { path }, { cause: err });
  }
  if (parsed.netuid !== expect.netuid || parsed.hotkey !== expect.hotkey) {
    throw new ValidatorError('StateInvalid', `${path} belongs to hotkey ${parsed.hotkey} on subnet ${parsed.netuid}, not ${expect.hotkey} on ${expect.netuid}`, { path });
  }
  const pending = parsed.pendingReveal;
  return {
    ...parsed,
    pendingReveal: pending === null ? null : { ...pending, versionKey: BigInt(pending.versionKey) },
  };
}

/** Writes the state atomically. */
export function saveState(path: string, state: ValidatorState): void {
  mkdirSync(dirname(path), { recursive: true });
  const pending = state.pendingReveal;
  const doc = {
    format: 'tensornet.validator-state/1',
    netuid: state.netuid,
    hotkey: state.hotkey,
    scores: state.scores,
    hotkeys: state.hotkeys,
    lastWeightsBlock: state.lastWeightsBlock,
    pendingReveal: pending === null ? null : { ...pending, versionKey: pending.versionKey.toString() },
  };
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(doc));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
