/**
 * Shared pieces of the subtensor pallet (pre-dTAO opentensor/subtensor): typed errors,
 * account ownership, stake bookkeeping (§8.1), stake on a subnet (§3.1) and neuron slots (§6.2).
 * Every section (registration, weights, staking, serving, networks, coinbase) builds on these.
 */
import { I96F32, div as divFixed, fromInt, mul as mulFixed } from '../../../../consensus/fixed/bigint';
import type { RuntimeContext } from '../../context';
import { moduleError, type DispatchError } from '../../errors';
import type { AccountId } from '../../primitives';
import { depositCreating } from '../balances';
import { st } from './items';

export const U64_MAX = (1n << 64n) - 1n;
export const ROOT_NETUID = 0;

/** The pallet error `name` (an `Error` variant of `SubtensorModule` in the metadata), with a readable detail. */
export function stErr(name: string, detail?: string): DispatchError {
  return moduleError('SubtensorModule', name, detail);
}

/** The current block number as the pallet sees it (u64). */
export function blockNumber(ctx: RuntimeContext): bigint {
  return BigInt(ctx.block.number);
}

export function networkExists(ctx: RuntimeContext, netuid: number): boolean {
  return st().NetworksAdded.get(ctx.state, netuid);
}

export function ensureNetworkExists(ctx: RuntimeContext, netuid: number): void {
  if (!networkExists(ctx, netuid)) throw stErr('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
}

// ---- accounts -------------------------------------------------------------------------------------

/** Whether `Owner[hotkey]` is set (the hotkey "account exists"). */
export function hotkeyAccountExists(ctx: RuntimeContext, hotkey: AccountId): boolean {
  return st().Owner.has(ctx.state, hotkey);
}

export function coldkeyOwnsHotkey(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): boolean {
  return hotkeyAccountExists(ctx, hotkey) && st().Owner.get(ctx.state, hotkey) === coldkey;
}

/** `create_account_if_non_existent`: records `coldkey` as the owner of a new hotkey. */
export function createAccountIfNonExistent(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  const s = st();
  if (hotkeyAccountExists(ctx, hotkey)) return;
  s.Owner.set(ctx.state, hotkey, coldkey);
  const owned = s.OwnedHotkeys.get(ctx.state, coldkey);
  if (!owned.includes(hotkey)) s.OwnedHotkeys.set(ctx.state, coldkey, [...owned, hotkey]);
  const staking = s.StakingHotkeys.get(ctx.state, coldkey);
  if (!staking.includes(hotkey)) s.StakingHotkeys.set(ctx.state, coldkey, [...staking, hotkey]);
}

// ---- stake (§8.1) ---------------------------------------------------------------------------------

const sat = (x: bigint): bigint => (x < 0n ? 0n : x > U64_MAX ? U64_MAX : x);

export function stakeOf(ctx: RuntimeContext, hotkey: AccountId, coldkey: AccountId): bigint {
  return st().Stake.get(ctx.state, hotkey, coldkey);
}

export function totalHotkeyStake(ctx: RuntimeContext, hotkey: AccountId): bigint {
  return st().TotalHotkeyStake.get(ctx.state, hotkey);
}

/** Adds `amount` to `Stake[hotkey][coldkey]` and the running totals (no balance movement). */
export function increaseStake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, amount: bigint): void {
  if (amount === 0n) return;
  const s = st();
  s.Stake.set(ctx.state, hotkey, coldkey, sat(s.Stake.get(ctx.state, hotkey, coldkey) + amount));
  s.TotalHotkeyStake.set(ctx.state, hotkey, sat(s.TotalHotkeyStake.get(ctx.state, hotkey) + amount));
  s.TotalColdkeyStake.set(ctx.state, coldkey, sat(s.TotalColdkeyStake.get(ctx.state, coldkey) + amount));
  s.TotalStake.set(ctx.state, sat(s.TotalStake.get(ctx.state) + amount));
  const staking = s.StakingHotkeys.get(ctx.state, coldkey);
  if (!staking.includes(hotkey)) s.StakingHotkeys.set(ctx.state, coldkey, [...staking, hotkey]);
}

/** Removes `amount` from `Stake[hotkey][coldkey]` and the totals (saturating; no balance movement). */
export function decreaseStake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, amount: bigint): void {
  if (amount === 0n) return;
  const s = st();
  const left = sat(s.Stake.get(ctx.state, hotkey, coldkey) - amount);
  if (left === 0n) s.Stake.remove(ctx.state, hotkey, coldkey);
  else s.Stake.set(ctx.state, hotkey, coldkey, left);
  s.TotalHotkeyStake.set(ctx.state, hotkey, sat(s.TotalHotkeyStake.get(ctx.state, hotkey) - amount));
  s.TotalColdkeyStake.set(ctx.state, coldkey, sat(s.TotalColdkeyStake.get(ctx.state, coldkey) - amount));
  s.TotalStake.set(ctx.state, sat(s.TotalStake.get(ctx.state) - amount));
}

