/**
 * The settings every `tensornet` command shares, as one zod schema: it checks a value wherever it comes
 * from (flag, `TENSORNET_*` variable, config file), and the yargs flags, the variables' names, the config
 * file's keys and the `--help` lines are all derived from it (`./options.ts`, `./resolve.ts`).
 *
 * Light on purpose (zod only): every command loads it to build the parser.
 */
import { z } from 'zod';
import { LOG_LEVELS } from '../logging';

/** The named networks `--network` accepts (chain-client's `NETWORK_ENDPOINTS`; kept equal by tests/cli/config.test.ts). */
export const NETWORK_NAMES = ['local', 'test', 'finney', 'archive'] as const;

/** The URL without user:password, for messages (chain-client's `redactUrl`). */
function redact(text: string): string {
  return text.replace(/\/\/[^/@]*@/, '//***@');
}

/** Why `text` is not a network (`local`, `test`, `finney`, `archive` or a ws(s):// URL), or null when it is one. */
export function networkProblem(text: string): string | null {
  if ((NETWORK_NAMES as readonly string[]).includes(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `expected ${NETWORK_NAMES.join(', ')} or a ws(s):// URL (got "${redact(text)}")`;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return `"${redact(text)}" must use ws:// or wss://`;
  return null;
}

const networkSchema = z.string({ error: 'expected a network name or a ws(s):// URL' }).superRefine((value, ctx) => {
  const problem = networkProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** A non-empty string (a wallet or hotkey name, a folder). */
const textSchema = z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' });

/**
 * The shared settings. Keys are the flag names (and the config file's keys); each has a description
 * (`--help`) and, where the setting has no value of its own when unset, a `defaultText` saying what then
 * applies (the wallet's `BT_WALLET_*` defaults, as the reference SDK).
 */
export const settingsSchema = z
  .object({
    network: networkSchema.default('local').meta({ description: 'The chain: local, test, finney, archive or a ws(s):// URL' }),
    wallet: textSchema.optional().meta({ description: 'Wallet name', defaultText: '$BT_WALLET_NAME or "default"' }),
    hotkey: textSchema.optional().meta({ description: 'Hotkey name in the wallet', defaultText: '$BT_WALLET_HOTKEY or "default"' }),
    'wallet-path': textSchema.optional().meta({ description: 'Wallets folder', defaultText: '$BT_WALLET_PATH or ~/.bittensor/wallets' }),
    json: z.boolean({ error: 'expected true or false' }).default(false).meta({ description: 'Print one JSON object on stdout instead of text' }),
    'log-level': z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info').meta({ description: 'JSON log lines on stderr, one child logger per component' }),
  })
  .strict();

export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(settingsSchema.shape) as readonly SettingKey[];

/** Whether `key` names a shared setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(settingsSchema.shape, key);
}

/** The environment variable of a setting: `TENSORNET_` and the flag in upper snake case (`wallet-path` → `TENSORNET_WALLET_PATH`). */
export function envName(key: string): string {
  return `TENSORNET_${key.toUpperCase().replace(/-/g, '_')}`;
}

/** The variable naming the config file (the `--config-file` flag wins over it). */
export const CONFIG_ENV = 'TENSORNET_CONFIG';

/** Each setting's value when nothing sets it (absent: the setting stays unset and the library's default applies). */
export const SETTING_DEFAULTS: Readonly<Partial<Settings>> = Object.freeze(settingsSchema.parse({}));

/** A setting's field schema, description and "default" text for `--help`. */
export function settingField(key: SettingKey): { readonly schema: z.ZodType; readonly description: string; readonly defaultText: string | undefined } {
  const schema = settingsSchema.shape[key];
  const meta = schema.meta() ?? {};
  const description = typeof meta.description === 'string' ? meta.description : key;
  const fallback = SETTING_DEFAULTS[key];
  const defaultText = typeof meta['defaultText'] === 'string' ? meta['defaultText'] : fallback === undefined ? undefined : String(fallback);
  return { schema, description, defaultText };
}
