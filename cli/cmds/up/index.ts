/**
 * `tensornet up` (`npm start`): the whole network on 127.0.0.1 in one command — localnet, the subnets with
 * real models, miners of every tier and a copier, validators, the root network, the validator API — then an
 * epoch table every epoch, until Ctrl+C (a second one forces the exit).
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';

export interface UpArgs {
  readonly config?: string;
  readonly port: number;
  readonly 'api-port': number;
}

export interface UpHooks {
  /** Aborting it stops the network as the first SIGINT would. */
  readonly signal?: AbortSignal;
}

export function upCommand(io: CliIo, hooks: UpHooks = {}): CommandModule<object, UpArgs> {
  return {
    command: 'up',
    describe: 'Start a whole local network: chain, subnets with real models, miners, validators, root network and the validator API',
    builder: (y) =>
      y
        .options({
          config: { type: 'string', requiresArg: true, description: 'A JSON file describing the network (subnets, validators\' stakes, tiers, timing); see cli/cmds/up/README.md' },
          port: { type: 'number', default: 9944, description: 'localnet\'s JSON-RPC port (0 picks a free one)' },
          'api-port': { type: 'number', default: 8092, description: 'The validator API\'s port (0 picks a free one)' },
        })
        .example('$0 up', 'digits and ocr, 3 validators each, every tier plus a copier; Ctrl+C stops it'),
    handler: async (args) => {
      const { upHandler } = await import('./handler');
      await upHandler(args, io, hooks);
    },
  };
}
