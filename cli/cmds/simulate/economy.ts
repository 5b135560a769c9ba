/**
 * `tensornet simulate economy --config FILE [--out DIR] [--epochs N]`: runs the config's economy on an
 * in-process localnet and writes `economy.csv` and `economy.svg` into DIR.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EconomyConfigError, MAX_EPOCHS, economyCsv, economySvg, parseEconomyConfig, simulateEconomy, type EconomyConfig } from '../../../simulate';
import { CliError } from '../../errors';
import type { CliIo } from '../../io';
import { createProgress } from './progress';

export interface SimulateEconomyArgs {
  readonly config: string;
  /** @default "." */
  readonly out: string;
  readonly epochs?: number;
}

/** Reads and validates the config file; every problem is a `CliError` (exit 2) naming it. */
export function loadEconomyConfig(path: string): EconomyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError('InputUnreadable', `cannot read config ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError('InputUnreadable', `config ${path} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseEconomyConfig(doc);
  } catch (err) {
    if (err instanceof EconomyConfigError) throw new CliError('InputUnreadable', `${path}: ${err.message}`, err.details, { cause: err });
    throw err;
  }
}

export async function simulateEconomyHandler(args: SimulateEconomyArgs, io: CliIo): Promise<void> {
  if (args.epochs !== undefined && (!Number.isInteger(args.epochs) || args.epochs < 1 || args.epochs > MAX_EPOCHS)) {
    throw new CliError('UsageError', `--epochs must be an integer in [1, ${MAX_EPOCHS}] (got ${args.epochs})`);
  }
  const config = loadEconomyConfig(args.config);
  const epochs = args.epochs ?? config.epochs;
  const out = resolve(args.out);
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new CliError('InputUnreadable', `cannot create output directory ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const progress = createProgress(io, epochs);
  let result;
  try {
    result = await simulateEconomy(config, { epochs, onEpoch: (row, total) => progress.update(row.epoch, total) });
  } catch (err) {
    if (err instanceof EconomyConfigError) throw new CliError('InputUnreadable', `${args.config}: ${err.message}`, err.details, { cause: err });
    throw err;
  } finally {
    progress.stop();
  }
  const csvPath = join(out, 'economy.csv');
  const svgPath = join(out, 'economy.svg');
  writeFileSync(csvPath, economyCsv(result));
  writeFileSync(svgPath, economySvg(result));
  const last = result.rows[result.rows.length - 1]!;
  io.writeStdout(`${JSON.stringify({ epochs, blocks: last.block, csv: csvPath, svg: svgPath })}\n`);
}

export function simulateEconomyCommand(io: CliIo): CommandModule<object, SimulateEconomyArgs> {
  return {
    command: 'economy',
    describe: 'Run root and subnet epochs on an in-process localnet for a config of stakes and weights; write economy.csv and economy.svg',
    builder: (y) =>
      y.options({
        config: { type: 'string', demandOption: true, requiresArg: true, alias: 'c', description: 'Economy config (JSON; see simulate/README.md)' },
        out: { type: 'string', default: '.', requiresArg: true, alias: 'o', description: 'Directory for economy.csv and economy.svg' },
        epochs: { type: 'number', requiresArg: true, description: 'Root epochs to run (overrides the config\'s "epochs")' },
      }),
    handler: (args) => simulateEconomyHandler(args, io),
  };
}
