/**
 * Subnets and the root network: register_network (+ identity), root_register, set_root_weights
 * (metadata-driven), become_delegate and delegate takes.
 */
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import type { Call } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import { UnsupportedRuntimeError } from '../errors';
import { describeArgs, type RuntimeView } from '../runtime';
import { networkLockCost } from '../../root-network';
import { readPaths, stateCall, type ReadPath } from '../runtime-api';
import { readStorage, storageItem } from '../storage';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { convertWeightsAndUidsForEmit, normalizeMaxWeight } from '../weights';
import { buildCall, rootWeightsCall } from './calls';
import { addressOf, send, type SubmitOptions } from './common';
import { DispatchFailedError, EventMissingError, InvalidParametersError } from './errors';
import { bytesArg, ensureValidSubnetIdentity } from './identity';
import { bestBlockNumber, networks, queryBigInt, queryItem, queryJsonArray, queryNumber, uidOf } from './query';
import { freeBalance, nextDelegateTxBlock } from './remedy';

function preflight(error: string, remedy: string, facts: Record<string, string | number | boolean> = {}): never {
  throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true, facts });
}

/** A subnet's on-chain identity. */
export interface SubnetIdentity {
  readonly subnetName: string;
  readonly githubRepo: string;
  readonly subnetContact: string;
}

/** Parameters of {@link registerNetwork}. */
export interface RegisterNetworkParameters extends SubmitOptions {
  /** The coldkey that pays the lock and owns the subnet. */
  readonly signer: Signer;
  /** Registers with an identity (`register_network_with_identity`). */
  readonly identity?: SubnetIdentity;
}

/** The result of {@link registerNetwork}. */
export interface RegisterNetworkResult extends SubmitResult {
  readonly netuid: number;
  /** The lock cost quoted before submission. */
  readonly lockCost: Balance;
}

/** Errors of {@link registerNetwork}. */
export type RegisterNetworkErrorType = SubmitErrorType | UnsupportedRuntimeError | EventMissingError;

/** Options of {@link getNetworkLockCost}. */
export interface NetworkLockCostOptions {
  /** The block hash to read at. @default the best block */
  readonly at?: string;
  /** Forces one read path (e.g. to compare them); by default the connection's detected one ({@link readPaths}). */
  readonly via?: ReadPath;
}

/**
 * The subnet lock cost `register_network` charges, as the runtime computes it at a block: through
 * `SubnetRegistrationRuntimeApi_get_network_registration_cost` (`state_call`), else the node's
 * `subnetInfo_getLockCost`, else from storage (`NetworkLastLockCost`, `NetworkMinLockCost`,
 * `NetworkLastRegistered`, `NetworkLockReductionInterval`, computed with root-network's `networkLockCost`).
 * @throws RequestTimeoutError; UnsupportedRuntimeError when the storage path lacks an item
 * @example const cost = await getNetworkLockCost(client);
 */
export async function getNetworkLockCost(client: ChainClient, options: NetworkLockCostOptions = {}): Promise<Balance> {
  const via = options.via ?? (await readPaths(client)).lockCost;
  const at = options.at ?? (await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader())).hash.toHex();
  if (via === 'runtime-api') {
    // `fn get_network_registration_cost() -> u64`: no arguments, a bare little-endian u64.
    const bytes = await stateCall(client, 'SubnetRegistrationRuntimeApi_get_network_registration_cost', new Uint8Array(), at);
    return Balance.fromRao(client.api.createType('u64', bytes).toBigInt());
  }
  if (via === 'custom-rpc') {
    const raw = await client.rpc<number | string | number[]>('subnetInfo_getLockCost', [at]);
    if (Array.isArray(raw)) return Balance.fromRao(raw.reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n));
    return Balance.fromRao(BigInt(raw));
  }
  return lockCostFromStorage(client, at);
}

