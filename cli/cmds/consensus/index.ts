import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { rootCommand } from './root';
import { yumaCommand } from './yuma';

/** `tensornet consensus <yuma|root>`: run the chain's consensus functions on vector files. */
export function consensusCommand(io: CliIo): CommandModule {
  return {
    command: 'consensus',
    describe: 'Run the consensus engine on a vector file and print the outputs as JSON',
    builder: (y) => y.command(yumaCommand(io)).command(rootCommand(io)).demandCommand(1, 'consensus needs a command: yuma or root'),
    handler: () => undefined,
  };
}
