/**
 * Child keys (spec §8.4): `set_children` (scheduled, applied at the subnet's first epoch after a
 * cooldown), its revocation, `set_childkey_take`, and the ChildKeys / PendingChildKeys / ParentKeys /
 * ChildkeyTake reads. Calls are built from the runtime's metadata.
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import type { ChainClient } from '../connect';
import type { UnsupportedRuntimeError } from '../errors';
import type { RuntimeView } from '../runtime';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { buildCall } from './calls';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, InvalidParametersError } from './errors';
import { bestBlockNumber, queryBigInt, queryBool, queryItem, queryNumber, weightsStakeThreshold } from './query';
import { childkeyRateLimit, childkeyRateLimitRemedy, stakeRemedy, type ChildkeyRateLimit } from './remedy';

const U64_MAX = (1n << 64n) - 1n;
/** §8.4: at most this many children per (hotkey, netuid). */
const MAX_CHILDREN = 5;

function preflight(error: string, remedy: string, facts: Record<string, string | number | boolean> = {}): never {
  throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true, facts });
}

/** A child to set: its hotkey and the share of the parent's stake it receives. */
export interface ChildKeyInput {
  /** A fraction in [0, 1] (converted to u64 as `round(p·2⁵³)·(2⁶⁴−1)/2⁵³`, floored), or the raw u64 proportion. */
  readonly proportion: number | bigint;
  readonly child: string;
}

/** A child key as stored: the raw u64 proportion (`/ u64::MAX`) and that as a fraction. */
export interface ChildKey {
  readonly proportion: bigint;
  readonly fraction: number;
  readonly child: string;
}

/** A parent key as stored (`ParentKeys`): the share of the parent's stake this hotkey receives. */
export interface ParentKey {
  readonly proportion: bigint;
  readonly fraction: number;
  readonly parent: string;
}

/** A scheduled change of children (`PendingChildKeys`): applied at the subnet's first epoch after `cooldownBlock`. */
export interface PendingChildKeys {
  /** The children that will replace the current ones (empty: a revocation). */
  readonly children: readonly ChildKey[];
  readonly cooldownBlock: number;
}

/** The raw u64 proportion of a fraction or raw value. @throws InvalidParametersError */
function proportionOf(p: number | bigint, index: number): bigint {
  if (typeof p === 'bigint') {
    if (p < 0n || p > U64_MAX) throw new InvalidParametersError(`children[${index}].proportion must be a u64: ${p}`, { index, proportion: p.toString() });
    return p;
  }
  if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw new InvalidParametersError(`children[${index}].proportion must be a fraction in [0, 1]: ${String(p)}`, { index, proportion: String(p) });
  // A double has 53 significant bits: scaling through 2^53 keeps 0 → 0 and 1 → u64::MAX exact.
  return (BigInt(Math.round(p * 2 ** 53)) * U64_MAX) >> 53n;
}

const fractionOf = (proportion: bigint): number => Number(proportion) / Number(U64_MAX);

function decodePairs(json: unknown): Array<{ proportion: bigint; account: string }> {
  if (!Array.isArray(json)) return [];
  return (json as Array<[number | string, string]>).map(([proportion, account]) => ({ proportion: BigInt(proportion), account: addressOf(account) }));
}

const toChildren = (json: unknown): ChildKey[] => decodePairs(json).map(({ proportion, account }) => ({ proportion, fraction: fractionOf(proportion), child: account }));

/** Arguments of {@link setChildrenCall}. */
export interface SetChildrenCallArgs {
  readonly hotkey: string;
  readonly netuid: number;
  readonly children: ReadonlyArray<readonly [bigint, string]>;
}

/**
 * `set_children(hotkey, netuid, children)` built from the runtime's metadata.
 * @throws UnsupportedRuntimeError when the runtime lacks the call or takes other arguments
 */