async function lockCostFromStorage(client: ChainClient, at: string): Promise<Balance> {
  const items = ['NetworkLastLockCost', 'NetworkMinLockCost', 'NetworkLastRegistered', 'NetworkLockReductionInterval'].map((name) => storageItem(client, 'SubtensorModule', name));
  const [{ values }, header] = await Promise.all([
    readStorage(client, items.map((item) => item.key()), at),
    client.request('chain_getHeader', (api) => api.rpc.chain.getHeader(at)),
  ]);
  const [lastLockCost, minLockCost, lastRegistered, reductionInterval] = items.map((item) => BigInt(item.decode(values.get(item.key()) ?? null)!.toString())) as [bigint, bigint, bigint, bigint];
  return Balance.fromRao(networkLockCost({ lastLockCost, minLockCost, lastRegistered, reductionInterval, block: BigInt(header.number.toNumber()) }));
}

/**
 * The registration call in the runtime's shape: `register_network()`, or with an identity
 * `register_network_with_identity(Some(SubnetIdentity { subnet_name, github_repo, subnet_contact }))`.
 * @throws UnsupportedRuntimeError when the runtime lacks the call (spec 143 has no identities) or takes
 * other arguments (dynamic TAO's `(hotkey, SubnetIdentityV2)`): nothing is sent then
 */
export function registerNetworkCall(registry: Registry, runtime: RuntimeView, identity?: SubnetIdentity): Call {
  if (!identity) return buildCall(registry, runtime, 'SubtensorModule', 'register_network', []);
  const info = runtime.requireCall('SubtensorModule', 'register_network_with_identity');
  // A struct with other fields would still encode (polkadot.js fills missing ones), so the identity type is checked by name.
  if (describeArgs(info) !== 'identity: Option<PalletSubtensorSubnetIdentity>') {
    throw new UnsupportedRuntimeError('SubtensorModule.register_network_with_identity', runtime.identity.specVersion, `takes (${describeArgs(info)}), not a (subnet_name, github_repo, subnet_contact) identity`);
  }
  return buildCall(registry, runtime, 'SubtensorModule', 'register_network_with_identity', [{ subnetName: bytesArg(identity.subnetName), githubRepo: bytesArg(identity.githubRepo), subnetContact: bytesArg(identity.subnetContact) }]);
}

/**
 * Creates a subnet owned by the signing coldkey. Pre-flight (no fee spent): `UnsupportedRuntime` when
 * the runtime cannot take the call (or the identity), `NetworkTxRateLimitExceeded` (remedy: the next
 * allowed block), `NotEnoughBalanceToStake` (remedy: the lock cost), `InvalidIdentity` (an identity field
 * over its byte limit). The new netuid is read from the `NetworkAdded` event; an inclusion without it is
 * an `EventMissingError`.
 * @example const { netuid } = await registerNetwork(client, { signer: owner, identity: { subnetName: 'demo', githubRepo: '', subnetContact: '' } });
 */
export async function registerNetwork(client: ChainClient, params: RegisterNetworkParameters): Promise<RegisterNetworkResult> {
  const coldkey = addressOf(params.signer);
  if (params.identity) ensureValidSubnetIdentity(params.identity);
  const call = registerNetworkCall(client.api.registry, client.runtime, params.identity);
  const [last, limit, best] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'NetworkLastRegistered'), queryBigInt(client, 'SubtensorModule', 'NetworkRateLimit'), bestBlockNumber(client)]);
  const next = BigInt(best + 1);
  if (next - (last < next ? last : next) < limit) preflight('NetworkTxRateLimitExceeded', `wait until block ${last + limit} (NetworkLastRegistered ${last} + NetworkRateLimit ${limit})`, { nextAllowedBlock: Number(last + limit) });
  const [lockCost, free] = await Promise.all([getNetworkLockCost(client), freeBalance(client, coldkey)]);
  if (free < lockCost.rao) preflight('NotEnoughBalanceToStake', `the lock cost is ${lockCost.toString()}, the coldkey holds ${Balance.fromRao(free).toString()} free`, { lockCostRao: lockCost.rao.toString(), freeRao: free.toString() });
  const result = await send(client, client.api.tx(call), params.signer, params, { coldkey });
  const added = result.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'NetworkAdded');
  if (!added) throw new EventMissingError('registerNetwork', 'SubtensorModule.NetworkAdded', result.blockHash);
  return { ...result, netuid: Number(added.data[0]), lockCost };
}

