import yargs from 'yargs';
import type { Argv } from 'yargs';
import { consensusCommand } from './cmds/consensus';
import { localnetCommand } from './cmds/localnet';
import { minerCommand } from './cmds/miner';
import { metagraphCommand } from './cmds/metagraph';
import { upCommand } from './cmds/up';
import { validatorCommand } from './cmds/validator';
import { modelsCommand } from './cmds/models';
import { simulateCommand } from './cmds/simulate';
import { subnetCommand } from './cmds/subnet';
import { rootCommand } from './cmds/root';
import { weightsCommand } from './cmds/weights';
import { neuronCommand } from './cmds/neuron';
import { stakeCommand } from './cmds/stake';
import { walletCommand } from './cmds/wallet';
import { configCommand } from './cmds/config';
import { repeatedFlagsMiddleware } from './config';
import { CliError, describeCliError, ExitCode } from './errors';
import { processIo } from './io';
import type { CliIo } from './io';

/**
 * The `tensornet` command line, unparsed. Tests drive it with `runCli` (or `getCli(io).parseAsync`);
 * failures throw instead of exiting: a yargs usage failure becomes a `CliError` `UsageError`.
 */
export function getCli(io: CliIo = processIo): Argv {
  return yargs()
    .scriptName('tensornet')
    .usage('$0 <command> [options]')
    .command(consensusCommand(io))
    .command(localnetCommand(io))
    .command(minerCommand(io))
    .command(validatorCommand(io))
    .command(upCommand(io))
    .command(metagraphCommand(io))
    .command(modelsCommand(io))
    .command(simulateCommand(io))
    .command(subnetCommand(io))
    .command(weightsCommand(io))
    .command(rootCommand(io))
    .command(walletCommand(io))
    .command(neuronCommand(io))
    .command(stakeCommand(io))
    .command(configCommand(io))
    // A scalar flag given twice is a usage error, for every command (array flags stay repeatable).
    .middleware(repeatedFlagsMiddleware, true)
    .demandCommand(1, 'tensornet needs a command')
    .strict()
    .strictCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(null)
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((msg: string | null | undefined, err: Error | null | undefined) => {
      // A handler's own error keeps its type (the exit status is decided from it); yargs' validation
      // failures come with a message and no error, or with a `YError`.
      if (err instanceof Error && err.name !== 'YError') throw err;
      throw new CliError('UsageError', `${msg ?? err?.message ?? 'invalid usage'} (see tensornet --help)`, {}, { cause: err ?? undefined });
    });
}

/** Runs `tensornet` with `argv` (no node/script prefix); resolves to the exit status instead of exiting. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  try {
    await getCli(io).parseAsync([...argv]);
    return ExitCode.Ok;
  } catch (err) {
    const { line, exitCode } = describeCliError(err);
    io.writeStderr(`${line}\n`);
    return exitCode;
  }
}
