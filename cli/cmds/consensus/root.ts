import type { CommandModule } from 'yargs';
import { ConsensusError, encodeRootOutput, parseRootVectorFile, rootEpoch, toJsonText, VectorFormatError, type ConsensusErrorCode, type RootOutputJson } from '../../../consensus';
import type { CliIo } from '../../io';
import { readVectorDocument } from './input';
import { consensusOptions } from './options';
import type { ConsensusArgs } from './options';

/** Root epochs that end without writing emission values; the chain skips them, and so do we. */
const ABORT_CODES = new Set<ConsensusErrorCode>(['NoRootValidators', 'NoNetworks', 'ZeroRootStake']);
export type RootAbortCode = 'NoRootValidators' | 'NoNetworks' | 'ZeroRootStake';

/** One root epoch's result: its outputs, or `outputs: null` and the abort code when the epoch aborted. */
export type RootEpochResult = { outputs: RootOutputJson } | { outputs: null; skipped: RootAbortCode };

/** What `tensornet consensus root` prints: one entry per input epoch, in order. */
export interface RootCommandResult {
  epochs: RootEpochResult[];
}

function isAbortCode(code: ConsensusErrorCode): code is RootAbortCode {
  return ABORT_CODES.has(code);
}

export async function rootHandler(args: ConsensusArgs, io: CliIo): Promise<void> {
  const inputs = parseRootVectorFile(await readVectorDocument(args.input, 'root', io));
  const result: RootCommandResult = {
    epochs: inputs.map((input, e): RootEpochResult => {
      try {
        return { outputs: encodeRootOutput(rootEpoch(input)) };
      } catch (err) {
        if (err instanceof ConsensusError && isAbortCode(err.code)) return { outputs: null, skipped: err.code };
        if (err instanceof ConsensusError) throw new VectorFormatError(['epochs', e, 'inputs'], err.message, { cause: err });
        throw err;
      }
    }),
  };
  io.writeStdout(`${toJsonText(result, { pretty: args.pretty })}\n`);
}

export function rootCommand(io: CliIo): CommandModule<object, ConsensusArgs> {
  return {
    command: 'root',
    describe: 'Run the root-network epoch (emission per subnet) on every epoch of a kind:"root" vector file',
    builder: (y) => y.options(consensusOptions),
    handler: (args) => rootHandler(args, io),
  };
}
