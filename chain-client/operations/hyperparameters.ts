/**
 * Subnet hyperparameters: read them all (storage, as the SDK's `SubnetHyperparams` names them) and set
 * one through its AdminUtils call (subnet owner directly, or root through Sudo).
 */
import type { ChainClient } from '../connect';
import type { UnsupportedRuntimeError } from '../errors';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { checkNetuid, send, sendSudo, type SubmitOptions } from './common';
import { InvalidParametersError } from './errors';
import { readStorage, storageItem } from '../storage';

/** How a hyperparameter is stored, typed and set. */
interface HyperparameterSpec {
  readonly storage: string;
  readonly kind: 'u16' | 'u64' | 'bool';
  /** The AdminUtils call (metadata name). */
  readonly setter: string;
  /** Who may call the setter: the subnet owner (or root), or root only. */
  readonly origin: 'owner' | 'root';
  /** Absent from older runtimes (the finney runtime of February 2024, spec 143, has no commit-reveal or liquid alpha). */
  readonly optional?: true;
}

/** The hyperparameters (SDK `SubnetHyperparams` names), spec §10. */
export const HYPERPARAMETERS = {
  rho: { storage: 'Rho', kind: 'u16', setter: 'sudo_set_rho', origin: 'owner' },
  kappa: { storage: 'Kappa', kind: 'u16', setter: 'sudo_set_kappa', origin: 'owner' },
  immunity_period: { storage: 'ImmunityPeriod', kind: 'u16', setter: 'sudo_set_immunity_period', origin: 'owner' },
  min_allowed_weights: { storage: 'MinAllowedWeights', kind: 'u16', setter: 'sudo_set_min_allowed_weights', origin: 'owner' },
  max_weights_limit: { storage: 'MaxWeightsLimit', kind: 'u16', setter: 'sudo_set_max_weight_limit', origin: 'owner' },
  tempo: { storage: 'Tempo', kind: 'u16', setter: 'sudo_set_tempo', origin: 'root' },
  min_difficulty: { storage: 'MinDifficulty', kind: 'u64', setter: 'sudo_set_min_difficulty', origin: 'owner' },
  max_difficulty: { storage: 'MaxDifficulty', kind: 'u64', setter: 'sudo_set_max_difficulty', origin: 'owner' },
  weights_version: { storage: 'WeightsVersionKey', kind: 'u64', setter: 'sudo_set_weights_version_key', origin: 'owner' },
  weights_rate_limit: { storage: 'WeightsSetRateLimit', kind: 'u64', setter: 'sudo_set_weights_set_rate_limit', origin: 'owner' },
  adjustment_interval: { storage: 'AdjustmentInterval', kind: 'u16', setter: 'sudo_set_adjustment_interval', origin: 'root' },
  activity_cutoff: { storage: 'ActivityCutoff', kind: 'u16', setter: 'sudo_set_activity_cutoff', origin: 'owner' },
  registration_allowed: { storage: 'NetworkRegistrationAllowed', kind: 'bool', setter: 'sudo_set_network_registration_allowed', origin: 'owner' },
  target_regs_per_interval: { storage: 'TargetRegistrationsPerInterval', kind: 'u16', setter: 'sudo_set_target_registrations_per_interval', origin: 'root' },
  min_burn: { storage: 'MinBurn', kind: 'u64', setter: 'sudo_set_min_burn', origin: 'owner' },
  max_burn: { storage: 'MaxBurn', kind: 'u64', setter: 'sudo_set_max_burn', origin: 'owner' },
  bonds_moving_avg: { storage: 'BondsMovingAverage', kind: 'u64', setter: 'sudo_set_bonds_moving_average', origin: 'owner' },
  max_regs_per_block: { storage: 'MaxRegistrationsPerBlock', kind: 'u16', setter: 'sudo_set_max_registrations_per_block', origin: 'root' },
  serving_rate_limit: { storage: 'ServingRateLimit', kind: 'u64', setter: 'sudo_set_serving_rate_limit', origin: 'owner' },
  max_validators: { storage: 'MaxAllowedValidators', kind: 'u16', setter: 'sudo_set_max_allowed_validators', origin: 'root' },
  adjustment_alpha: { storage: 'AdjustmentAlpha', kind: 'u64', setter: 'sudo_set_adjustment_alpha', origin: 'owner' },
  difficulty: { storage: 'Difficulty', kind: 'u64', setter: 'sudo_set_difficulty', origin: 'owner' },
  commit_reveal_weights_interval: { storage: 'RevealPeriodEpochs', kind: 'u64', setter: 'sudo_set_commit_reveal_weights_interval', origin: 'owner', optional: true },
  commit_reveal_weights_enabled: { storage: 'CommitRevealWeightsEnabled', kind: 'bool', setter: 'sudo_set_commit_reveal_weights_enabled', origin: 'owner', optional: true },
  liquid_alpha_enabled: { storage: 'LiquidAlphaOn', kind: 'bool', setter: 'sudo_set_liquid_alpha_enabled', origin: 'owner', optional: true },
  max_allowed_uids: { storage: 'MaxAllowedUids', kind: 'u16', setter: 'sudo_set_max_allowed_uids', origin: 'root' },
} as const satisfies Record<string, HyperparameterSpec>;