export function setChildrenCall(registry: Registry, runtime: RuntimeView, args: SetChildrenCallArgs): Call {
  return buildCall(registry, runtime, 'SubtensorModule', 'set_children', [args.hotkey, args.netuid, args.children.map(([p, c]) => [p, c])]);
}

/**
 * `set_childkey_take(hotkey, netuid, take)` built from the runtime's metadata.
 * @throws UnsupportedRuntimeError when the runtime lacks the call or takes other arguments
 */
export function setChildkeyTakeCall(registry: Registry, runtime: RuntimeView, args: { readonly hotkey: string; readonly netuid: number; readonly take: number }): Call {
  return buildCall(registry, runtime, 'SubtensorModule', 'set_childkey_take', [args.hotkey, args.netuid, args.take]);
}

/** Parameters of {@link setChildren}. */
export interface SetChildrenParameters extends SubmitOptions {
  /** The parent hotkey's owner coldkey. */
  readonly signer: Signer;
  /** The parent hotkey. */
  readonly hotkey: string;
  readonly netuid: number;
  /** At most 5 children; an empty list revokes them all. */
  readonly children: readonly ChildKeyInput[];
}

/** The result of {@link setChildren}: the schedule written. */
export interface SetChildrenResult extends SubmitResult {
  readonly children: readonly ChildKey[];
  /** The children apply at the subnet's first epoch after this block. */
  readonly cooldownBlock: number;
}

/** Errors of {@link setChildren} / {@link revokeChildren}. */
export type SetChildrenErrorType = SubmitErrorType | UnsupportedRuntimeError;

/** `passes_rate_limit_on_subnet` for a transaction in `block` (a future last block passes, as on chain). */
const passesRateLimit = (state: ChildkeyRateLimit | undefined, block: number): boolean => state === undefined || state.lastBlock > block || block - state.lastBlock >= state.rateLimit;

/**
 * Schedules `children` for `hotkey` on `netuid`: `PendingChildKeys = (children, b + 7200)`, applied at
 * the subnet's first epoch after that block (`SetChildren` event). Pre-flight (no fee spent), in the
 * chain's order: `TxRateLimitExceeded` (once per 150 blocks per hotkey and subnet; remedy: the next
 * allowed block), `RegistrationNotPermittedOnRootSubnet`, `SubNetworkDoesNotExist`, `NonAssociatedColdKey`,
 * `TooManyChildren`, `InvalidChild` (the hotkey itself), `ProportionOverflow` (sum above u64::MAX),
 * `DuplicateChild`, `NotEnoughStakeToSetChildkeys` (below `StakeThreshold`).
 * @throws InvalidParametersError for a malformed address, netuid or proportion; UnsupportedRuntimeError
 * @example await setChildren(client, { signer: coldkey, hotkey: parent.address, netuid: 1, children: [{ proportion: 0.5, child: child.address }] });
 */
