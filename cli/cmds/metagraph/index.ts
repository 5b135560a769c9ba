/**
 * `tensornet metagraph show --netuid N`: a subnet's neurons as the chain holds them — uid, hotkey, stake,
 * rank, trust, consensus, incentive, dividends, vtrust, emission, permit, axon — as a table or `--json`.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { usage } from '../../keys';

export interface MetagraphShowArgs {
  readonly netuid: number;
  readonly network: string;
  readonly json: boolean;
  readonly sort: 'uid' | 'stake' | 'incentive' | 'dividends' | 'emission';
}

const SORTS = ['uid', 'stake', 'incentive', 'dividends', 'emission'] as const;

export function metagraphCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'metagraph <command>',
    describe: "A subnet's neurons as the chain holds them",
    builder: (y) =>
      y.command<MetagraphShowArgs>({
        command: 'show',
        describe: "Show a subnet's metagraph",
        builder: (yy) =>
          withSettings(yy, io, { keys: ['network', 'json'] })
            .options({
              netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet' },
              sort: { choices: SORTS, default: 'uid' as const, description: 'Order of the rows (descending, except uid)' },
            })
            .example('$0 metagraph show --netuid 1 --sort incentive', "subnet 1's neurons, best paid first"),
        handler: async (args) => {
          if (!(Number.isInteger(args.netuid) && args.netuid >= 0 && args.netuid <= 65535)) throw usage(`--netuid must be an integer in [0, 65535] (got ${args.netuid})`);
          const { showMetagraph } = await import('./show');
          io.writeStdout(await showMetagraph(args, process.env));
        },
      }),
    handler: () => undefined,
  };
}
