/**
 * `tensornet subnet <init|create|list|hyperparameters>`: scaffold a mechanism, register it as a subnet on
 * chain, list the known mechanisms beside the chain's subnets, read and set a subnet's hyperparameters. Only the flag tables are loaded with the parser; the
 * subnets (onnxruntime) and the chain client (@polkadot/api) load when a command runs.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { subnetHyperparametersCommand } from './hyperparameters';
import { withSettings } from '../../config';
import { subnetCreateOptions, subnetCreateSettings, subnetInitOptions, subnetListOptions, subnetListSettings, type SubnetCreateArgs, type SubnetInitArgs, type SubnetListArgs } from './options';

export { DEFAULT_LIST_TIMEOUT_S, subnetCreateOptions, subnetCreateSettings, subnetInitOptions, subnetListOptions, subnetListSettings, type SubnetCreateArgs, type SubnetInitArgs, type SubnetListArgs } from './options';

export function subnetInitCommand(io: CliIo): CommandModule<object, SubnetInitArgs> {
  return {
    command: 'init <dir>',
    describe: 'Scaffold a new mechanism in <dir> (new or empty): a working example with its tests',
    builder: (y) =>
      y
        .positional('dir', { type: 'string', demandOption: true, description: 'The folder to write (created when missing; refused when not empty)' })
        .options(subnetInitOptions)
        .example('$0 subnet init ./sorter', 'write the example mechanism "sorter" into ./sorter'),
    handler: async (args) => {
      const { subnetInitHandler } = await import('./init');
      await subnetInitHandler(args, io);
    },
  };
}

export function subnetCreateCommand(io: CliIo): CommandModule<object, SubnetCreateArgs> {
  return {
    command: 'create',
    describe: "Register a subnet for a mechanism (pays the lock), then set its identity and the mechanism's hyperparameters",
    builder: (y) =>
      withSettings(y, io, subnetCreateSettings)
        .options(subnetCreateOptions)
        .example('$0 subnet create --mechanism digits --wallet owner', 'create a digits subnet on the local chain')
        .example('$0 subnet create --mechanism ./sorter --wallet owner --network ws://127.0.0.1:9944 --json', 'create one for a scaffolded mechanism; print the result as JSON'),
    handler: async (args) => {
      const { subnetCreateHandler } = await import('./create');
      await subnetCreateHandler(args, io);
    },
  };
}

export function subnetListCommand(io: CliIo): CommandModule<object, SubnetListArgs> {
  return {
    command: 'list',
    describe: "List the known mechanisms and the chain's subnets side by side",
    builder: (y) =>
      withSettings(y, io, subnetListSettings)
        .options(subnetListOptions)
        .example('$0 subnet list', 'the built-in mechanisms and the local chain\'s subnets')
        .example('$0 subnet list --mechanism ./sorter --json', 'also a scaffolded mechanism; as JSON'),
    handler: async (args) => {
      const { subnetListHandler } = await import('./list');
      await subnetListHandler(args, io);
    },
  };
}

export function subnetCommand(io: CliIo): CommandModule {
  return {
    command: 'subnet',
    describe: 'Scaffold mechanisms (init), register subnets (create), list mechanisms and subnets (list), hyperparameters (get, set)',
    builder: (y) => y.command(subnetInitCommand(io)).command(subnetCreateCommand(io)).command(subnetListCommand(io)).command(subnetHyperparametersCommand(io)).demandCommand(1, 'subnet needs a command (init, create, list, hyperparameters)'),
    handler: () => undefined,
  };
}