export async function setChildren(client: ChainClient, params: SetChildrenParameters): Promise<SetChildrenResult> {
  const netuid = checkNetuid(params.netuid);
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  const children = params.children.map((c, i): [bigint, string] => [proportionOf(c.proportion, i), addressOf(c.child, `children[${i}].child`)]);
  const tx = client.api.tx(setChildrenCall(client.api.registry, client.runtime, { hotkey, netuid, children }));
  const [limited, best] = await Promise.all([childkeyRateLimit(client, 'set_children', hotkey, netuid), bestBlockNumber(client)]);
  if (!passesRateLimit(limited, best + 1)) preflight('TxRateLimitExceeded', childkeyRateLimitRemedy('set_children', limited!), { nextAllowedBlock: limited!.nextAllowedBlock });
  if (netuid === 0) preflight('RegistrationNotPermittedOnRootSubnet', 'child keys cannot be set on the root network');
  if (!(await queryBool(client, 'SubtensorModule', 'NetworksAdded', netuid))) preflight('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  await ensureOwner(client, hotkey, coldkey);
  if (children.length > MAX_CHILDREN) preflight('TooManyChildren', `set at most ${MAX_CHILDREN} children (got ${children.length})`, { maxChildren: MAX_CHILDREN });
  if (children.some(([, child]) => child === hotkey)) preflight('InvalidChild', 'a hotkey cannot be its own child');
  const sum = children.reduce((acc, [p]) => acc + p, 0n);
  if (sum > U64_MAX) preflight('ProportionOverflow', `the proportions sum to ${fractionOf(sum).toFixed(6)} of the parent's stake: at most 1 (u64::MAX)`, { proportionSum: sum.toString() });
  const duplicate = children.find(([, child], i) => children.findIndex(([, other]) => other === child) !== i);
  if (duplicate) preflight('DuplicateChild', `${duplicate[1]} appears more than once`, { child: duplicate[1] });
  if (children.length > 0) {
    const [stake, threshold] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey), weightsStakeThreshold(client)]);
    if (stake < threshold) preflight('NotEnoughStakeToSetChildkeys', stakeRemedy(stake, threshold), { stakeRao: stake.toString(), stakeThresholdRao: threshold.toString() });
  }
  const result = await send(client, tx, params.signer, params, { netuid, hotkey, coldkey, call: 'set_children' });
  const scheduled = result.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'SetChildrenScheduled');
  const cooldownBlock = scheduled ? Number(scheduled.data[2]) : result.blockNumber + 7200;
  return { ...result, children: children.map(([proportion, child]) => ({ proportion, fraction: fractionOf(proportion), child })), cooldownBlock };
}

/** `NonAssociatedColdKey` unless `coldkey` owns `hotkey` (an unowned hotkey included, as the chain). */
async function ensureOwner(client: ChainClient, hotkey: string, coldkey: string): Promise<void> {
  const owner = (await queryItem(client, 'SubtensorModule', 'Owner', hotkey)).toU8a();
  if (owner.every((b) => b === 0)) preflight('NonAssociatedColdKey', 'the hotkey has no owner: register it (burnedRegister) first');
  if (addressOf(`0x${Buffer.from(owner).toString('hex')}`) !== coldkey) preflight('NonAssociatedColdKey', 'sign with the coldkey that owns the hotkey');
}

/**
 * Schedules the removal of every child of `hotkey` on `netuid` (`set_children` with an empty list;
 * applied like {@link setChildren}). Pre-flight as {@link setChildren}, less the children checks.
 * @example await revokeChildren(client, { signer: coldkey, hotkey: parent.address, netuid: 1 });
 */
export async function revokeChildren(client: ChainClient, params: Omit<SetChildrenParameters, 'children'>): Promise<SetChildrenResult> {
  return setChildren(client, { ...params, children: [] });
}

/**
 * The applied children of `hotkey` on `netuid` (`ChildKeys`), in the stored order.
 * @example const children = await getChildren(client, { hotkey: parent.address, netuid: 1 });
 */
export async function getChildren(client: ChainClient, params: { readonly hotkey: string; readonly netuid: number }): Promise<ChildKey[]> {
  const json = (await queryItem(client, 'SubtensorModule', 'ChildKeys', addressOf(params.hotkey, 'hotkey'), checkNetuid(params.netuid))).toJSON();
  return toChildren(json);
}

/**
 * The scheduled children of `hotkey` on `netuid` (`PendingChildKeys`), or undefined when nothing is scheduled.
 * @example const pending = await getPendingChildren(client, { hotkey: parent.address, netuid: 1 }); // { children, cooldownBlock }
 */
export async function getPendingChildren(client: ChainClient, params: { readonly hotkey: string; readonly netuid: number }): Promise<PendingChildKeys | undefined> {
  const json = (await queryItem(client, 'SubtensorModule', 'PendingChildKeys', checkNetuid(params.netuid), addressOf(params.hotkey, 'hotkey'))).toJSON();
  const [children, cooldown] = Array.isArray(json) ? (json as [unknown, number | string]) : [[], 0];
  // The item is a ValueQuery: an unscheduled hotkey reads the default ([], 0).
  if (Number(cooldown) === 0) return undefined;
  return { children: toChildren(children), cooldownBlock: Number(cooldown) };
}

