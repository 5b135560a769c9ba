/** `tensornet simulate <what>`: offline simulations on the real localnet runtime. */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { simulateEconomyCommand } from './economy';

export function simulateCommand(io: CliIo): CommandModule {
  return {
    command: 'simulate',
    describe: 'Offline simulations on an in-process localnet (economy)',
    builder: (y) => y.command(simulateEconomyCommand(io)).demandCommand(1, 'simulate needs a command (economy)'),
    handler: () => undefined,
  };
}
