/** `tensornet neuron register --netuid N`: burned registration of the wallet's hotkey, with a `--max-cost` guard (it never prompts). */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { usage } from '../../keys';
import { withSettings } from '../../config';
import { WALLET_SETTINGS } from '../wallet/shared';
import type { NeuronRegisterArgs } from './register';

export function neuronCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'neuron <command>',
    describe: "A hotkey's place on a subnet",
    builder: (y) =>
      y.command<NeuronRegisterArgs>({
        command: 'register',
        describe: "Register the wallet's hotkey on a subnet, paying the burn from the coldkey",
        builder: (yy) =>
          withSettings(yy, io, WALLET_SETTINGS)
            .options({
              netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet' },
              'max-cost': { type: 'string', requiresArg: true, description: 'Refuse when the burn is above this many TAO (nothing is spent)' },
            })
            .example('$0 neuron register --netuid 1 --wallet alice --hotkey miner1 --max-cost 1', 'register miner1 if the burn is at most 1 τ'),
        handler: async (args) => {
          if (!(Number.isInteger(args.netuid) && args.netuid >= 0 && args.netuid <= 65535)) throw usage(`--netuid must be an integer in [0, 65535] (got ${args.netuid})`);
          const { neuronRegister } = await import('./register');
          io.writeStdout(await neuronRegister(args, process.env, (line) => io.writeStderr(line)));
        },
      }),
    handler: () => undefined,
  };
}