/**
 * The parents of `hotkey` on `netuid` (`ParentKeys`): who gives it a share of their stake.
 * @example const parents = await getParents(client, { hotkey: child.address, netuid: 1 });
 */
export async function getParents(client: ChainClient, params: { readonly hotkey: string; readonly netuid: number }): Promise<ParentKey[]> {
  const json = (await queryItem(client, 'SubtensorModule', 'ParentKeys', addressOf(params.hotkey, 'hotkey'), checkNetuid(params.netuid))).toJSON();
  return decodePairs(json).map(({ proportion, account }) => ({ proportion, fraction: fractionOf(proportion), parent: account }));
}

/** Parameters of {@link setChildkeyTake}. */
export interface SetChildkeyTakeParameters extends SubmitOptions {
  /** The hotkey's owner coldkey. */
  readonly signer: Signer;
  /** The child hotkey whose take is set. */
  readonly hotkey: string;
  readonly netuid: number;
  /** The take as a u16 fraction of 65535 (at most `MaxChildkeyTake`, 11796 ≈ 18 % by default). */
  readonly take: number;
}

/**
 * Sets the take `hotkey` keeps of the emission it earns through its parents on `netuid`. Pre-flight (no
 * fee spent), in the chain's order: `NonAssociatedColdKey`, `InvalidChildkeyTake` (above
 * `MaxChildkeyTake`; the pre-dTAO runtime checks no lower bound), `TxChildkeyTakeRateLimitExceeded`
 * (once per `TxChildkeyTakeRateLimit` blocks per hotkey and subnet; remedy: the next allowed block).
 * @throws InvalidParametersError for a take that is not a u16; UnsupportedRuntimeError
 * @example await setChildkeyTake(client, { signer: coldkey, hotkey: child.address, netuid: 1, take: 5000 });
 */
export async function setChildkeyTake(client: ChainClient, params: SetChildkeyTakeParameters): Promise<SubmitResult> {
  const netuid = checkNetuid(params.netuid);
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  if (!Number.isInteger(params.take) || params.take < 0 || params.take > 65535) throw new InvalidParametersError(`take must be a u16: ${params.take}`, { take: params.take });
  const tx = client.api.tx(setChildkeyTakeCall(client.api.registry, client.runtime, { hotkey, netuid, take: params.take }));
  await ensureOwner(client, hotkey, coldkey);
  const max = await queryNumber(client, 'SubtensorModule', 'MaxChildkeyTake');
  if (params.take > max) preflight('InvalidChildkeyTake', `the take must be at most MaxChildkeyTake ${max}`, { maxChildkeyTake: max });
  const [limited, best] = await Promise.all([childkeyRateLimit(client, 'set_childkey_take', hotkey, netuid), bestBlockNumber(client)]);
  if (!passesRateLimit(limited, best + 1)) preflight('TxChildkeyTakeRateLimitExceeded', childkeyRateLimitRemedy('set_childkey_take', limited!), { nextAllowedBlock: limited!.nextAllowedBlock });
  return send(client, tx, params.signer, params, { netuid, hotkey, coldkey, call: 'set_childkey_take' });
}

/**
 * The childkey take of `hotkey` on `netuid` (`ChildkeyTake`) as a u16 fraction of 65535.
 * @example const take = await getChildkeyTake(client, { hotkey: child.address, netuid: 1 });
 */
export async function getChildkeyTake(client: ChainClient, params: { readonly hotkey: string; readonly netuid: number }): Promise<number> {
  return queryNumber(client, 'SubtensorModule', 'ChildkeyTake', addressOf(params.hotkey, 'hotkey'), checkNetuid(params.netuid));
}
