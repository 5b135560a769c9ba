/**
 * Block step 2, `run_coinbase` (spec §2 step 2): the root epoch sets each subnet's per-block
 * emission, subnets accrue it, each subnet drains it through its Yuma epoch on its tempo, and hotkeys
 * pass their accumulated emission on to their nominators at their drain block.
 *
 * Commit-reveal v3 reveals (§2 step 3a, §7.2) need drand pulses, which localnet does not have: subnets
 * with `CommitRevealWeightsEnabled` run their epoch without revealing CRv3 commits.
 */
import { hexToU8a } from '@polkadot/util';
import { keccakAsU8a } from '@polkadot/util-crypto';
import { blockEmission, TOTAL_SUPPLY } from '../../../../consensus/emission';
import { drainHotkeyEmission } from '../../../../consensus/drain';
import { ConsensusError } from '../../../../consensus/errors';
import { I96F32, div, fromInt, mul, toIntFloor } from '../../../../consensus/fixed/bigint';
import { FixedPointError } from '../../../../consensus/fixed/transcendental';
import { rootEpoch } from '../../../../consensus/root';
import type { SparseU16Row } from '../../../../consensus/types';
import { accruePendingEmission as accrueRule, isEpochBlock, splitSubnetEmission } from '../../../../root-network/emission';
import type { RuntimeContext } from '../../context';
import type { AccountId } from '../../primitives';
import type { StorageItem } from '../../storage';
import type { HexKey } from '../../../state/types';
import { depositCreating } from '../balances';
import { ROOT_NETUID, U64_MAX, blockNumber, increaseStake, totalHotkeyStake } from './common';
import { runSubnetEpoch, type HotkeyEpochEmission } from './epoch';
import { st } from './items';
import { applyPendingChildKeys } from './staking';

const satAdd = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);
const satSub = (a: bigint, b: bigint): bigint => (a > b ? a - b : 0n);

/** `TotalIssuance += amount` (the pallet's `coinbase`, saturating). */
function mintIssuance(ctx: RuntimeContext, amount: bigint): void {
  const { TotalIssuance } = st();
  TotalIssuance.set(ctx.state, satAdd(TotalIssuance.get(ctx.state), amount));
}

/** `should_run_epoch` (§2.1): the schedule lives in root-network/emission.ts. */
export { isEpochBlock };

/** `get_all_subnet_netuids`: the keys of `NetworksAdded` in storage iteration order (ascending below 256). */
function allNetuids(ctx: RuntimeContext): number[] {
  return st().NetworksAdded.keys(ctx.state).map(([netuid]) => netuid);
}

/** `is_registration_allowed`: the subnet exists and `NetworkRegistrationAllowed` is set. */
function registrationAllowed(ctx: RuntimeContext, netuid: number): boolean {
  const s = st();
  return s.NetworksAdded.get(ctx.state, netuid) && s.NetworkRegistrationAllowed.get(ctx.state, netuid);
}

// ---- 1. root epoch (§4.1) ------------------------------------------------------------------------

/**
 * `get_block_emission` (spec §5) at the current `TotalIssuance`; writes `BlockEmission` when it is
 * computed and differs (at or above the total supply the chain returns 0 without writing).
 * Throws `FixedPointError` where the chain's logarithm fails.
 */
function currentBlockEmission(ctx: RuntimeContext): bigint {
  const s = st();
  const issuance = s.TotalIssuance.get(ctx.state);
  const emission = blockEmission(issuance);
  if (issuance < TOTAL_SUPPLY && s.BlockEmission.get(ctx.state) !== emission) s.BlockEmission.set(ctx.state, emission);
  return emission;
}

/**
 * `root_epoch(b)` (spec §4.1) when it is due: sets `EmissionValues` of every network from the root
 * validators' stake-weighted votes. Its aborts (no root uids, no networks, block-emission failure, zero
 * root stake, `exp` overflow) leave `EmissionValues` as they were; `BlockEmission` is written before the
 * stake check, as on chain.
 */
