/**
 * Flags of `tensornet weights`, `tensornet root` and `tensornet subnet hyperparameters` (beside the shared
 * settings). Light (no chain client): every `tensornet` command loads it to build the parser.
 */
import type { Options } from 'yargs';

/** The shared settings every command of these groups takes (flags, `TENSORNET_*` variables, config file: `cli/config`). */
export const walletSettings = { keys: ['network', 'wallet', 'hotkey', 'wallet-path', 'json'] } as const;
/** Those of `subnet hyperparameters get` (no key is used). */
export const readSettings = { keys: ['network', 'json'] } as const;

export interface CommonArgs {
  readonly network: string;
  readonly wallet?: string;
  readonly hotkey?: string;
  readonly 'wallet-path'?: string;
  readonly json: boolean;
}

export interface WeightsSetArgs extends CommonArgs {
  readonly netuid: number;
  readonly uids: string;
  readonly weights: string;
  readonly 'version-key'?: string;
}

export interface WeightsCommitArgs extends WeightsSetArgs {
  readonly save?: string;
}

export interface WeightsRevealArgs extends CommonArgs {
  readonly netuid?: number;
  readonly from: string;
  readonly wait: boolean;
}

export const weightsSetOptions = {
  netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet' },
  uids: { type: 'string', demandOption: true, requiresArg: true, description: 'Comma-separated uids, e.g. 1,2,3' },
  weights: { type: 'string', demandOption: true, requiresArg: true, description: 'Comma-separated non-negative weights, one per uid (any scale; processed as the SDK does)' },
  'version-key': { type: 'string', requiresArg: true, description: "The weights version key [default: the subnet's WeightsVersionKey]" },
} as const satisfies Record<string, Options>;

export const weightsCommitOptions = {
  ...weightsSetOptions,
  save: { type: 'string', requiresArg: true, description: 'Also write what the reveal needs to this file (JSON)' },
} as const satisfies Record<string, Options>;

export const weightsRevealOptions = {
  netuid: { type: 'number', requiresArg: true, description: "The subnet (checked against the file's) [default: the file's]" },
  from: { type: 'string', demandOption: true, requiresArg: true, description: 'The file `weights commit --save` wrote' },
  wait: { type: 'boolean', default: false, description: 'Wait (bounded) for the reveal window to open instead of failing with RevealTooEarly' },
} as const satisfies Record<string, Options>;

export interface RootWeightsArgs extends CommonArgs {
  readonly netuids: string;
  readonly weights: string;
}

export const rootWeightsOptions = {
  netuids: { type: 'string', demandOption: true, requiresArg: true, description: 'Comma-separated subnets, e.g. 1,2' },
  weights: { type: 'string', demandOption: true, requiresArg: true, description: 'Comma-separated non-negative weights, one per subnet' },
} as const satisfies Record<string, Options>;

export interface RootRunArgs extends CommonArgs {
  readonly 'validator-api': string;
  readonly 'api-key': string;
  readonly 'interval-blocks'?: number;
}

export const rootRunOptions = {
  'validator-api': { type: 'string', demandOption: true, requiresArg: true, description: 'Base URL of a validator API whose scores and usage measure the subnets, e.g. http://127.0.0.1:8092' },
  'api-key': { type: 'string', demandOption: true, requiresArg: true, description: 'A key of that API (Bearer secret)' },
  'interval-blocks': { type: 'number', requiresArg: true, description: "Blocks between rounds [default: the root network's tempo]" },
} as const satisfies Record<string, Options>;

export interface HyperparametersGetArgs {
  readonly netuid: number;
  readonly network: string;
  readonly json: boolean;
}

export interface HyperparametersSetArgs extends CommonArgs {
  readonly netuid: number;
  readonly name: string;
  readonly value: string;
}

export const hyperparametersGetOptions = {
  netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet' },
} as const satisfies Record<string, Options>;

export const hyperparametersSetOptions = {
  netuid: { type: 'number', demandOption: true, requiresArg: true, description: 'The subnet' },
  name: { type: 'string', demandOption: true, requiresArg: true, description: 'The hyperparameter (SDK name, e.g. weights_rate_limit)' },
  value: { type: 'string', demandOption: true, requiresArg: true, description: 'Its new value: an integer, or true/false for a flag' },
} as const satisfies Record<string, Options>;
