/**
 * `tensornet validator`: queries a subnet's miners with its tasks, scores them, and sets weights on chain
 * every tempo (commit then reveal where the subnet uses commit-reveal), with its state persisted.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import type { ValidatorCommandHooks } from './handler';
import { apiKeyCommand } from './api-key';
import { withSettings } from '../../config';
import { validatorSettings, type ValidatorArgs } from './options';

export type { ValidatorCommandHooks } from './handler';
export { validatorOptions, validatorSettings, type ValidatorArgs } from './options';

export function validatorCommand(io: CliIo, hooks: ValidatorCommandHooks = {}): CommandModule<object, ValidatorArgs> {
  return {
    command: 'validator',
    describe: "Validate a subnet: query its miners with the mechanism's tasks, score them, set weights every tempo",
    builder: (y) =>
      withSettings(y.command(apiKeyCommand(io)), io, validatorSettings)
        .example('$0 validator --netuid 1 --subnet digits --wallet owner --hotkey v0', 'validate subnet 1 of the local chain with the digits mechanism; the API on 127.0.0.1:8092')
        .example('$0 validator api-key create my-app', 'a key for an app to call the API with'),
    handler: async (args) => {
      const { validatorHandler } = await import('./handler');
      await validatorHandler(args, io, hooks);
    },
  };
}