function runRootEpochIfDue(ctx: RuntimeContext, block: bigint, netuids: readonly number[]): void {
  const s = st();
  const view = ctx.state;
  if (!isEpochBlock(ROOT_NETUID, s.Tempo.get(view, ROOT_NETUID), block)) return;
  const n = s.SubnetworkN.get(view, ROOT_NETUID);
  if (n === 0 || netuids.length === 0) return;
  try {
    const emission = currentBlockEmission(ctx);
    const stake = new Array<bigint>(n).fill(0n);
    for (const [[, uid], hotkey] of s.Keys.entries(view, ROOT_NETUID)) if (uid < n) stake[uid] = totalHotkeyStake(ctx, hotkey);
    const weights: SparseU16Row[] = Array.from({ length: n }, () => []);
    for (const [[, uid], row] of s.Weights.entries(view, ROOT_NETUID)) if (uid < n) weights[uid] = row;
    const out = rootEpoch({ stake, weights, networks: netuids, blockEmission: emission, kappa: s.Kappa.get(view, ROOT_NETUID), rho: s.Rho.get(view, ROOT_NETUID) });
    for (const [netuid, value] of out.emissionValues) s.EmissionValues.set(view, netuid, value);
  } catch (err) {
    if (err instanceof ConsensusError || err instanceof FixedPointError) return;
    throw err;
  }
}

// ---- 2. pending emission --------------------------------------------------------------------------

/** Every subnet ≠ 0 with registration allowed accrues its `EmissionValues` (spec §2 step 2.2). */
function accruePendingEmission(ctx: RuntimeContext, netuids: readonly number[]): void {
  const s = st();
  const accrued = accrueRule(
    netuids.map((netuid) => ({
      netuid,
      registrationAllowed: registrationAllowed(ctx, netuid),
      emissionValue: s.EmissionValues.get(ctx.state, netuid),
      pending: s.PendingEmission.get(ctx.state, netuid),
    })),
  );
  for (const [netuid, pending] of accrued) if (netuid !== ROOT_NETUID && registrationAllowed(ctx, netuid)) s.PendingEmission.set(ctx.state, netuid, pending);
}

// ---- 3. subnet epochs -----------------------------------------------------------------------------

/**
 * The subnet owner's cut (spec §2 step 3e): `⌊E · (SubnetOwnerCut / 65535)⌋` in I96F32, minted to the
 * owner coldkey's free balance and to `TotalIssuance`. Returns what is left for the epoch.
 */
function payOwnerCut(ctx: RuntimeContext, netuid: number, emission: bigint): bigint {
  const s = st();
  const hasOwner = s.SubnetOwner.has(ctx.state, netuid);
  const { ownerCut, toYuma } = splitSubnetEmission(emission, s.SubnetOwnerCut.get(ctx.state), hasOwner);
  if (hasOwner) {
    depositCreating(ctx, s.SubnetOwner.get(ctx.state, netuid), ownerCut);
    mintIssuance(ctx, ownerCut);
  }
  return toYuma;
}

/** Memo of a hotkey's `Blake2_128Concat` key encoding (hex digits after the item prefix): one hash per hotkey, not per access. */
const hotkeyKeySuffixes = new Map<AccountId, string>();

/** The raw key of `item[hotkey]`; items keyed by one `Blake2_128Concat` account share the memoized suffix. */
function hotkeyMapKey(item: StorageItem<[AccountId], bigint>, hotkey: AccountId): HexKey {
  const { hashers } = item.entry;
  if (hashers.length !== 1 || hashers[0] !== 'Blake2_128Concat') return item.key(hotkey);
  const prefix = item.prefix();
  let suffix = hotkeyKeySuffixes.get(hotkey);
  if (suffix === undefined) {
    suffix = item.key(hotkey).slice(prefix.length);
    hotkeyKeySuffixes.set(hotkey, suffix);
  }
  return `${prefix}${suffix}`;
}

/**
 * `item[hotkey] += amount` (saturating) for a u64 `ValueQuery` map whose default is 0. Like the
 * chain's `mutate`, it stores the entry even when adding 0.
 */