/** A hyperparameter name. */
export type HyperparameterName = keyof typeof HYPERPARAMETERS;

type ValueOf<K extends HyperparameterSpec['kind']> = K extends 'u64' ? bigint : K extends 'u16' ? number : boolean;
type OptionalName = { [N in HyperparameterName]: (typeof HYPERPARAMETERS)[N] extends { optional: true } ? N : never }[HyperparameterName];
type RequiredName = Exclude<HyperparameterName, OptionalName>;

/**
 * Every hyperparameter of a subnet: u16 as number, u64 as bigint, flags as boolean. The optional ones
 * are absent where the runtime has no such storage item.
 */
export type Hyperparameters = { -readonly [N in RequiredName]: ValueOf<(typeof HYPERPARAMETERS)[N]['kind']> } & {
  -readonly [N in OptionalName]?: ValueOf<(typeof HYPERPARAMETERS)[N]['kind']>;
};

/** A value {@link setHyperparameter} takes for `N`. */
export type HyperparameterValue<N extends HyperparameterName> = ValueOf<(typeof HYPERPARAMETERS)[N]['kind']>;

/** Errors of {@link getHyperparameters}. */
export type GetHyperparametersErrorType = UnsupportedRuntimeError | InvalidParametersError;

/**
 * Reads every hyperparameter of `netuid` the runtime has, at one block, in one `state_queryStorageAt`.
 * @throws UnsupportedRuntimeError when the runtime lacks a hyperparameter every supported runtime has
 * @example const { tempo, weights_rate_limit } = await getHyperparameters(client, { netuid: 1 });
 */
export async function getHyperparameters(client: ChainClient, params: { readonly netuid: number }): Promise<Hyperparameters> {
  const netuid = checkNetuid(params.netuid);
  const runtime = client.runtime;
  const names = (Object.keys(HYPERPARAMETERS) as HyperparameterName[]).filter((name) => {
    const spec: HyperparameterSpec = HYPERPARAMETERS[name];
    return !spec.optional || runtime.hasStorage('SubtensorModule', spec.storage);
  });
  const items = names.map((name) => storageItem(client, 'SubtensorModule', HYPERPARAMETERS[name].storage));
  const keys = items.map((item) => item.key(netuid));
  const head = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
  const { values } = await readStorage(client, keys, head.hash.toHex());
  const out: Record<string, number | bigint | boolean> = {};
  names.forEach((name, i) => {
    const kind: HyperparameterSpec['kind'] = HYPERPARAMETERS[name].kind;
    const raw = items[i]!.decode(values.get(keys[i]!) ?? null)!;
    out[name] = kind === 'bool' ? raw.toJSON() === true : kind === 'u64' ? BigInt(raw.toString()) : Number(raw.toString());
  });
  return out as Hyperparameters;
}

/** Parameters of {@link setHyperparameter}. */
export interface SetHyperparameterParameters<N extends HyperparameterName = HyperparameterName> extends SubmitOptions {
  /** The subnet owner's coldkey, or the sudo key (root-only hyperparameters, or `sudo: true`). */
  readonly signer: Signer;
  readonly netuid: number;
  readonly name: N;
  readonly value: HyperparameterValue<N>;
  /** Wrap the call in `Sudo.sudo`. @default true for root-only hyperparameters */
  readonly sudo?: boolean;
}

/** Errors of {@link setHyperparameter}. */
export type SetHyperparameterErrorType = SubmitErrorType | UnsupportedRuntimeError;

/**
 * Sets one hyperparameter through its AdminUtils call: signed by the subnet owner, or wrapped in
 * `Sudo.sudo` for root-only ones. A refused call (e.g. `BadOrigin` for a non-owner) is a `DispatchFailedError`.
 * @example await setHyperparameter(client, { signer: owner, netuid: 1, name: 'weights_rate_limit', value: 0n });
 */
export async function setHyperparameter<N extends HyperparameterName>(client: ChainClient, params: SetHyperparameterParameters<N>): Promise<SubmitResult> {
  const netuid = checkNetuid(params.netuid);
  const spec: HyperparameterSpec | undefined = (HYPERPARAMETERS as Record<string, HyperparameterSpec>)[params.name];
  if (!spec) throw new InvalidParametersError(`unknown hyperparameter: ${String(params.name)}`, { name: params.name });
  const value = params.value as number | bigint | boolean;
  const valid =
    spec.kind === 'bool' ? typeof value === 'boolean' : spec.kind === 'u16' ? typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535 : typeof value === 'bigint' && value >= 0n && value < 1n << 64n;
  if (!valid) throw new InvalidParametersError(`${String(params.name)} takes a ${spec.kind}`, { name: params.name, value: String(value) });
  client.runtime.requireCall('AdminUtils', spec.setter);
  const method = spec.setter.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const fn = (client.api.tx as unknown as Record<string, Record<string, (...args: unknown[]) => ReturnType<typeof client.api.tx.system.remark>>>)['adminUtils']![method]!;
  const call = fn(netuid, value);
  const viaSudo = params.sudo ?? spec.origin === 'root';
  return viaSudo ? sendSudo(client, call, params.signer, params, { netuid }) : send(client, call, params.signer, params, { netuid });
}