/**
 * Returns every nominator's stake on `hotkey` to its coldkey's free balance (§6.2: a hotkey
 * deregistered from its last network). Stake leaves `TotalStake`; the balances mint it back, so
 * subtensor's `TotalIssuance` is unchanged.
 */
export function unstakeAllFromHotkey(ctx: RuntimeContext, hotkey: AccountId): void {
  for (const [[, coldkey], amount] of st().Stake.entries(ctx.state, hotkey)) {
    decreaseStake(ctx, coldkey, hotkey, amount);
    depositCreating(ctx, coldkey, amount);
  }
}

/**
 * `get_stake_for_hotkey_on_subnet` (§3.1): own stake minus what it lends to children plus what parents
 * lend it (proportions floored to 32 fractional bits, I96F32), capped by `NetworkMaxStake`.
 */
export function stakeOnSubnet(ctx: RuntimeContext, hotkey: AccountId, netuid: number): bigint {
  const s = st();
  const own = s.TotalHotkeyStake.get(ctx.state, hotkey);
  const share = (stake: bigint, proportion: bigint): bigint => {
    const p = divFixed(I96F32, fromInt(I96F32, proportion), fromInt(I96F32, U64_MAX));
    return mulFixed(I96F32, fromInt(I96F32, stake), p) >> 32n;
  };
  let toChildren = 0n;
  for (const [proportion] of s.ChildKeys.get(ctx.state, hotkey, netuid)) toChildren += share(own, proportion);
  let fromParents = 0n;
  for (const [proportion, parent] of s.ParentKeys.get(ctx.state, hotkey, netuid)) fromParents += share(s.TotalHotkeyStake.get(ctx.state, parent), proportion);
  const stake = sat(sat(own - toChildren) + fromParents);
  const cap = s.NetworkMaxStake.get(ctx.state, netuid);
  return stake < cap ? stake : cap;
}

// ---- neurons (§6.2) -------------------------------------------------------------------------------

/** Per-uid vectors that `append_neuron` extends. */
function pushDefault<T>(ctx: RuntimeContext, item: { get(v: RuntimeContext['state'], n: number): T[]; set(v: RuntimeContext['state'], n: number, value: T[]): void }, netuid: number, value: T): void {
  item.set(ctx.state, netuid, [...item.get(ctx.state, netuid), value]);
}

/** Sets entry `uid` of a per-uid vector, extending it with `fill` when it is shorter. */
export function setVecEntry<T>(ctx: RuntimeContext, item: { get(v: RuntimeContext['state'], n: number): T[]; set(v: RuntimeContext['state'], n: number, value: T[]): void }, netuid: number, uid: number, value: T, fill: T): void {
  const vec = [...item.get(ctx.state, netuid)];
  while (vec.length <= uid) vec.push(fill);
  vec[uid] = value;
  item.set(ctx.state, netuid, vec);
}

/** `append_neuron`: a new uid at the end of the subnet. Returns the uid. */
export function appendNeuron(ctx: RuntimeContext, netuid: number, hotkey: AccountId): number {
  const s = st();
  const uid = s.SubnetworkN.get(ctx.state, netuid);
  const block = blockNumber(ctx);
  s.SubnetworkN.set(ctx.state, netuid, uid + 1);
  for (const vec of [s.Rank, s.Trust, s.Consensus, s.Incentive, s.Dividends, s.PruningScores, s.ValidatorTrust]) pushDefault(ctx, vec, netuid, 0);
  pushDefault(ctx, s.Emission, netuid, 0n);
  pushDefault(ctx, s.Active, netuid, true);
  pushDefault(ctx, s.ValidatorPermit, netuid, false);
  pushDefault(ctx, s.LastUpdate, netuid, block);
  s.Keys.set(ctx.state, netuid, uid, hotkey);
  s.Uids.set(ctx.state, netuid, hotkey, uid);
  s.BlockAtRegistration.set(ctx.state, netuid, uid, block);
  s.IsNetworkMember.set(ctx.state, hotkey, netuid, true);
  return uid;
}

/**
 * Whether `hotkey` holds a uid on any existing network (`Uids`, as the runtime checks;
 * `IsNetworkMember` survives `remove_network` and would over-report).
 */
export function isRegisteredAnywhere(ctx: RuntimeContext, hotkey: AccountId): boolean {
  const s = st();
  return s.NetworksAdded.entries(ctx.state).some(([[netuid], added]) => added && s.Uids.has(ctx.state, netuid, hotkey));
}

/**
 * `replace_neuron`: `uid` now belongs to `newHotkey`. The old hotkey loses its membership; if it is on
 * no network any more, all its stake goes back to the nominators' coldkeys. Weights, bonds,
 * `LastUpdate`, permits and the u16 vectors of the uid are kept (spec §6.2, §13.6).
 */
