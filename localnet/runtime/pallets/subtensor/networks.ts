/**
 * Subnet creation and removal, root registration and identities (spec §4.2, §4.4):
 * `register_network`, `register_network_with_identity`, `dissolve_network` (root), `root_register`,
 * `set_identity`, `set_subnet_identity`, and {@link removeNetwork} / {@link networkLockCost} for the
 * other sections. `schedule_dissolve_network` is not here: it needs pallet_scheduler.
 */
import { chooseSubnetToPrune, type SubnetPruningCandidate } from '../../../../consensus/subnet-pruning';
import { loadRuntimeMetadata } from '../../../metadata';
import type { StateReader } from '../../../state/types';
import { decideRootSeat } from '../../../../root-network/membership';
import { networkLockCost as pureLockCost } from '../../../../root-network/lock-cost';
import { RootNetworkError } from '../../../../root-network/errors';
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';
import { otherError } from '../../errors';
import type { AccountId, Hex } from '../../primitives';
import { storageItem, type StorageItem } from '../../storage';
import { ensureRoot, ensureSigned } from '../system';
import {
  ROOT_NETUID,
  appendNeuron,
  blockNumber,
  createAccountIfNonExistent,
  initNewNetwork,
  isRegisteredAnywhere,
  networkExists,
  replaceNeuron,
  stErr,
  totalHotkeyStake,
} from './common';
import { st } from './items';
import { addBalanceToColdkey, canRemoveBalance, removeBalanceFromColdkey } from './staking';

const U16_MAX = 65535;
/** §4.2: root members are forced to be delegates with this take (18%). */
const ROOT_DELEGATE_TAKE = 11796;
/** `SenateMaxMembers` of the runtime. */
const SENATE_MAX_MEMBERS = 12;

/** `SubnetIdentityOf` (spec 219): three byte strings. */
export interface SubnetIdentity {
  readonly subnet_name: Hex;
  readonly github_repo: Hex;
  readonly subnet_contact: Hex;
}

/** `ChainIdentityOf` (spec 219): the coldkey identity of `set_identity`. */
export interface ChainIdentity {
  readonly name: Hex;
  readonly url: Hex;
  readonly image: Hex;
  readonly discord: Hex;
  readonly description: Hex;
  readonly additional: Hex;
}

const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);
const satIncU16 = (x: number): number => Math.min(x + 1, U16_MAX);

// ---- identities -------------------------------------------------------------------------------------

/** Byte limits per field of `is_valid_identity`; the total may not exceed their sum. */
const CHAIN_IDENTITY_LIMITS: Readonly<Record<keyof ChainIdentity, number>> = { name: 256, url: 256, image: 1024, discord: 256, description: 1024, additional: 1024 };
/** Byte limits per field of `is_valid_subnet_identity`; the total may not exceed their sum (2304). */
const SUBNET_IDENTITY_LIMITS: Readonly<Record<keyof SubnetIdentity, number>> = { subnet_name: 256, github_repo: 1024, subnet_contact: 1024 };

const byteLength = (hex: Hex): number => (hex.length - 2) / 2;

/** Every field within its byte limit and the total within the sum of the limits. */
function withinLimits<K extends string>(identity: Readonly<Record<K, Hex>>, limits: Readonly<Record<K, number>>): boolean {
  const fields = Object.keys(limits) as K[];
  const total = fields.reduce((sum, f) => sum + byteLength(identity[f]), 0);
  const maxTotal = fields.reduce((sum, f) => sum + limits[f], 0);
  return total <= maxTotal && fields.every((f) => byteLength(identity[f]) <= limits[f]);
}

/**
 * `set_identity(name, url, image, discord, description, additional)` signed by a coldkey (spec
 * §11.1): one of its hotkeys must be on some network (`HotKeyNotRegisteredInNetwork`), the fields
 * within `is_valid_identity`'s limits (`InvalidIdentity`).
 */
export function setIdentity(ctx: RuntimeContext, coldkey: AccountId, identity: ChainIdentity): void {
  const s = st();
  if (!s.OwnedHotkeys.get(ctx.state, coldkey).some((hotkey) => isRegisteredAnywhere(ctx, hotkey))) {
    throw stErr('HotKeyNotRegisteredInNetwork', 'none of the coldkey\'s hotkeys is registered');
  }
  if (!withinLimits(identity, CHAIN_IDENTITY_LIMITS)) throw stErr('InvalidIdentity');
  s.Identities.set(ctx.state, coldkey, identity);
  ctx.deposit({ SubtensorModule: { ChainIdentitySet: coldkey } });
}