/** The existing subnets' netuids (root included). */
export async function getNetworks(client: ChainClient): Promise<number[]> {
  return networks(client);
}

/** Parameters of {@link rootRegister}. */
export interface RootRegisterParameters extends SubmitOptions {
  /** The coldkey that owns the hotkey. */
  readonly signer: Signer;
  readonly hotkey: string;
}

/**
 * Registers `hotkey` on the root network (netuid 0). Pre-flight: `HotKeyAlreadyRegisteredInSubNet`;
 * `StakeTooLowForRoot` when root is full and the hotkey's stake does not beat the lowest member's.
 * @example const { uid } = await rootRegister(client, { signer: coldkey, hotkey: hotkey.address });
 */
export async function rootRegister(client: ChainClient, params: RootRegisterParameters): Promise<SubmitResult & { uid: number }> {
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const existing = await uidOf(client, 0, hotkey);
  if (existing !== undefined) preflight('HotKeyAlreadyRegisteredInSubNet', `the hotkey already holds root uid ${existing}`, { uid: existing });
  const [n, max] = await Promise.all([queryNumber(client, 'SubtensorModule', 'SubnetworkN', 0), queryNumber(client, 'SubtensorModule', 'MaxAllowedUids', 0)]);
  if (n >= max && max > 0) {
    const own = await queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey);
    let lowest: bigint | undefined;
    for (let uid = 0; uid < n; uid++) {
      const key = (await queryItem(client, 'SubtensorModule', 'Keys', 0, uid)).toString();
      const stake = await queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', key);
      if (lowest === undefined || stake < lowest) lowest = stake;
    }
    if (lowest !== undefined && own <= lowest) preflight('StakeTooLowForRoot', `stake more than ${Balance.fromRao(lowest).toString()} (the lowest root member) on the hotkey`, { lowestRootStakeRao: lowest.toString() });
  }
  const result = await send(client, client.api.tx.subtensorModule.rootRegister(hotkey), params.signer, params, { netuid: 0, hotkey, coldkey: addressOf(params.signer) });
  const event = result.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'NeuronRegistered');
  const uid = event ? Number(event.data[1]) : await uidOf(client, 0, hotkey);
  if (uid === undefined) throw new EventMissingError('rootRegister', 'SubtensorModule.NeuronRegistered', result.blockHash);
  return { ...result, uid };
}

/** Parameters of {@link setRootWeights}. */
export interface SetRootWeightsParameters extends SubmitOptions {
  /** The hotkey's coldkey (`set_root_weights`), or the hotkey itself on runtimes that only have `set_weights` on netuid 0. */
  readonly signer: Signer;
  /** The root member's hotkey. */
  readonly hotkey: string;
  readonly netuids: readonly number[];
  /** Non-negative weights, max-upscaled to u16. */
  readonly weights: readonly number[];
  /** @default 0n */
  readonly versionKey?: bigint | number;
}

/**
 * Sets the root weights of `hotkey` over subnets: `set_root_weights(0, hotkey, …)` signed by the coldkey,
 * or `set_weights(0, …)` signed by the hotkey on runtimes without it (metadata-driven).
 * Weights are processed as the SDK does (`normalize_max_weight` at `MaxWeightsLimit[0]`, u16 max-upscale).
 * Pre-flight: `WeightVecLengthIsLow`, `HotKeyNotRegisteredInSubNet` (not on root), `UidVecContainInvalidOne` (unknown netuid),
 * `SettingWeightsTooFast` (remedy: the next allowed block).
 * @throws UnsupportedRuntimeError when the runtime has neither call
 * @example await setRootWeights(client, { signer: coldkey, hotkey: hk.address, netuids: [1, 2], weights: [1, 1] });
 */
