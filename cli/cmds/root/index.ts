/**
 * `tensornet root <register|weights|run>`: the root network (netuid 0), whose members' weights over subnets
 * decide each subnet's share of emission. Only the flag tables load with the parser.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { rootRunOptions, rootWeightsOptions, walletSettings, type CommonArgs, type RootRunArgs, type RootWeightsArgs } from '../weights/options';

export function rootCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'root <command>',
    describe: 'The root network: take a seat (register), weight the subnets (weights), run a root validator (run)',
    builder: (y) =>
      y
        .command<CommonArgs>({
          command: 'register',
          describe: "Register the wallet's hotkey on the root network (the coldkey signs)",
          builder: (yy) => withSettings(yy, io, walletSettings).example('$0 root register --wallet validator --hotkey default', 'take a root seat'),
          handler: async (args) => {
            const { rootRegisterCmd } = await import('./run');
            await rootRegisterCmd(args, io);
          },
        })
        .command<RootWeightsArgs>({
          command: 'weights',
          describe: "Set the hotkey's root weights over subnets (the coldkey signs set_root_weights)",
          builder: (yy) => withSettings(yy, io, walletSettings).options(rootWeightsOptions).example('$0 root weights --netuids 1,2 --weights 0.7,0.3 --wallet validator', '70 % of this member\'s say to subnet 1, 30 % to subnet 2'),
          handler: async (args) => {
            const { rootWeightsCmd } = await import('./run');
            await rootWeightsCmd(args, io);
          },
        })
        .command<RootRunArgs>({
          command: 'run',
          describe: "Run a root validator until Ctrl+C: each root tempo, weight the subnets from a validator API's scores and usage and set the hotkey's root weights",
          builder: (yy) =>
            withSettings(yy, io, walletSettings)
              .options(rootRunOptions)
              .example('$0 root run --wallet validator --validator-api http://127.0.0.1:8092 --api-key tn_…', 'set root weights every root tempo'),
          handler: async (args) => {
            const { rootRunCmd } = await import('./run');
            await rootRunCmd(args, io);
          },
        })
        .demandCommand(1, 'root needs a command (register, weights, run)'),
    handler: () => undefined,
  };
}
