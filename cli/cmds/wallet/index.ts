/**
 * `tensornet wallet create|list|regen|balance|transfer`: Bittensor-compatible wallets on disk
 * (`<wallet-path>/<wallet>/coldkey`, `hotkeys/<hotkey>`) and the coldkey's TAO. Never prompts: a new
 * coldkey is encrypted with the password in its `BT_PW_…` variable, or plaintext with `--no-password`.
 */
import type { CommandModule } from 'yargs';
import type { CliIo } from '../../io';
import { withSettings } from '../../config';
import { WALLET_SETTINGS, type WalletArgs } from './shared';
import type { WalletCreateArgs, WalletRegenArgs, WalletTransferArgs } from './run';

const PASSWORD_OPTION = {
  password: { type: 'boolean', default: true, description: 'Encrypt the coldkey with the password in its BT_PW_… variable; --no-password writes it in plaintext' },
} as const;

export function walletCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'wallet <command>',
    describe: 'Wallets: coldkeys, hotkeys and TAO',
    builder: (y) =>
      y
        .command<WalletCreateArgs>({
          command: 'create',
          describe: 'Create a coldkey and a hotkey (never overwrites; prints the mnemonics once)',
          builder: (yy) =>
            withSettings(yy, io, WALLET_SETTINGS)
              .options(PASSWORD_OPTION)
              .example('$0 wallet create --wallet alice --hotkey miner1 --no-password', 'a plaintext coldkey (for a localnet) and hotkey miner1')
              .example('BT_PW_<coldkey path>=... $0 wallet create --wallet alice', 'an encrypted coldkey; the error names the variable to set'),
          handler: async (args) => {
            const { walletCreate } = await import('./run');
            io.writeStdout(await walletCreate(args, process.env));
          },
        })
        .command<WalletArgs>({
          command: 'list',
          describe: 'The wallets under --wallet-path, their coldkeys and hotkeys',
          builder: (yy) => withSettings(yy, io, WALLET_SETTINGS).example('$0 wallet list --json', 'every wallet with its ss58 addresses'),
          handler: async (args) => {
            const { walletList } = await import('./run');
            io.writeStdout(await walletList(args, process.env));
          },
        })
        .command<WalletRegenArgs>({
          command: 'regen',
          describe: 'Write a coldkey (default) or, with --key hotkey, a hotkey from its mnemonic',
          builder: (yy) =>
            withSettings(yy, io, WALLET_SETTINGS)
              .options({
                ...PASSWORD_OPTION,
                mnemonic: { type: 'string', demandOption: true, requiresArg: true, description: 'The BIP-39 words, quoted' },
                key: { choices: ['coldkey', 'hotkey'] as const, default: 'coldkey' as const, description: 'Which key to regenerate' },
              })
              .example('$0 wallet regen --wallet alice --mnemonic "word1 … word12" --no-password', "alice's coldkey, plaintext")
              .example('$0 wallet regen --wallet alice --key hotkey --hotkey miner1 --mnemonic "…"', 'hotkey miner1'),
          handler: async (args) => {
            const { walletRegen } = await import('./run');
            io.writeStdout(await walletRegen(args, process.env));
          },
        })
        .command<WalletArgs>({
          command: 'balance',
          describe: "The coldkey's free and staked TAO (no password needed)",
          builder: (yy) => withSettings(yy, io, WALLET_SETTINGS).example('$0 wallet balance --wallet alice --network local', ''),
          handler: async (args) => {
            const { walletBalance } = await import('./run');
            io.writeStdout(await walletBalance(args, process.env));
          },
        })
        .command<WalletTransferArgs>({
          command: 'transfer',
          describe: 'Send TAO from the coldkey (keep-alive: never reaps the sender)',
          builder: (yy) =>
            withSettings(yy, io, WALLET_SETTINGS)
              .options({
                dest: { type: 'string', demandOption: true, requiresArg: true, description: 'The receiving ss58 address' },
                amount: { type: 'string', demandOption: true, requiresArg: true, description: 'TAO, up to 9 decimals' },
              })
              .example('$0 wallet transfer --wallet alice --dest 5F… --amount 1.5', ''),
          handler: async (args) => {
            const { walletTransfer } = await import('./run');
            io.writeStdout(await walletTransfer(args, process.env));
          },
        }),
    handler: () => undefined,
  };
}
