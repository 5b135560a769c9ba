/**
 * `tensornet config show`: the shared settings as a command would resolve them (flag > `TENSORNET_*`
 * variable > config file > default), each with where its value came from, and which config file applies.
 */
import type { CommandModule } from 'yargs';
import { CONFIG_ENV, CONFIG_FILE_OPTION, CONFIG_SECTIONS, envName, resolveSettings, SETTING_KEYS, settingField, settingOptions, type SettingKey } from '../../config';
import type { CliIo } from '../../io';

export interface ConfigShowArgs {
  readonly 'config-file'?: string;
  readonly network?: string;
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly json?: boolean;
  readonly 'log-level'?: string;
}

const EPILOGUE = [
  'Every command that takes one of these settings reads it from, first to last:',
  '  its flag; its variable TENSORNET_<FLAG> (upper snake case, e.g. TENSORNET_WALLET_PATH); the config file',
  '  (the command\'s section, then the top level); its default.',
  `The config file is --config-file, else $${CONFIG_ENV}, else ~/.tensornet/config.json (which may be absent).`,
  'It is one JSON object whose keys are the flags\' names; unknown keys and bad values are errors (exit 2).',
  `Sections (${CONFIG_SECTIONS.join(', ')}) hold that command's own flags and may override the shared settings:`,
  '  {"network": "test", "wallet": "alice", "miner": {"hotkey": "m1", "port": 8091, "external-ip": "203.0.113.7"}}',
].join('\n');

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd()).join('\n');
}

export function configCommand(io: CliIo): CommandModule<object, object> {
  return {
    command: 'config <command>',
    describe: 'The shared settings: flags, TENSORNET_* variables and the config file',
    builder: (y) =>
      y
        .command<ConfigShowArgs>({
          command: 'show',
          describe: 'Show each shared setting, its value and where it came from',
          builder: (yy) =>
            yy
              .options({ ...settingOptions(SETTING_KEYS), ...CONFIG_FILE_OPTION })
              .example('$0 config show', 'the settings every command starts from')
              .example('TENSORNET_NETWORK=test $0 config show --wallet alice --json', 'as JSON, with a variable and a flag')
              .epilogue(EPILOGUE),
          handler: (args) => {
            const env = io.env ?? process.env;
            const resolved = resolveSettings({ keys: SETTING_KEYS, flags: args as Readonly<Record<string, unknown>>, env });
            const { configFile } = resolved;
            if (resolved.settings.json === true) {
              const settings = Object.fromEntries(SETTING_KEYS.map((key) => [key, { value: resolved.settings[key] ?? null, source: resolved.sources[key]!.label, env: envName(key) }]));
              io.writeStdout(`${JSON.stringify({ configFile: { path: configFile.path, origin: configFile.origin, found: configFile.found }, settings })}\n`);
              return;
            }
            const origin = configFile.origin === 'flag' ? '--config-file' : configFile.origin === 'env' ? CONFIG_ENV : 'default path';
            const rows = SETTING_KEYS.map((key: SettingKey) => {
              const value = resolved.settings[key];
              const unset = settingField(key).defaultText;
              return [key, value === undefined ? `(${unset ?? 'unset'})` : String(value), resolved.sources[key]!.label, envName(key)];
            });
            io.writeStdout(`config file: ${configFile.shown} (${origin}; ${configFile.found ? 'read' : 'not found'})\n${table([['SETTING', 'VALUE', 'FROM', 'VARIABLE'], ...rows])}\n`);
          },
        })
        .demandCommand(1, 'config needs a command (show)'),
    handler: () => undefined,
  };
}