function addToHotkeyCounter(ctx: RuntimeContext, item: StorageItem<[AccountId], bigint>, hotkey: AccountId, amount: bigint): void {
  const key = hotkeyMapKey(item, hotkey);
  const bytes = ctx.state.get(key);
  const current = bytes === null ? 0n : item.valueCodec.decodeAll(bytes);
  ctx.state.set(key, item.valueCodec.encode(satAdd(current, amount)));
}

/** `PendingdHotkeyEmission[hotkey] += amount` (and the untouchable part when `untouchable` is given). */
function addPendingHotkeyEmission(ctx: RuntimeContext, hotkey: AccountId, amount: bigint, untouchable?: bigint): void {
  const s = st();
  addToHotkeyCounter(ctx, s.PendingdHotkeyEmission, hotkey, amount);
  if (untouchable !== undefined) addToHotkeyCounter(ctx, s.PendingdHotkeyEmissionUntouchable, hotkey, untouchable);
}

/**
 * `accumulate_hotkey_emission(h, netuid, validator, server)` (spec §8.2): each parent gets its
 * stake-proportional part of the validator emission minus the child's take; the rest, the child take
 * and the miner emission stay on `h`, the latter two untouchable by its nominators.
 * `stake` is `stake_on_subnet(h, netuid)`, unchanged since the epoch read it.
 */
function accumulateHotkeyEmission(ctx: RuntimeContext, netuid: number, payout: HotkeyEpochEmission): void {
  const s = st();
  const { hotkey, validator, server, stake } = payout;
  const T = I96F32;
  let remaining = validator;
  let totalChildkeyTake = 0n;
  if (stake !== 0n && payout.hasParents) {
    const childkeyTake = div(T, fromInt(T, s.ChildkeyTake.get(ctx.state, hotkey, netuid)), fromInt(T, 65535));
    for (const [proportion, parent] of s.ParentKeys.get(ctx.state, hotkey, netuid)) {
      const share = div(T, fromInt(T, proportion), fromInt(T, U64_MAX));
      const stakeFromParent = mul(T, fromInt(T, totalHotkeyStake(ctx, parent)), share);
      const parentEmission = mul(T, div(T, stakeFromParent, fromInt(T, stake)), fromInt(T, validator));
      const take = toIntFloor(T, mul(T, childkeyTake, parentEmission));
      const give = satSub(toIntFloor(T, parentEmission), take);
      totalChildkeyTake = satAdd(totalChildkeyTake, take);
      addPendingHotkeyEmission(ctx, parent, give);
      remaining = satSub(satSub(remaining, give), take);
    }
  }
  const untouchable = satAdd(totalChildkeyTake, server);
  addPendingHotkeyEmission(ctx, hotkey, satAdd(remaining, untouchable), untouchable);
}

/**
 * One subnet's epoch block (spec §2 step 3, c–g): drain `PendingEmission`, reset the step counters,
 * and — for a subnet other than root that allows registration — pay the owner cut, run the Yuma epoch,
 * accumulate each uid's payout on its hotkey, then apply matured pending child keys (the chain does
 * this last, after the epoch, so new children count from the next epoch on).
 */
function runSubnetStep(ctx: RuntimeContext, netuid: number, block: bigint): void {
  const s = st();
  const pending = s.PendingEmission.get(ctx.state, netuid);
  s.PendingEmission.set(ctx.state, netuid, 0n);
  s.BlocksSinceLastStep.set(ctx.state, netuid, 0n);
  s.LastMechansimStepBlock.set(ctx.state, netuid, block);
  if (netuid === ROOT_NETUID || !registrationAllowed(ctx, netuid)) return;
  const emission = payOwnerCut(ctx, netuid, pending);
  for (const payout of runSubnetEpoch(ctx, netuid, emission)) accumulateHotkeyEmission(ctx, netuid, payout);
  applyPendingChildKeys(ctx, netuid);
}

// ---- 4. nominator drain (§8.3) ---------------------------------------------------------------------

/** Memo of {@link hotkeyDrainHash}: a pure function of the hotkey, needed for every pending hotkey every block. */
const drainHashes = new Map<AccountId, bigint>();

