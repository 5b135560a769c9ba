/**
 * `tensornet models <what>`: the built-in subnets' reference models. Only the flag table is loaded with
 * the parser; training (and onnxruntime) is loaded when the command runs.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { modelsTrainOptions, MODEL_SUBNETS, type ModelsTrainArgs } from './options';

export { modelsTrainOptions, MODEL_SUBNETS, TIER_CHOICES, type ModelsTrainArgs } from './options';

export function modelsTrainCommand(io: CliIo): CommandModule<object, ModelsTrainArgs> {
  return {
    command: 'train <subnet>',
    describe: "Train a subnet's reference model in TypeScript and write it as ONNX (default: the committed model); prints its held-out accuracy",
    builder: (y) =>
      y
        .positional('subnet', { type: 'string', choices: MODEL_SUBNETS, demandOption: true, description: 'The subnet whose model to train' })
        .options(modelsTrainOptions)
        .example('$0 models train digits --tier mlp', 'retrain the committed subnets/digits/models/digits-mlp.onnx')
        .example('$0 models train digits --tier linear --epochs 1 --out /tmp/linear.onnx', 'a quick run written elsewhere'),
    handler: async (args) => {
      const { modelsTrainHandler } = await import('./train');
      await modelsTrainHandler(args, io);
    },
  };
}

export function modelsCommand(io: CliIo): CommandModule {
  return {
    command: 'models',
    describe: "Train the built-in subnets' reference models (train)",
    builder: (y) => y.command(modelsTrainCommand(io)).demandCommand(1, 'models needs a command (train)'),
    handler: () => undefined,
  };
}