export async function setRootWeights(client: ChainClient, params: SetRootWeightsParameters): Promise<SubmitResult & { netuids: number[]; values: number[] }> {
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const versionKey = BigInt(params.versionKey ?? 0);
  if (client.runtime.rootWeightsShape() === 'set_weights-netuid-0' && addressOf(params.signer) !== hotkey) throw new InvalidParametersError('this runtime sets root weights with set_weights on netuid 0: sign with the hotkey', { shape: 'set_weights-netuid-0' });
  if (params.netuids.length !== params.weights.length) throw new InvalidParametersError(`netuids (${params.netuids.length}) and weights (${params.weights.length}) differ in length`);
  // As the SDK's set_root_weights: at least MinAllowedWeights[0] entries, normalize_max_weight(MaxWeightsLimit[0] / 65535), u16 max-upscale.
  const [minAllowed, maxLimit] = await Promise.all([queryNumber(client, 'SubtensorModule', 'MinAllowedWeights', 0), queryNumber(client, 'SubtensorModule', 'MaxWeightsLimit', 0)]);
  if (params.netuids.length < minAllowed) preflight('WeightVecLengthIsLow', `set at least ${minAllowed} root weights (MinAllowedWeights of netuid 0)`, { minAllowedWeights: minAllowed });
  const normalized = normalizeMaxWeight(params.weights.map((w) => Math.fround(w)), maxLimit / 65535);
  const { uids: netuids, weights: values } = convertWeightsAndUidsForEmit(params.netuids, normalized);
  if (netuids.length === 0) throw new InvalidParametersError('every weight is zero: nothing to set', {});
  const uid = await uidOf(client, 0, hotkey);
  if (uid === undefined) preflight('HotKeyNotRegisteredInSubNet', 'register the hotkey on the root network first (rootRegister)');
  const existing = new Set(await networks(client));
  const unknown = netuids.filter((n) => !existing.has(n));
  if (unknown.length > 0) preflight('UidVecContainInvalidOne', `no such subnet: ${unknown.join(', ')}`);
  const [lastUpdates, rateLimit, best] = await Promise.all([queryJsonArray<number>(client, 'SubtensorModule', 'LastUpdate', 0), queryNumber(client, 'SubtensorModule', 'WeightsSetRateLimit', 0), bestBlockNumber(client)]);
  const lastUpdate = Number(lastUpdates[uid!] ?? 0);
  if (lastUpdate !== 0 && best + 1 - lastUpdate < rateLimit) preflight('SettingWeightsTooFast', `wait until block ${lastUpdate + rateLimit} (LastUpdate ${lastUpdate} + WeightsSetRateLimit ${rateLimit})`, { nextAllowedBlock: lastUpdate + rateLimit });
  const tx = client.api.tx(rootWeightsCall(client.api.registry, client.runtime, { hotkey, netuids, values, versionKey }).call);
  const result = await send(client, tx, params.signer, params, { netuid: 0, hotkey });
  return { ...result, netuids, values };
}

/** Parameters of {@link becomeDelegate}. */
export interface BecomeDelegateParameters extends SubmitOptions {
  /** The hotkey's owner coldkey. */
  readonly signer: Signer;
  readonly hotkey: string;
}

/**
 * Makes `hotkey` a delegate (nominators may stake to it; default take). Pre-flight:
 * `HotKeyAccountNotExists`, `NonAssociatedColdKey`. A hotkey that already is one fails on chain with
 * `HotKeyAlreadyDelegate`.
 * @example await becomeDelegate(client, { signer: coldkey, hotkey: hotkey.address });
 */
export async function becomeDelegate(client: ChainClient, params: BecomeDelegateParameters): Promise<SubmitResult> {
  client.runtime.requireCall('SubtensorModule', 'become_delegate');
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  const owner = (await queryItem(client, 'SubtensorModule', 'Owner', hotkey)).toU8a();
  if (owner.every((b) => b === 0)) preflight('HotKeyAccountNotExists', 'register the hotkey (burnedRegister) first');
  if (addressOf(`0x${Buffer.from(owner).toString('hex')}`) !== coldkey) preflight('NonAssociatedColdKey', 'sign with the coldkey that owns the hotkey');
  return send(client, client.api.tx.subtensorModule.becomeDelegate(hotkey), params.signer, params, { hotkey, coldkey, call: 'become_delegate' });
}