/** The identity of a subnet: `InvalidIdentity` unless within `is_valid_subnet_identity`'s limits; emits `SubnetIdentitySet`. */
function storeSubnetIdentity(ctx: RuntimeContext, netuid: number, identity: SubnetIdentity): void {
  if (!withinLimits(identity, SUBNET_IDENTITY_LIMITS)) throw stErr('InvalidIdentity');
  st().SubnetIdentities.set(ctx.state, netuid, identity);
  ctx.deposit({ SubtensorModule: { SubnetIdentitySet: netuid } });
}

/** `set_subnet_identity(netuid, …)` signed by the subnet owner (`NotSubnetOwner`; the subnet's existence is not checked). */
export function setSubnetIdentity(ctx: RuntimeContext, coldkey: AccountId, netuid: number, identity: SubnetIdentity): void {
  if (st().SubnetOwner.get(ctx.state, netuid) !== coldkey) throw stErr('NotSubnetOwner');
  storeSubnetIdentity(ctx, netuid, identity);
}

/** Removes the subnet's identity, emitting `SubnetIdentityRemoved` when there was one. */
function removeSubnetIdentity(ctx: RuntimeContext, netuid: number): void {
  const { SubnetIdentities } = st();
  if (!SubnetIdentities.has(ctx.state, netuid)) return;
  SubnetIdentities.remove(ctx.state, netuid);
  ctx.deposit({ SubtensorModule: { SubnetIdentityRemoved: netuid } });
}

// ---- network removal (§4.4) -------------------------------------------------------------------------

/** A per-netuid storage item, whatever its value type. */
type NetuidItem = Pick<StorageItem<[number], unknown>, 'remove' | 'key'>;

/** Per-netuid items `remove_network` deletes (besides the maps it clears by prefix). */
function removedNetworkItems(): NetuidItem[] {
  const s = st();
  return [
    s.SubnetworkN, s.NetworkModality, s.NetworksAdded, s.NetworkRegisteredAt,
    s.Rank, s.Trust, s.Active, s.Emission, s.Incentive, s.Consensus, s.Dividends, s.PruningScores, s.LastUpdate, s.ValidatorPermit, s.ValidatorTrust,
    s.Tempo, s.Kappa, s.Difficulty, s.MaxAllowedUids, s.ImmunityPeriod, s.ActivityCutoff, s.EmissionValues, s.MaxWeightsLimit, s.MinAllowedWeights,
    s.RegistrationsThisInterval, s.POWRegistrationsThisInterval, s.BurnRegistrationsThisInterval,
  ];
}

/** Every root weight row keeps its entries, with the weight on `netuid` set to 0. */
function zeroRootWeightsOn(ctx: RuntimeContext, netuid: number): void {
  const { Weights } = st();
  for (const [[, uid], row] of Weights.entries(ctx.state, ROOT_NETUID)) {
    Weights.set(ctx.state, ROOT_NETUID, uid, row.map(([dest, weight]): [number, number] => [dest, dest === netuid ? 0 : weight]));
  }
}

/**
 * `remove_network(netuid)` (spec §4.4): refunds `SubnetLocked` to the owner and deletes the
 * subnet's registry, neuron maps, per-uid vectors and the parameters listed in the spec; root
 * weights on it become 0. It leaves PendingEmission, BlockAtRegistration, IsNetworkMember,
 * Axons/Prometheus, child keys, Burn/MaxBurn, Rho, BondsMovingAverage, WeightsSetRateLimit,
 * WeightsVersionKey, ServingRateLimit and the commit-reveal / liquid-alpha flags (§13.7).
 * Emits `SubnetIdentityRemoved` when the subnet had an identity; the callers emit `NetworkRemoved`.
 */
export function removeNetwork(ctx: RuntimeContext, netuid: number): void {
  const s = st();
  const owner = s.SubnetOwner.get(ctx.state, netuid);
  const locked = s.SubnetLocked.get(ctx.state, netuid);
  const networks = s.TotalNetworks.get(ctx.state);
  for (const item of removedNetworkItems()) item.remove(ctx.state, netuid);
  s.TotalNetworks.set(ctx.state, networks > 0 ? networks - 1 : 0);
  for (const map of [s.Uids, s.Keys, s.Bonds, s.Weights]) map.clear(ctx.state, netuid);
  zeroRootWeightsOn(ctx, netuid);
  addBalanceToColdkey(ctx, owner, locked);
  s.SubnetLocked.set(ctx.state, netuid, 0n);
  s.SubnetOwner.remove(ctx.state, netuid);
  removeSubnetIdentity(ctx, netuid);
}