/** `hash_hotkey_to_u64`: the first 8 bytes (little-endian) of keccak256(hotkey ‖ 32 zero bytes). */
export function hotkeyDrainHash(hotkey: AccountId): bigint {
  let h = drainHashes.get(hotkey);
  if (h === undefined) {
    const preimage = new Uint8Array(64);
    preimage.set(hexToU8a(hotkey));
    const hash = keccakAsU8a(preimage, 256);
    h = new DataView(hash.buffer, hash.byteOffset, 8).getBigUint64(0, true);
    drainHashes.set(hotkey, h);
  }
  return h;
}

/** `should_drain_hotkey`: `b mod (T+1) = h64 mod (T+1)` with `T = HotkeyEmissionTempo` (T+1 saturating). */
function isDrainBlock(hotkey: AccountId, block: bigint, emissionTempo: bigint): boolean {
  const period = satAdd(emissionTempo, 1n);
  return block % period === hotkeyDrainHash(hotkey) % period;
}

/**
 * `drain_hotkey_emission(h, e)` (spec §8.3): the pending emission becomes stake of the hotkey's
 * nominators and owner; the pending maps and stake deltas are cleared. Returns the rao minted.
 */
function drainHotkey(ctx: RuntimeContext, hotkey: AccountId, emission: bigint, block: bigint): bigint {
  const s = st();
  const view = ctx.state;
  const untouchable = s.PendingdHotkeyEmissionUntouchable.get(view, hotkey);
  s.PendingdHotkeyEmission.set(view, hotkey, 0n);
  s.PendingdHotkeyEmissionUntouchable.set(view, hotkey, 0n);
  s.LastHotkeyEmissionDrain.set(view, hotkey, block);
  const out = drainHotkeyEmission({
    emission,
    untouchable,
    delegateTake: s.Delegates.get(view, hotkey),
    owner: s.Owner.get(view, hotkey),
    stakes: s.Stake.entries(view, hotkey).map(([[, coldkey], stake]) => [coldkey, stake] as const),
    stakeDeltas: s.StakeDeltaSinceLastEmissionDrain.entries(view, hotkey).map(([[, coldkey], delta]) => [coldkey, delta] as const),
  });
  for (const [coldkey, amount] of out.stakeIncrements) increaseStake(ctx, coldkey as AccountId, hotkey, amount);
  s.StakeDeltaSinceLastEmissionDrain.clear(view, hotkey);
  return out.minted;
}

/** Every hotkey with pending emission at its drain block pays out (spec §2 step 4); issuance grows by what is minted. */
function drainHotkeyEmissions(ctx: RuntimeContext, block: bigint): void {
  const s = st();
  const emissionTempo = s.HotkeyEmissionTempo.get(ctx.state);
  for (const [[hotkey], pending] of s.PendingdHotkeyEmission.entries(ctx.state)) {
    if (pending === 0n || !isDrainBlock(hotkey, block, emissionTempo)) continue;
    mintIssuance(ctx, drainHotkey(ctx, hotkey, pending, block));
  }
}

// ---- the block step ---------------------------------------------------------------------------------

/**
 * `run_coinbase()` (spec §2 step 2), run in `on_initialize` of every block: (1) the root epoch on its
 * schedule, (2) pending-emission accrual, (3) subnet epochs on their tempo (`BlocksSinceLastStep`
 * counts the others), (4) nominator drains.
 */
export function runCoinbase(ctx: RuntimeContext): void {
  const block = blockNumber(ctx);
  const netuids = allNetuids(ctx);
  runRootEpochIfDue(ctx, block, netuids);
  accruePendingEmission(ctx, netuids);
  const s = st();
  for (const netuid of netuids) {
    if (isEpochBlock(netuid, s.Tempo.get(ctx.state, netuid), block)) runSubnetStep(ctx, netuid, block);
    else s.BlocksSinceLastStep.set(ctx.state, netuid, satAdd(s.BlocksSinceLastStep.get(ctx.state, netuid), 1n));
  }
  drainHotkeyEmissions(ctx, block);
}
