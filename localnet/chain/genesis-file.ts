/**
 * A genesis file pre-creates balances, subnets, their hyperparameters, registered neurons and stake,
 * so a local network starts in the state a scenario needs. Accounts are SS58 addresses, 0x account
 * ids, or dev URIs (`//Alice`, `//Alice//hot1`, sr25519).
 *
 * ```json
 * { "balances": [["//Alice", "1000000000000000"]],
 *   "subnets": [{ "netuid": 1, "owner": "//Alice", "tempo": 10,
 *                 "hyperparameters": { "MaxAllowedValidators": 8, "WeightsSetRateLimit": 0 },
 *                 "neurons": [{ "hotkey": "//Alice//v0", "coldkey": "//Alice", "stake": "1000000000000" }] }] }
 * ```
 */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { z } from 'zod';
import { TensornetError } from '../../common/errors';
import type { Runtime } from '../runtime';
import { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork } from '../runtime/pallets/subtensor/common';
import { st } from '../runtime/pallets/subtensor/items';
import type { AccountId } from '../runtime/primitives';
import type { StateOverlay } from '../state/overlay';
import type { GenesisConfig } from './genesis';

export class GenesisFileError extends TensornetError<'InvalidGenesisFile'> {}

/** Per-subnet hyperparameters a genesis file may set (storage names, spec §10). */
export const GENESIS_HYPERPARAMETERS = [
  'Rho', 'Kappa', 'ImmunityPeriod', 'MinAllowedWeights', 'MaxWeightsLimit', 'MinDifficulty', 'MaxDifficulty',
  'WeightsVersionKey', 'WeightsSetRateLimit', 'AdjustmentInterval', 'ActivityCutoff', 'NetworkRegistrationAllowed',
  'TargetRegistrationsPerInterval', 'MinBurn', 'MaxBurn', 'BondsMovingAverage', 'MaxRegistrationsPerBlock',
  'ServingRateLimit', 'MaxAllowedValidators', 'AdjustmentAlpha', 'Difficulty', 'RevealPeriodEpochs',
  'CommitRevealWeightsEnabled', 'LiquidAlphaOn', 'MaxAllowedUids', 'Burn', 'NetworkPowRegistrationAllowed',
  'NetworkMaxStake', 'EmissionValues',
] as const;

const u64 = z.union([z.string().regex(/^\d+$/, 'a decimal integer string'), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)]).transform((v) => BigInt(v));
const account = z.string().min(1);
const scalar = z.union([z.number(), z.string(), z.boolean()]);

const schema = z
  .object({
    balances: z.array(z.tuple([account, u64])).optional(),
    sudo: account.optional(),
    subnets: z
      .array(
        z
          .object({
            netuid: z.number().int().min(1).max(65535),
            owner: account,
            tempo: z.number().int().min(0).max(65535).default(360),
            hyperparameters: z.partialRecord(z.enum(GENESIS_HYPERPARAMETERS), scalar).default({}),
            neurons: z.array(z.object({ hotkey: account, coldkey: account, stake: u64.default(0n) }).strict()).default([]),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type GenesisFile = z.infer<typeof schema>;

/** An account string of a genesis file as a 0x account id. Requires `cryptoWaitReady()` for dev URIs. */
export function resolveAccount(text: string): AccountId {
  if (text.startsWith('//')) return u8aToHex(new Keyring({ type: 'sr25519' }).addFromUri(text).publicKey) as AccountId;
  try {
    return u8aToHex(decodeAddress(text)) as AccountId;
  } catch {
    throw new GenesisFileError('InvalidGenesisFile', `not an account (SS58, 0x id or //URI): ${text}`);
  }
}

/** Validates a parsed genesis document; throws `GenesisFileError` naming the first problem. */
export function parseGenesisFile(doc: unknown): GenesisFile {
  const result = schema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new GenesisFileError('InvalidGenesisFile', `genesis file ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const seen = new Set<number>();
  for (const s of result.data.subnets) {
    if (seen.has(s.netuid)) throw new GenesisFileError('InvalidGenesisFile', `genesis file subnets: netuid ${s.netuid} appears twice`);
    seen.add(s.netuid);
  }
  return result.data;
}

/** The base genesis settings of a file (balances, sudo). */
export function genesisConfigOf(file: GenesisFile): GenesisConfig {
  return {
    ...(file.balances ? { balances: file.balances.map(([who, free]) => [resolveAccount(who), free] as const) } : {}),
    ...(file.sudo ? { sudo: resolveAccount(file.sudo) } : {}),
  };
}

/** Writes the file's subnets, hyperparameters, neurons and stake into the genesis state. */
export function applyGenesisSubnets(file: GenesisFile, state: StateOverlay, runtime: Runtime): void {
  const s = st();
  const ctx = runtime.context(state, { number: 0, parentHash: `0x${'00'.repeat(32)}` });
  for (const subnet of file.subnets) {
    initNewNetwork(state, subnet.netuid, subnet.tempo);
    s.SubnetOwner.set(state, subnet.netuid, resolveAccount(subnet.owner));
    s.NetworkRegisteredAt.set(state, subnet.netuid, 0n);
    for (const [name, value] of Object.entries(subnet.hyperparameters)) setHyperparameter(state, name, subnet.netuid, value);
    const max = s.MaxAllowedUids.get(state, subnet.netuid);
    if (subnet.neurons.length > max) throw new GenesisFileError('InvalidGenesisFile', `genesis file subnet ${subnet.netuid}: ${subnet.neurons.length} neurons exceed MaxAllowedUids ${max}`);
    for (const neuron of subnet.neurons) {
      const hotkey = resolveAccount(neuron.hotkey);
      const coldkey = resolveAccount(neuron.coldkey);
      if (s.Uids.has(state, subnet.netuid, hotkey)) throw new GenesisFileError('InvalidGenesisFile', `genesis file subnet ${subnet.netuid}: hotkey ${neuron.hotkey} registered twice`);
      createAccountIfNonExistent(ctx, coldkey, hotkey);
      appendNeuron(ctx, subnet.netuid, hotkey);
      if (neuron.stake > 0n) {
        increaseStake(ctx, coldkey, hotkey, neuron.stake);
        s.TotalIssuance.set(state, s.TotalIssuance.get(state) + neuron.stake);
      }
    }
  }
}

function setHyperparameter(state: StateOverlay, name: string, netuid: number, value: string | number | boolean): void {
  const item = (st() as unknown as Record<string, { valueCodec: { encode(v: unknown): Uint8Array }; set(view: StateOverlay, netuid: number, v: unknown): void }>)[name]!;
  const candidates: Array<() => unknown> = typeof value === 'boolean' ? [() => value] : [() => Number(value), () => BigInt(value)];
  for (const make of candidates) {
    try {
      const candidate = make();
      item.valueCodec.encode(candidate);
      item.set(state, netuid, candidate);
      return;
    } catch {
      // try the next representation (u16 vs u64 items)
    }
  }
  throw new GenesisFileError('InvalidGenesisFile', `genesis file subnet ${netuid}: ${name} = ${String(value)} is out of range for its type`);
}