export function replaceNeuron(ctx: RuntimeContext, netuid: number, uid: number, newHotkey: AccountId): void {
  const s = st();
  const old = s.Keys.get(ctx.state, netuid, uid);
  s.Uids.remove(ctx.state, netuid, old);
  s.IsNetworkMember.remove(ctx.state, old, netuid);
  s.NeuronCertificates.remove(ctx.state, netuid, old);
  if (!isRegisteredAnywhere(ctx, old)) unstakeAllFromHotkey(ctx, old);
  setVecEntry(ctx, s.Active, netuid, uid, true, true);
  s.Keys.set(ctx.state, netuid, uid, newHotkey);
  s.Uids.set(ctx.state, netuid, newHotkey, uid);
  s.BlockAtRegistration.set(ctx.state, netuid, uid, blockNumber(ctx));
  s.IsNetworkMember.set(ctx.state, newHotkey, netuid, true);
}

/**
 * `get_neuron_to_prune`: the lowest pruning score among non-immune uids (ties: earlier registration,
 * then lower uid); if every uid is immune, the same rule over all. The chosen uid's score becomes 65535.
 */
export function neuronToPrune(ctx: RuntimeContext, netuid: number): number {
  const s = st();
  const n = s.SubnetworkN.get(ctx.state, netuid);
  if (n === 0) return 0;
  const scores = s.PruningScores.get(ctx.state, netuid);
  const immunity = BigInt(s.ImmunityPeriod.get(ctx.state, netuid));
  const now = blockNumber(ctx);
  let best: { uid: number; score: number; reg: bigint; immune: boolean } | undefined;
  for (let uid = 0; uid < n; uid++) {
    const reg = s.BlockAtRegistration.get(ctx.state, netuid, uid);
    const cand = { uid, score: scores[uid] ?? 65535, reg, immune: now - reg < immunity };
    if (
      !best ||
      (best.immune && !cand.immune) ||
      (best.immune === cand.immune && (cand.score < best.score || (cand.score === best.score && cand.reg < best.reg)))
    ) {
      best = cand;
    }
  }
  setVecEntry(ctx, s.PruningScores, netuid, best!.uid, 65535, 0);
  return best!.uid;
}

// ---- networks (§4.4 step 4, §10 "init" column) ------------------------------------------------------

/**
 * `init_new_network(netuid, tempo)`: marks the network added and writes the hyperparameters that
 * `register_network` gives a new subnet (spec §10, column "init"). Items the runtime leaves alone
 * (Rho, WeightsVersionKey, WeightsSetRateLimit, Burn, MaxBurn, BondsMovingAverage,
 * MaxRegistrationsPerBlock, ServingRateLimit) are not written: a fresh netuid reads their defaults,
 * which equal the "init" values, and a reused netuid inherits them (§4.4, §13.7). Does not set owner,
 * lock or registration block (the caller does).
 */
export function initNewNetwork(state: RuntimeContext['state'], netuid: number, tempo: number): void {
  const s = st();
  s.Tempo.set(state, netuid, tempo);
  s.NetworksAdded.set(state, netuid, true);
  s.TotalNetworks.set(state, s.TotalNetworks.get(state) + 1);
  s.SubnetworkN.set(state, netuid, 0);
  s.NetworkModality.set(state, netuid, 0);
  s.NetworkRegistrationAllowed.set(state, netuid, true);
  s.Kappa.set(state, netuid, 32767);
  s.ImmunityPeriod.set(state, netuid, 5000);
  s.MinAllowedWeights.set(state, netuid, 1);
  s.MaxWeightsLimit.set(state, netuid, 65535);
  s.MinDifficulty.set(state, netuid, U64_MAX);
  s.MaxDifficulty.set(state, netuid, U64_MAX);
  s.AdjustmentInterval.set(state, netuid, 360);
  s.ActivityCutoff.set(state, netuid, 5000);
  s.TargetRegistrationsPerInterval.set(state, netuid, 1);
  s.MinBurn.set(state, netuid, 1n);
  s.MaxAllowedValidators.set(state, netuid, 64);
  s.AdjustmentAlpha.set(state, netuid, 17_893_341_751_498_265_066n);
  s.Difficulty.set(state, netuid, 10_000_000n);
  s.MaxAllowedUids.set(state, netuid, 256);
  // The runtime stores these explicitly (current value, default when absent).
  for (const item of [s.EmissionValues, s.RegistrationsThisInterval, s.POWRegistrationsThisInterval, s.BurnRegistrationsThisInterval] as const) {
    const explicit = item as unknown as { has(v: typeof state, n: number): boolean; get(v: typeof state, n: number): unknown; set(v: typeof state, n: number, value: unknown): void };
    if (!explicit.has(state, netuid)) explicit.set(state, netuid, explicit.get(state, netuid));
  }
}
