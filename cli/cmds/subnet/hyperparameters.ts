/**
 * `tensornet subnet hyperparameters <get|set>`: read a subnet's hyperparameters, set one. Only the flag
 * tables load with the parser; the chain client loads when a command runs.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { hyperparametersGetOptions, hyperparametersSetOptions, readSettings, walletSettings, type HyperparametersGetArgs, type HyperparametersSetArgs } from '../weights/options';

export function subnetHyperparametersCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'hyperparameters <command>',
    describe: "Read a subnet's hyperparameters (get) or set one (set)",
    builder: (y) =>
      y
        .command<HyperparametersGetArgs>({
          command: 'get',
          describe: "Every hyperparameter of a subnet, with its type and who may set it",
          builder: (yy) => withSettings(yy, io, readSettings).options(hyperparametersGetOptions).example('$0 subnet hyperparameters get --netuid 1', "subnet 1's hyperparameters as a table"),
          handler: async (args) => {
            const { hyperparametersGet } = await import('./hyperparameters-run');
            await hyperparametersGet(args, io);
          },
        })
        .command<HyperparametersSetArgs>({
          command: 'set',
          describe: "Set one hyperparameter (the owner's coldkey signs; root-only ones need the sudo key)",
          builder: (yy) =>
            withSettings(yy, io, walletSettings)
              .options(hyperparametersSetOptions)
              .example('$0 subnet hyperparameters set --netuid 1 --name weights_rate_limit --value 0 --wallet owner', 'let validators set weights every block')
              .example('$0 subnet hyperparameters set --netuid 1 --name commit_reveal_weights_enabled --value true --wallet owner', 'switch subnet 1 to commit-reveal'),
          handler: async (args) => {
            const { hyperparametersSet } = await import('./hyperparameters-run');
            await hyperparametersSet(args, io);
          },
        })
        .demandCommand(1, 'subnet hyperparameters needs a command (get, set)'),
    handler: () => undefined,
  };
}
