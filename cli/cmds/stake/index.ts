/** `tensornet stake add|remove|list|delegate`: the wallet coldkey's stake on its hotkeys (pre-dTAO: per hotkey, not per subnet). */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { WALLET_SETTINGS, type WalletArgs } from '../wallet/shared';
import type { StakeDelegateArgs, StakeMoveArgs } from './run';

const MOVE_OPTIONS = {
  amount: { type: 'string', demandOption: true, requiresArg: true, description: 'TAO, up to 9 decimals' },
  netuid: { type: 'number', requiresArg: true, description: 'The subnet, for dynamic-TAO runtimes (pre-dTAO runtimes ignore it)' },
} as const;

export function stakeCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'stake <command>',
    describe: "The coldkey's stake on hotkeys",
    builder: (y) =>
      y
        .command<StakeMoveArgs>({
          command: 'add',
          describe: "Stake TAO from the coldkey onto the wallet's hotkey",
          builder: (yy) => withSettings(yy, io, WALLET_SETTINGS).options(MOVE_OPTIONS).example('$0 stake add --wallet alice --hotkey v0 --amount 10', ''),
          handler: async (args) => {
            const { stakeMove } = await import('./run');
            io.writeStdout(await stakeMove('add', args, process.env));
          },
        })
        .command<StakeMoveArgs>({
          command: 'remove',
          describe: "Unstake TAO from the wallet's hotkey back to the coldkey",
          builder: (yy) => withSettings(yy, io, WALLET_SETTINGS).options(MOVE_OPTIONS).example('$0 stake remove --wallet alice --hotkey v0 --amount 2.5', ''),
          handler: async (args) => {
            const { stakeMove } = await import('./run');
            io.writeStdout(await stakeMove('remove', args, process.env));
          },
        })
        .command<StakeDelegateArgs>({
          command: 'delegate',
          describe: "Make the wallet's hotkey a delegate others may stake to (become_delegate; the owner coldkey signs)",
          builder: (yy) =>
            withSettings(yy, io, WALLET_SETTINGS)
              .options({ take: { type: 'number', requiresArg: true, description: "The delegate's take, percent of its nominators' emission (default: the chain's)" } })
              .example('$0 stake delegate --wallet alice --hotkey v0 --take 9', ''),
          handler: async (args) => {
            const { stakeDelegate } = await import('./run');
            io.writeStdout(await stakeDelegate(args, process.env));
          },
        })
        .command<WalletArgs>({
          command: 'list',
          describe: "The coldkey's stake on each of the wallet's hotkeys (or on --hotkey only)",
          builder: (yy) => withSettings(yy, io, WALLET_SETTINGS).example('$0 stake list --wallet alice --json', ''),
          handler: async (args) => {
            const { stakeList } = await import('./run');
            io.writeStdout(await stakeList(args, process.env));
          },
        }),
    handler: () => undefined,
  };
}
