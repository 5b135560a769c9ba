/**
 * `tensornet subnet <init|create|list>` flags. This module stays light (no @polkadot/api, onnxruntime or
 * subnet code): every `tensornet` command loads it to build the parser.
 */
import type { Options } from 'yargs';

/** `list --timeout`: seconds to wait for the chain before listing the mechanisms alone. */
export const DEFAULT_LIST_TIMEOUT_S = 10;

export interface SubnetInitArgs {
  readonly dir: string;
  readonly name?: string;
}

export interface SubnetCreateArgs {
  readonly mechanism: string;
  readonly wallet?: string;
  readonly 'wallet-path'?: string;
  readonly network: string;
  readonly 'max-lock-cost'?: string;
  readonly 'github-repo': string;
  readonly contact: string;
  readonly json: boolean;
}

export interface SubnetListArgs {
  readonly network: string;
  readonly mechanism?: readonly string[];
  readonly timeout: number;
  readonly json: boolean;
}

/** The shared settings `subnet create` takes (flags, `TENSORNET_*` variables, config file: `cli/config`). */
export const subnetCreateSettings = {
  keys: ['network', 'wallet', 'wallet-path', 'json'],
  describe: { wallet: 'Wallet whose coldkey pays the lock and owns the subnet' },
} as const;

/** The shared settings `subnet list` takes. */
export const subnetListSettings = { keys: ['network', 'json'] } as const;

export const subnetInitOptions = {
  name: { type: 'string', requiresArg: true, description: "The mechanism's name: lowercase letters, digits and dashes [default: the folder's name]" },
} as const satisfies Record<string, Options>;

export const subnetCreateOptions = {
  mechanism: { type: 'string', demandOption: true, requiresArg: true, description: 'A built-in mechanism (digits, ocr) or the path of a JavaScript module (or folder) that exports one' },
  'max-lock-cost': { type: 'string', requiresArg: true, description: 'Refuse to register when the lock cost is above this many TAO (the command never prompts)' },
  'github-repo': { type: 'string', default: '', description: "The identity's GitHub repository (where the runtime has subnet identities)" },
  contact: { type: 'string', default: '', description: "The identity's contact (where the runtime has subnet identities)" },
} as const satisfies Record<string, Options>;

export const subnetListOptions = {
  mechanism: { type: 'string', array: true, requiresArg: true, description: 'Also list the mechanism of this module or folder (repeatable)' },
  timeout: { type: 'number', default: DEFAULT_LIST_TIMEOUT_S, description: 'Seconds to wait for the chain before listing the mechanisms alone' },
} as const satisfies Record<string, Options>;