/** The take of delegate `hotkey` as a u16 fraction of 65535 (`Delegates`). */
export async function getDelegateTake(client: ChainClient, params: { readonly hotkey: string }): Promise<number> {
  return queryNumber(client, 'SubtensorModule', 'Delegates', addressOf(params.hotkey, 'hotkey'));
}

/** Parameters of {@link setDelegateTake}. */
export interface SetDelegateTakeParameters extends SubmitOptions {
  /** The hotkey's owner coldkey. */
  readonly signer: Signer;
  readonly hotkey: string;
  /** The new take as a u16 fraction of 65535 (11796 ≈ 18 %). */
  readonly take: number;
}

/**
 * Changes a delegate's take: `decrease_take` when lower than the current take, `increase_take` when
 * higher; a hotkey that is not a delegate yet becomes one with that take (through `decrease_take`,
 * which the chain does not rate-limit). Pre-flight: `HotKeyAccountNotExists`, `NonAssociatedColdKey`, `DelegateTakeTooLow` (unchanged
 * or below `MinDelegateTake`), `DelegateTakeTooHigh` (above `MaxDelegateTake`) and, when raising it,
 * `DelegateTxRateLimitExceeded`: one increase per `TxDelegateTakeRateLimit` blocks per coldkey
 * (`LastTxBlockDelegateTake`, also set by `become_delegate`; remedy: the next allowed block).
 * @example await setDelegateTake(client, { signer: coldkey, hotkey: hotkey.address, take: 5000 });
 */
export async function setDelegateTake(client: ChainClient, params: SetDelegateTakeParameters): Promise<SubmitResult> {
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  if (!Number.isInteger(params.take) || params.take < 0 || params.take > 65535) throw new InvalidParametersError(`take must be a u16: ${params.take}`, { take: params.take });
  const owner = (await queryItem(client, 'SubtensorModule', 'Owner', hotkey)).toU8a();
  if (owner.every((b) => b === 0)) preflight('HotKeyAccountNotExists', 'register the hotkey (burnedRegister) first');
  if (addressOf(`0x${Buffer.from(owner).toString('hex')}`) !== coldkey) preflight('NonAssociatedColdKey', 'sign with the coldkey that owns the hotkey');
  const delegates = storageItem(client, 'SubtensorModule', 'Delegates');
  const [stored, min, max] = await Promise.all([
    client.rpc<string | null>('state_getStorage', [delegates.key(hotkey)]),
    queryNumber(client, 'SubtensorModule', 'MinDelegateTake'),
    queryNumber(client, 'SubtensorModule', 'MaxDelegateTake'),
  ]);
  // `Delegates` reads as the default take (11796) for a hotkey that is not a delegate: only a stored value is a current take.
  const current = stored === null ? undefined : Number(delegates.decode(stored)!.toString());
  if (params.take === current) preflight('DelegateTakeTooLow', `the take is already ${current}`, { take: current });
  if (params.take < min) preflight('DelegateTakeTooLow', `the take must be at least MinDelegateTake ${min}`, { minDelegateTake: min });
  if (params.take > max) preflight('DelegateTakeTooHigh', `the take must be at most MaxDelegateTake ${max}`, { maxDelegateTake: max });
  // A hotkey that is not yet a delegate becomes one with either call; decrease_take has no rate limit.
  const call = current === undefined || params.take < current ? 'decrease_take' : 'increase_take';
  client.runtime.requireCall('SubtensorModule', call);
  if (call === 'increase_take') {
    // Last of the chain's increase_take checks: ¬(last ≠ 0 ∧ b − last ≤ TxDelegateTakeRateLimit), per coldkey.
    const [limited, best] = await Promise.all([nextDelegateTxBlock(client, 'increase_take', coldkey), bestBlockNumber(client)]);
    if (limited && limited.lastBlock <= best + 1 && best + 1 < limited.nextAllowedBlock) preflight('DelegateTxRateLimitExceeded', limited.remedy, { nextAllowedBlock: limited.nextAllowedBlock });
  }
  const tx = call === 'decrease_take' ? client.api.tx.subtensorModule.decreaseTake(hotkey, params.take) : client.api.tx.subtensorModule.increaseTake(hotkey, params.take);
  return send(client, tx, params.signer, params, { hotkey, coldkey, call });
}
