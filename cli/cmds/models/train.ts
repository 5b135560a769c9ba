/**
 * `tensornet models train digits --tier T [--out PATH] [--epochs N] [--seed N]`: trains the tier in
 * TypeScript (bit-reproducible for a seed), writes the ONNX model (atomically: a miner serving the file
 * hot-reloads whole models only), measures it on the held-out set through onnxruntime, and prints one
 * JSON line with the result.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_DIGITS_SEED, DigitsError, digitsModelPath, evaluateDigitsModel, loadDigits, trainDigitsModel, type TrainProgress } from '../../../subnets/digits';
import { CliError } from '../../errors';
import type { CliIo } from '../../io';
import type { ModelsTrainArgs } from './options';
import { createTrainingProgress } from './progress';

/** The augmentation seed of the `heldOutAugmented` figure (the README's table uses the same). */
export const REPORT_AUGMENT_SEED = 1;

/** Refuses, before any training, an output path whose folder is missing, not a folder or not writable, or that is a folder itself. */
function checkOut(out: string): void {
  const dir = dirname(out);
  const reason = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError('UsageError', `--out: directory ${dir} does not exist`);
    throw new CliError('UsageError', `--out: cannot use directory ${dir}: ${reason(err)}`);
  }
  if (!dirStat.isDirectory()) throw new CliError('UsageError', `--out: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new CliError('UsageError', `--out: cannot write to directory ${dir}: ${reason(err)}`);
  }
  let outStat;
  try {
    outStat = statSync(out);
  } catch {
    return; // a new file
  }
  if (outStat.isDirectory()) throw new CliError('UsageError', `--out: ${out} is a directory; name the .onnx file to write`);
}

/** Writes next to the target, then renames over it. */
function writeAtomically(out: string, bytes: Uint8Array): void {
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, out);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new CliError('UsageError', `--out: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function modelsTrainHandler(args: ModelsTrainArgs, io: CliIo): Promise<void> {
  const out = resolve(args.out ?? digitsModelPath(args.tier));
  checkOut(out);
  const seed = args.seed ?? DEFAULT_DIGITS_SEED;
  const progress = createTrainingProgress(io, `digits-${args.tier}`);
  const started = process.hrtime.bigint();
  // The trainer checks --epochs and --seed (before any work) and knows the tier's default epoch count.
  let epochs = 0;
  let bytes: Uint8Array;
  try {
    bytes = await trainDigitsModel(args.tier, {
      epochs: args.epochs,
      seed,
      onProgress: (p: TrainProgress) => {
        epochs = p.epochs;
        progress.update(p);
      },
    });
  } catch (err) {
    if (err instanceof DigitsError && err.code === 'InvalidOptions') throw new CliError('UsageError', `--${String(err.details['option'])}: ${err.message}`, err.details, { cause: err });
    throw err;
  } finally {
    progress.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writeAtomically(out, bytes);
  const { heldOut } = loadDigits();
  const plain = await evaluateDigitsModel(out, heldOut);
  const augmented = await evaluateDigitsModel(out, heldOut, { augmentSeed: REPORT_AUGMENT_SEED });
  const report = {
    subnet: args.subnet,
    tier: args.tier,
    out,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    epochs,
    seed,
    trainSeconds: Math.round(seconds * 10) / 10,
    heldOut: plain,
    heldOutAugmented: { ...augmented, augmentSeed: REPORT_AUGMENT_SEED },
  };
  io.writeStdout(`${JSON.stringify(report)}\n`);
}
