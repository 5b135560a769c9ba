import type { CommandModule } from 'yargs';
import { ConsensusError, encodeYumaOutput, parseYumaVectorFile, toJsonText, VectorFormatError, yumaEpoch, type YumaOutputJson } from '../../../consensus';
import type { CliIo } from '../../io';
import { readVectorDocument } from './input';
import { consensusOptions } from './options';
import type { ConsensusArgs } from './options';

/** What `tensornet consensus yuma` prints: one entry per input epoch, in order. */
export interface YumaCommandResult {
  epochs: Array<{ outputs: YumaOutputJson }>;
}

export async function yumaHandler(args: ConsensusArgs, io: CliIo): Promise<void> {
  const inputs = parseYumaVectorFile(await readVectorDocument(args.input, 'yuma', io));
  const result: YumaCommandResult = {
    epochs: inputs.map((input, e) => {
      try {
        return { outputs: encodeYumaOutput(yumaEpoch(input)) };
      } catch (err) {
        // The parser validated the input; a ConsensusError here still means the input, not a bug.
        if (err instanceof ConsensusError) throw new VectorFormatError(['epochs', e, 'inputs'], err.message, { cause: err });
        throw err;
      }
    }),
  };
  io.writeStdout(`${toJsonText(result, { pretty: args.pretty })}\n`);
}

export function yumaCommand(io: CliIo): CommandModule<object, ConsensusArgs> {
  return {
    command: 'yuma',
    describe: 'Run the Yuma epoch on every epoch of a kind:"yuma" vector file',
    builder: (y) => y.options(consensusOptions),
    handler: (args) => yumaHandler(args, io),
  };
}
