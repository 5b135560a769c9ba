/**
 * `tensornet weights <set|commit|reveal>`: a validator hotkey's weights on a subnet, set directly or by
 * legacy commit-reveal. Only the flag tables load with the parser; the chain client loads when a command runs.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { walletSettings, weightsCommitOptions, weightsRevealOptions, weightsSetOptions, type WeightsCommitArgs, type WeightsRevealArgs, type WeightsSetArgs } from './options';

export function weightsCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'weights <command>',
    describe: "Set a validator hotkey's weights (directly, or by commit and reveal)",
    builder: (y) =>
      y
        .command<WeightsSetArgs>({
          command: 'set',
          describe: 'Set weights (the hotkey signs; processed as the SDK does)',
          builder: (yy) => withSettings(yy, io, walletSettings).options(weightsSetOptions).example('$0 weights set --netuid 1 --uids 1,2,3 --weights 0.2,0.3,0.5 --wallet validator --hotkey default', 'weight three miners of subnet 1'),
          handler: async (args) => {
            const { weightsSet } = await import('./run');
            await weightsSet(args, io);
          },
        })
        .command<WeightsCommitArgs>({
          command: 'commit',
          describe: 'Commit the hash of weights (subnets with commit-reveal); prints what the reveal needs',
          builder: (yy) => withSettings(yy, io, walletSettings).options(weightsCommitOptions).example('$0 weights commit --netuid 1 --uids 1,2 --weights 1,3 --wallet validator --save commit.json', 'commit, keeping the salt for the reveal'),
          handler: async (args) => {
            const { weightsCommit } = await import('./run');
            await weightsCommit(args, io);
          },
        })
        .command<WeightsRevealArgs>({
          command: 'reveal',
          describe: 'Reveal weights committed with `weights commit --save`',
          builder: (yy) => withSettings(yy, io, walletSettings).options(weightsRevealOptions).example('$0 weights reveal --netuid 1 --from commit.json --wallet validator --wait', 'reveal once the window opens'),
          handler: async (args) => {
            const { weightsReveal } = await import('./run');
            await weightsReveal(args, io);
          },
        })
        .demandCommand(1, 'weights needs a command (set, commit, reveal)'),
    handler: () => undefined,
  };
}