/**
 * `dissolve_network(coldkey, netuid)` (call 61, root origin; `user_remove_network`): the subnet
 * exists (`SubNetworkDoesNotExist`) and `coldkey` owns it (`NotSubnetOwner`); then its identity
 * goes, `remove_network`, and `NetworkRemoved`.
 */
export function dissolveNetwork(ctx: RuntimeContext, coldkey: AccountId, netuid: number): void {
  if (!networkExists(ctx, netuid)) throw stErr('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  if (st().SubnetOwner.get(ctx.state, netuid) !== coldkey) throw stErr('NotSubnetOwner');
  removeSubnetIdentity(ctx, netuid);
  removeNetwork(ctx, netuid);
  ctx.deposit({ SubtensorModule: { NetworkRemoved: netuid } });
}

// ---- network registration (§4.4) --------------------------------------------------------------------

/**
 * `get_network_lock_cost` (spec §4.4 step 2) at `block`: `L·mult − ⌊L / interval⌋·(b − lb)`, u64
 * saturating, floored at `NetworkMinLockCost` (`mult` is 1 while `NetworkLastRegistered` is 0, else 2).
 * The runtime panics on a zero `NetworkLockReductionInterval`; localnet refuses with an error.
 */
export function networkLockCost(view: StateReader, block: bigint): bigint {
  const s = st();
  try {
    return pureLockCost({
      lastLockCost: s.NetworkLastLockCost.get(view),
      lastRegistered: s.NetworkLastRegistered.get(view),
      block,
      reductionInterval: s.NetworkLockReductionInterval.get(view),
      minLockCost: s.NetworkMinLockCost.get(view),
    });
  } catch (err) {
    if (err instanceof RootNetworkError) throw otherError(err.message);
    throw err;
  }
}

/** The smallest netuid ≥ 1 that is not in use. */
function firstFreeNetuid(ctx: RuntimeContext): number {
  let netuid = 1;
  while (netuid < U16_MAX && networkExists(ctx, netuid)) netuid++;
  return netuid;
}

/** `get_subnet_to_prune` (§4.4 step 3, TV11) over the registered networks, in storage order. */
function subnetToPrune(ctx: RuntimeContext): number | null {
  const s = st();
  const candidates = s.NetworksAdded.keys(ctx.state).map(([netuid]): SubnetPruningCandidate => ({
    netuid,
    emission: s.EmissionValues.get(ctx.state, netuid),
    registeredAt: Number(s.NetworkRegisteredAt.get(ctx.state, netuid)),
  }));
  return chooseSubnetToPrune(candidates, ctx.block.number, Number(s.NetworkImmunityPeriod.get(ctx.state)));
}

/**
 * §4.4 step 3: below `SubnetLimit` (root not counted) the first free netuid; otherwise the subnet
 * `get_subnet_to_prune` picks is removed (`NetworkRemoved`) and its netuid reused
 * (`AllNetworksInImmunity` when none is out of immunity).
 */
function claimNetuid(ctx: RuntimeContext): number {
  const s = st();
  const subnets = Math.max(s.TotalNetworks.get(ctx.state) - 1, 0);
  if (subnets < s.SubnetLimit.get(ctx.state)) return firstFreeNetuid(ctx);
  const victim = subnetToPrune(ctx);
  if (victim === null) throw stErr('AllNetworksInImmunity');
  removeNetwork(ctx, victim);
  ctx.deposit({ SubtensorModule: { NetworkRemoved: victim } });
  return victim;
}

/** `init_new_network(netuid, tempo)` with this runtime's tempo for new subnets. */
function initRegisteredNetwork(ctx: RuntimeContext, netuid: number): void {
  initNewNetwork(ctx.state, netuid, ctx.config.newSubnetTempo);
}

/**
 * `register_network` / `register_network_with_identity` signed by the coldkey (spec §4.4, in
 * order): rate limit (`NetworkTxRateLimitExceeded`), lock cost covered (`NotEnoughBalanceToStake`),
 * netuid (maybe pruning), the lock withdrawn and recorded, the network initialized with tempo 360,
 * the identity (`InvalidIdentity`), registration block and owner, then `NetworkAdded(netuid, 0)`.
 */
export function registerNetwork(ctx: RuntimeContext, coldkey: AccountId, identity: SubnetIdentity | null): void {
  const s = st();
  const block = blockNumber(ctx);
  const lastRegistered = s.NetworkLastRegistered.get(ctx.state);
  const rateLimit = s.NetworkRateLimit.get(ctx.state);
  if (satSub(block, lastRegistered) < rateLimit) throw stErr('NetworkTxRateLimitExceeded', `last network registered at block ${lastRegistered}; the limit is ${rateLimit} blocks`);
  const lockCost = networkLockCost(ctx.state, block);
  if (!canRemoveBalance(ctx, coldkey, lockCost)) throw stErr('NotEnoughBalanceToStake', `the lock cost is ${lockCost} rao`);
  const netuid = claimNetuid(ctx);
  const locked = removeBalanceFromColdkey(ctx, coldkey, lockCost);
  s.SubnetLocked.set(ctx.state, netuid, locked);
  s.NetworkLastLockCost.set(ctx.state, locked);
  initRegisteredNetwork(ctx, netuid);
  if (identity !== null) storeSubnetIdentity(ctx, netuid, identity);
  s.NetworkLastRegistered.set(ctx.state, block);
  s.NetworkRegisteredAt.set(ctx.state, netuid, block);
  s.SubnetOwner.set(ctx.state, netuid, coldkey);
  ctx.deposit({ SubtensorModule: { NetworkAdded: [netuid, 0] } });
}

// ---- root registration (§4.2) -----------------------------------------------------------------------

let senateMembers: StorageItem<[], AccountId[]> | undefined;

/** `SenateMembers.Members` (pallet_membership): the sorted senate. */
function senate(): StorageItem<[], AccountId[]> {
  senateMembers ??= storageItem<[], AccountId[]>(loadRuntimeMetadata(), 'SenateMembers', 'Members');
  return senateMembers;
}

/** The member `join_senate_if_eligible` would swap out: the lowest stake, the last in member order on ties. */
function weakestSenator(ctx: RuntimeContext, members: readonly AccountId[]): AccountId {
  let weakest = members[0]!;
  for (const member of members) if (totalHotkeyStake(ctx, member) <= totalHotkeyStake(ctx, weakest)) weakest = member;
  return weakest;
}

/**
 * `join_senate_if_eligible` (§4.2): a root member not yet in the senate joins it while it has
 * fewer than 12 members (`SenateMembers.MemberAdded`), or replaces the lowest-stake member when it
 * has more stake (`SenateMembers.MembersSwapped`). The senate has no other use in localnet.
 */
function joinSenateIfEligible(ctx: RuntimeContext, hotkey: AccountId): void {
  const members = senate().get(ctx.state);
  if (members.includes(hotkey)) throw stErr('HotKeyAlreadyRegisteredInSubNet', 'the hotkey is already a senate member');
  if (members.length < SENATE_MAX_MEMBERS) {
    senate().set(ctx.state, [...members, hotkey].sort());
    ctx.deposit({ SenateMembers: 'MemberAdded' });
    return;
  }
  const weakest = weakestSenator(ctx, members);
  if (totalHotkeyStake(ctx, weakest) >= totalHotkeyStake(ctx, hotkey)) return;
  senate().set(ctx.state, members.map((m) => (m === weakest ? hotkey : m)).sort());
  ctx.deposit({ SenateMembers: 'MembersSwapped' });
}

/**
 * §4.2 seat assignment through root-network/membership.ts: append below `MaxAllowedUids[0]`, else
 * replace the lowest-stake member (first in uid order on ties) if `hotkey` has strictly more
 * `TotalHotkeyStake` (`StakeTooLowForRoot`). Returns the uid.
 */
function takeRootSeat(ctx: RuntimeContext, hotkey: AccountId): number {
  const s = st();
  const maxSeats = s.MaxAllowedUids.get(ctx.state, ROOT_NETUID);
  if (maxSeats === 0) throw stErr('HotKeyNotRegisteredInSubNet', 'the root network has no seats (MaxAllowedUids[0] = 0)');
  const members = s.Keys.entries(ctx.state, ROOT_NETUID).map(([[, uid], member]) => ({ uid, hotkey: member, stake: totalHotkeyStake(ctx, member) }));
  const decision = decideRootSeat(members, { hotkey, stake: totalHotkeyStake(ctx, hotkey) }, maxSeats);
  switch (decision.kind) {
    case 'append':
      return appendNeuron(ctx, ROOT_NETUID, hotkey);
    case 'replace':
      replaceNeuron(ctx, ROOT_NETUID, decision.uid, hotkey);
      return decision.uid;
    case 'rejected':
      throw stErr(decision.reason, decision.reason === 'StakeTooLowForRoot' ? 'the weakest root member has at least as much stake' : undefined);
  }
}

/**
 * `root_register(hotkey)` signed by a coldkey (spec §4.2, checks in order): appends to the root
 * network below `MaxAllowedUids[0]` or replaces its lowest-stake member, joins the senate, makes
 * the hotkey a delegate (take 11796) if it is not one, counts the registration and emits
 * `NeuronRegistered(0, uid, hotkey)`. No cost.
 */
export function rootRegister(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  const s = st();
  const maxPerBlock = s.MaxRegistrationsPerBlock.get(ctx.state, ROOT_NETUID);
  if (s.RegistrationsThisBlock.get(ctx.state, ROOT_NETUID) >= maxPerBlock) throw stErr('TooManyRegistrationsThisBlock', `at most ${maxPerBlock} root registrations per block`);
  const maxPerInterval = Math.min(s.TargetRegistrationsPerInterval.get(ctx.state, ROOT_NETUID) * 3, U16_MAX);
  if (s.RegistrationsThisInterval.get(ctx.state, ROOT_NETUID) >= maxPerInterval) throw stErr('TooManyRegistrationsThisInterval', `at most ${maxPerInterval} root registrations per interval`);
  if (s.Uids.has(ctx.state, ROOT_NETUID, hotkey)) throw stErr('HotKeyAlreadyRegisteredInSubNet');
  createAccountIfNonExistent(ctx, coldkey, hotkey);
  const uid = takeRootSeat(ctx, hotkey);
  joinSenateIfEligible(ctx, hotkey);
  if (!s.Delegates.has(ctx.state, hotkey)) s.Delegates.set(ctx.state, hotkey, ROOT_DELEGATE_TAKE);
  for (const counter of [s.RegistrationsThisInterval, s.RegistrationsThisBlock]) counter.set(ctx.state, ROOT_NETUID, satIncU16(counter.get(ctx.state, ROOT_NETUID)));
  ctx.deposit({ SubtensorModule: { NeuronRegistered: [ROOT_NETUID, uid, hotkey] } });
}

// ---- call table -------------------------------------------------------------------------------------

interface SetSubnetIdentityArgs extends SubnetIdentity {
  netuid: number;
}
interface DissolveNetworkArgs {
  coldkey: AccountId;
  netuid: number;
}

/** Call args arrive decoded from the metadata's types, so their shape is known. */
const argsAs = <T>(args: Record<string, unknown>): T => args as unknown as T;

export const networkCalls: CallTable = {
  /** `register_network` (call 59, spec §4.4). */
  register_network(ctx, origin) {
    registerNetwork(ctx, ensureSigned(origin), null);
  },
  /** `register_network_with_identity` (call 79, spec §4.4). */
  register_network_with_identity(ctx, origin, args) {
    registerNetwork(ctx, ensureSigned(origin), argsAs<{ identity: SubnetIdentity | null }>(args).identity);
  },
  /** `dissolve_network` (call 61, root origin, spec §4.4). */
  dissolve_network(ctx, origin, args) {
    ensureRoot(origin);
    const a = argsAs<DissolveNetworkArgs>(args);
    dissolveNetwork(ctx, a.coldkey, a.netuid);
  },
  /** `root_register` (call 62, spec §4.2): the root network's existence is checked before the origin. */
  root_register(ctx, origin, args) {
    if (!networkExists(ctx, ROOT_NETUID)) throw stErr('RootNetworkDoesNotExist');
    rootRegister(ctx, ensureSigned(origin), argsAs<{ hotkey: AccountId }>(args).hotkey);
  },
  /** `set_identity` (call 68). */
  set_identity(ctx, origin, args) {
    const { name, url, image, discord, description, additional } = argsAs<ChainIdentity>(args);
    setIdentity(ctx, ensureSigned(origin), { name, url, image, discord, description, additional });
  },
  /** `set_subnet_identity` (call 78). */
  set_subnet_identity(ctx, origin, args) {
    const { netuid, subnet_name, github_repo, subnet_contact } = argsAs<SetSubnetIdentityArgs>(args);
    setSubnetIdentity(ctx, ensureSigned(origin), netuid, { subnet_name, github_repo, subnet_contact });
  },
};
