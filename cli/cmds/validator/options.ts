/** `tensornet validator` flags (kept light: every command loads this module to build the parser). */
import type { Options } from 'yargs';
import type { LogLevel } from '../../logging';

export interface ValidatorArgs {
  readonly netuid?: number;
  readonly subnet?: string;
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly network: string;
  readonly 'state-file'?: string;
  readonly 'sample-size': number;
  readonly alpha: number;
  readonly 'step-interval-ms': number;
  readonly 'external-ip'?: string;
  readonly api: boolean;
  readonly 'api-host': string;
  readonly 'api-port': number;
  readonly 'api-keys'?: string;
  readonly 'top-k': number;
  readonly 'log-level': LogLevel;
}

/** `tensornet validator`'s own flags; the config file's `validator` section may set them too (`cli/config`). */
export const validatorOptions = {
  netuid: { type: 'number', requiresArg: true, description: 'The subnet to validate (required)' },
  subnet: { type: 'string', requiresArg: true, description: 'Its mechanism (required): a built-in name (digits, ocr) or the path of a module exporting a defineSubnet value' },
  'state-file': { type: 'string', requiresArg: true, description: 'Where scores and a pending commit persist [default: ~/.tensornet/validators/<wallet>/<hotkey>/netuid<N>/state.json]' },
  'sample-size': { type: 'number', default: 16, description: 'Miners asked per step (all when fewer serve)' },
  alpha: { type: 'number', default: 0.1, description: 'Moving-average weight of a new score, in (0, 1]' },
  'step-interval-ms': { type: 'number', default: 1000, description: 'Pause between steps' },
  'external-ip': { type: 'string', requiresArg: true, description: 'This machine\'s public IP: miners announced at it are reached on loopback' },
  api: { type: 'boolean', default: true, description: 'Serve the validator API for apps (--no-api to turn off)' },
  'api-host': { type: 'string', default: '127.0.0.1', description: 'Interface the API binds (loopback unless told otherwise)' },
  'api-port': { type: 'number', default: 8092, description: 'API port (0 picks a free one)' },
  'api-keys': { type: 'string', requiresArg: true, description: 'The API key file [default: ~/.tensornet/validator/api-keys.json]' },
  'top-k': { type: 'number', default: 3, description: 'Miners an API request may try, best-scored first' },
} as const satisfies Record<string, Options>;

/**
 * The shared settings `tensornet validator` takes (flags, `TENSORNET_*` variables, config file), and its
 * config section: `{"validator": {"api-port": 8092, …}}` sets any of its own flags.
 */
export const validatorSettings = {
  keys: ['network', 'wallet', 'hotkey', 'wallet-path', 'log-level'],
  describe: { hotkey: "Hotkey name in the wallet: the validator's identity" },
  section: { name: 'validator', options: validatorOptions },
} as const;
