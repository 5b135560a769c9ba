/**
 * Staking, delegation and child keys (spec §8.1, §8.4): `add_stake`, `remove_stake`,
 * `become_delegate`, `decrease_take`, `increase_take`, `set_children` (scheduled, applied by
 * {@link applyPendingChildKeys} at the subnet's epoch), `set_childkey_take` and the root-only
 * child-key-take setters. Also the coldkey balance moves the pallet makes
 * (`remove_balance_from_coldkey_account` / `add_balance_to_coldkey_account`), shared with networks.ts.
 */
import type { RuntimeContext } from '../../context';
import type { CallTable } from '../../dispatch';
import type { AccountId } from '../../primitives';
import { EXISTENTIAL_DEPOSIT, depositCreating, freeBalance, withdraw } from '../balances';
import { ensureRoot, ensureSigned } from '../system';
import { ROOT_NETUID, U64_MAX, blockNumber, coldkeyOwnsHotkey, decreaseStake, hotkeyAccountExists, increaseStake, networkExists, stErr, stakeOf, totalHotkeyStake } from './common';
import { st } from './items';

const I128_MAX = (1n << 127n) - 1n;
const I128_MIN = -(1n << 127n);

/** §8.4: at most this many children per (hotkey, netuid). */
const MAX_CHILDREN = 5;
/** §8.4: `set_children` may run once per this many blocks per (hotkey, netuid). */
const SET_CHILDREN_RATE_LIMIT = 150n;
/** §8.4: `DefaultPendingCooldown` (7200 blocks) between scheduling children and applying them. */
const PENDING_CHILDKEY_COOLDOWN = 7200n;

/** `TransactionType` as stored in the third key of `TransactionKeyLastBlock`. */
const TX_SET_CHILDREN = 0;
const TX_SET_CHILDKEY_TAKE = 1;

/** A child key and the u64 share (`/ u64::MAX`) of the parent's stake it receives. */
export type ChildKey = readonly [proportion: bigint, child: AccountId];

const clampI128 = (x: bigint): bigint => (x > I128_MAX ? I128_MAX : x < I128_MIN ? I128_MIN : x);
const satAddU64 = (a: bigint, b: bigint): bigint => (a + b > U64_MAX ? U64_MAX : a + b);

// ---- coldkey balance moves (§8.1) -------------------------------------------------------------------

/**
 * `can_remove_balance_from_coldkey_account` (§8.1): the free balance covers `amount` (the account
 * may be reaped by it; localnet accounts carry no consumers, so `can_withdraw` adds nothing).
 */
export function canRemoveBalance(ctx: RuntimeContext, coldkey: AccountId, amount: bigint): boolean {
  return amount <= freeBalance(ctx, coldkey);
}

/**
 * `remove_balance_from_coldkey_account` (§8.1): a best-effort withdrawal that keeps the existential
 * deposit (`Preservation::Preserve`), so it may take less than `amount`. Returns what it took; a
 * non-zero request that takes nothing fails with `ZeroBalanceAfterWithdrawn`.
 */
export function removeBalanceFromColdkey(ctx: RuntimeContext, coldkey: AccountId, amount: bigint): bigint {
  if (amount === 0n) return 0n;
  const free = freeBalance(ctx, coldkey);
  const reducible = free > EXISTENTIAL_DEPOSIT ? free - EXISTENTIAL_DEPOSIT : 0n;
  const taken = amount < reducible ? amount : reducible;
  if (taken === 0n) throw stErr('ZeroBalanceAfterWithdrawn', `${coldkey} has nothing above the existential deposit`);
  withdraw(ctx, coldkey, taken, true);
  return taken;
}

/** `add_balance_to_coldkey_account` (§8.1): a best-effort mint (dropped for a new account below the existential deposit). */
export function addBalanceToColdkey(ctx: RuntimeContext, coldkey: AccountId, amount: bigint): void {
  depositCreating(ctx, coldkey, amount);
}

// ---- add_stake / remove_stake (§8.1) ----------------------------------------------------------------

/** §8.1: the hotkey exists (`HotKeyAccountNotExists`) and is a delegate or the signer's own. */
function ensureMayStakeOn(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  if (!hotkeyAccountExists(ctx, hotkey)) throw stErr('HotKeyAccountNotExists', `${hotkey} has no owner`);
  if (!st().Delegates.has(ctx.state, hotkey) && !coldkeyOwnsHotkey(ctx, coldkey, hotkey)) {
    throw stErr('HotKeyNotDelegateAndSignerNotOwnHotKey');
  }
}

/**
 * `try_increase_staking_counter` (§8.1): one interval per (coldkey, hotkey) starts at the first
 * stake operation; within it at most `TargetStakesPerInterval` operations pass.
 */
function tryIncreaseStakingCounter(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  const s = st();
  const block = blockNumber(ctx);
  // The runtime keys this map (coldkey, hotkey), whatever its name says.
  const [count, since] = s.TotalHotkeyColdkeyStakesThisInterval.get(ctx.state, coldkey, hotkey);
  if (count === 0n || satAddU64(since, s.StakeInterval.get(ctx.state)) <= block) {
    s.TotalHotkeyColdkeyStakesThisInterval.set(ctx.state, coldkey, hotkey, [1n, block]);
    return;
  }
  const limit = s.TargetStakesPerInterval.get(ctx.state);
  if (count >= limit) throw stErr('StakingRateLimitExceeded', `${count} of ${limit} stake operations since block ${since}`);
  s.TotalHotkeyColdkeyStakesThisInterval.set(ctx.state, coldkey, hotkey, [satAddU64(count, 1n), since]);
}

/** `StakeDeltaSinceLastEmissionDrain[hotkey][coldkey] += delta` (i128, saturating). */
function addStakeDelta(ctx: RuntimeContext, hotkey: AccountId, coldkey: AccountId, delta: bigint): void {
  const item = st().StakeDeltaSinceLastEmissionDrain;
  item.set(ctx.state, hotkey, coldkey, clampI128(item.get(ctx.state, hotkey, coldkey) + delta));
}

/**
 * `increase_stake_on_coldkey_hotkey_account`: the stake maps and totals, and `hotkey` in the
 * coldkey's `StakingHotkeys` even when nothing was staked (`add_stake` of 0 succeeds).
 */
function stakeOnColdkeyHotkey(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, amount: bigint): void {
  increaseStake(ctx, coldkey, hotkey, amount);
  const staking = st().StakingHotkeys.get(ctx.state, coldkey);
  if (!staking.includes(hotkey)) st().StakingHotkeys.set(ctx.state, coldkey, [...staking, hotkey]);
}

/**
 * `add_stake(hotkey, amount_staked)` signed by the coldkey (spec §8.1, checks in order). Stakes
 * what the withdrawal actually took; the drain delta records the requested amount.
 */
export function addStake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, amount: bigint): void {
  const s = st();
  if (!canRemoveBalance(ctx, coldkey, amount)) throw stErr('NotEnoughBalanceToStake', `free balance ${freeBalance(ctx, coldkey)} < ${amount}`);
  ensureMayStakeOn(ctx, coldkey, hotkey);
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) {
    const min = s.NominatorMinRequiredStake.get(ctx.state);
    if (satAddU64(stakeOf(ctx, hotkey, coldkey), amount) < min) throw stErr('NomStakeBelowMinimumThreshold', `a nomination needs at least ${min} rao`);
  }
  tryIncreaseStakingCounter(ctx, coldkey, hotkey);
  const staked = removeBalanceFromColdkey(ctx, coldkey, amount);
  stakeOnColdkeyHotkey(ctx, coldkey, hotkey, staked);
  addStakeDelta(ctx, hotkey, coldkey, amount);
  s.LastTxBlock.set(ctx.state, coldkey, blockNumber(ctx));
  ctx.deposit({ SubtensorModule: { StakeAdded: [hotkey, staked] } });
}

/**
 * `empty_stake_on_coldkey_hotkey_account`: removes the whole (hotkey, coldkey) stake and the hotkey
 * from the coldkey's `StakingHotkeys`. Returns the amount.
 */
function emptyStake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): bigint {
  const s = st();
  const amount = stakeOf(ctx, hotkey, coldkey);
  decreaseStake(ctx, coldkey, hotkey, amount);
  s.Stake.remove(ctx.state, hotkey, coldkey);
  s.StakingHotkeys.set(ctx.state, coldkey, s.StakingHotkeys.get(ctx.state, coldkey).filter((h) => h !== hotkey));
  return amount;
}

/** `clear_small_nomination_if_required` (§8.1): a nomination left below `NominatorMinRequiredStake` goes back to the coldkey. */
function clearSmallNomination(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  if (coldkeyOwnsHotkey(ctx, coldkey, hotkey)) return;
  if (stakeOf(ctx, hotkey, coldkey) >= st().NominatorMinRequiredStake.get(ctx.state)) return;
  addBalanceToColdkey(ctx, coldkey, emptyStake(ctx, coldkey, hotkey));
}

/** §8.1: a hotkey whose total stake fell below `StakeThreshold` loses its scheduled child keys on every subnet. */
function dropPendingChildrenBelowThreshold(ctx: RuntimeContext, hotkey: AccountId): void {
  const s = st();
  if (totalHotkeyStake(ctx, hotkey) >= s.StakeThreshold.get(ctx.state)) return;
  for (const [netuid] of s.NetworksAdded.keys(ctx.state)) s.PendingChildKeys.remove(ctx.state, netuid, hotkey);
}

/** `remove_stake(hotkey, amount_unstaked)` signed by the coldkey (spec §8.1, checks in order). */
export function removeStake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, amount: bigint): void {
  ensureMayStakeOn(ctx, coldkey, hotkey);
  if (amount === 0n) throw stErr('StakeToWithdrawIsZero');
  const held = stakeOf(ctx, hotkey, coldkey);
  if (held < amount) throw stErr('NotEnoughStakeToWithdraw', `stake ${held} < ${amount}`);
  tryIncreaseStakingCounter(ctx, coldkey, hotkey);
  decreaseStake(ctx, coldkey, hotkey, amount);
  addStakeDelta(ctx, hotkey, coldkey, -amount);
  addBalanceToColdkey(ctx, coldkey, amount);
  clearSmallNomination(ctx, coldkey, hotkey);
  dropPendingChildrenBelowThreshold(ctx, hotkey);
  st().LastTxBlock.set(ctx.state, coldkey, blockNumber(ctx));
  ctx.deposit({ SubtensorModule: { StakeRemoved: [hotkey, amount] } });
}

// ---- delegation (§8.1) ------------------------------------------------------------------------------

/** `do_take_checks`: the hotkey exists (`HotKeyAccountNotExists`) and belongs to the signer (`NonAssociatedColdKey`). */
function ensureOwnsHotkey(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  if (!hotkeyAccountExists(ctx, hotkey)) throw stErr('HotKeyAccountNotExists', `${hotkey} has no owner`);
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) throw stErr('NonAssociatedColdKey', `${hotkey} belongs to another coldkey`);
}

/**
 * `exceeds_tx_rate_limit` / `exceeds_tx_delegate_take_rate_limit`: within `limit` blocks (inclusive)
 * of the previous transaction; a zero limit, no previous transaction or a future one never limits.
 */
function withinRateLimit(previous: bigint, block: bigint, limit: bigint): boolean {
  if (limit === 0n || previous === 0n || previous > block) return false;
  return block - previous <= limit;
}

/**
 * `become_delegate(hotkey)` signed by its coldkey (spec §8.1): the take is the default take
 * (`MaxDelegateTake`), checked against `[MinDelegateTake, MaxDelegateTake]`.
 */
export function becomeDelegate(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId): void {
  const s = st();
  const block = blockNumber(ctx);
  ensureOwnsHotkey(ctx, coldkey, hotkey);
  if (s.Delegates.has(ctx.state, hotkey)) throw stErr('HotKeyAlreadyDelegate');
  const last = s.LastTxBlock.get(ctx.state, coldkey);
  if (withinRateLimit(last, block, s.TxRateLimit.get(ctx.state))) throw stErr('DelegateTxRateLimitExceeded', `last transaction at block ${last}`);
  const take = s.MaxDelegateTake.get(ctx.state);
  if (take < s.MinDelegateTake.get(ctx.state)) throw stErr('DelegateTakeTooLow');
  s.Delegates.set(ctx.state, hotkey, take);
  s.LastTxBlock.set(ctx.state, coldkey, block);
  s.LastTxBlockDelegateTake.set(ctx.state, coldkey, block);
  ctx.deposit({ SubtensorModule: { DelegateAdded: [coldkey, hotkey, take] } });
}

/**
 * `decrease_take(hotkey, take)` (spec §8.1): strictly lower than the current take (when the hotkey
 * is a delegate; otherwise this makes it one) and at least `MinDelegateTake`; no rate limit.
 */
export function decreaseTake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, take: number): void {
  const s = st();
  ensureOwnsHotkey(ctx, coldkey, hotkey);
  if (s.Delegates.has(ctx.state, hotkey) && take >= s.Delegates.get(ctx.state, hotkey)) throw stErr('DelegateTakeTooLow', 'the take must decrease');
  if (take < s.MinDelegateTake.get(ctx.state)) throw stErr('DelegateTakeTooLow', `below MinDelegateTake ${s.MinDelegateTake.get(ctx.state)}`);
  s.Delegates.set(ctx.state, hotkey, take);
  ctx.deposit({ SubtensorModule: { TakeDecreased: [coldkey, hotkey, take] } });
}

/**
 * `increase_take(hotkey, take)` (spec §8.1): strictly higher than the current take (a take that is
 * not is `DelegateTakeTooLow`, as in the runtime), at most `MaxDelegateTake`, and rate limited per
 * coldkey by `TxDelegateTakeRateLimit`.
 */
export function increaseTake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, take: number): void {
  const s = st();
  const block = blockNumber(ctx);
  ensureOwnsHotkey(ctx, coldkey, hotkey);
  if (s.Delegates.has(ctx.state, hotkey) && take <= s.Delegates.get(ctx.state, hotkey)) throw stErr('DelegateTakeTooLow', 'the take must increase');
  if (take > s.MaxDelegateTake.get(ctx.state)) throw stErr('DelegateTakeTooHigh', `above MaxDelegateTake ${s.MaxDelegateTake.get(ctx.state)}`);
  const last = s.LastTxBlockDelegateTake.get(ctx.state, coldkey);
  if (withinRateLimit(last, block, s.TxDelegateTakeRateLimit.get(ctx.state))) throw stErr('DelegateTxRateLimitExceeded', `last take change at block ${last}`);
  s.LastTxBlockDelegateTake.set(ctx.state, coldkey, block);
  s.Delegates.set(ctx.state, hotkey, take);
  ctx.deposit({ SubtensorModule: { TakeIncreased: [coldkey, hotkey, take] } });
}

// ---- child keys (§8.4) ------------------------------------------------------------------------------

/**
 * `passes_rate_limit_on_subnet`: the first transaction of its type, one from a future block, or
 * one at least `limit` blocks after the previous passes.
 */
function passesRateLimitOnSubnet(ctx: RuntimeContext, hotkey: AccountId, netuid: number, txType: number, limit: bigint): boolean {
  const block = blockNumber(ctx);
  const last = st().TransactionKeyLastBlock.get(ctx.state, hotkey, netuid, txType);
  return last > block || last === 0n || block - last >= limit;
}

/** §8.4: at most five children, none the parent itself, proportions summing within u64, no child twice. */
function ensureValidChildren(hotkey: AccountId, children: readonly ChildKey[]): void {
  if (children.length > MAX_CHILDREN) throw stErr('TooManyChildren', `at most ${MAX_CHILDREN} children`);
  if (children.some(([, child]) => child === hotkey)) throw stErr('InvalidChild', 'a hotkey cannot be its own child');
  if (children.reduce((sum, [proportion]) => sum + proportion, 0n) > U64_MAX) throw stErr('ProportionOverflow');
  if (new Set(children.map(([, child]) => child)).size !== children.length) throw stErr('DuplicateChild');
}

/**
 * `set_children(hotkey, netuid, children)` signed by the hotkey's coldkey (spec §8.4, checks in
 * order): schedules `PendingChildKeys[netuid][hotkey] = (children, b + 7200)`.
 */
export function setChildren(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, netuid: number, children: readonly ChildKey[]): void {
  const s = st();
  const block = blockNumber(ctx);
  if (!passesRateLimitOnSubnet(ctx, hotkey, netuid, TX_SET_CHILDREN, SET_CHILDREN_RATE_LIMIT)) throw stErr('TxRateLimitExceeded', `set_children at most every ${SET_CHILDREN_RATE_LIMIT} blocks`);
  if (netuid === ROOT_NETUID) throw stErr('RegistrationNotPermittedOnRootSubnet', 'no child keys on the root network');
  if (!networkExists(ctx, netuid)) throw stErr('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) throw stErr('NonAssociatedColdKey');
  ensureValidChildren(hotkey, children);
  if (children.length > 0 && totalHotkeyStake(ctx, hotkey) < s.StakeThreshold.get(ctx.state)) throw stErr('NotEnoughStakeToSetChildkeys');
  s.TransactionKeyLastBlock.set(ctx.state, hotkey, netuid, TX_SET_CHILDREN, block);
  const cooldown = satAddU64(block, PENDING_CHILDKEY_COOLDOWN);
  const scheduled = children.map(([proportion, child]): [bigint, AccountId] => [proportion, child]);
  s.PendingChildKeys.set(ctx.state, netuid, hotkey, [scheduled, cooldown]);
  ctx.deposit({ SubtensorModule: { SetChildrenScheduled: [hotkey, netuid, cooldown, scheduled] } });
}

/** Makes `children` the child keys of `hotkey` on `netuid`, rewriting the old and new children's `ParentKeys`. */
function replaceChildKeys(ctx: RuntimeContext, hotkey: AccountId, netuid: number, children: Array<[bigint, AccountId]>): void {
  const s = st();
  for (const [, oldChild] of s.ChildKeys.get(ctx.state, hotkey, netuid)) {
    const parents = s.ParentKeys.get(ctx.state, oldChild, netuid).filter(([, parent]) => parent !== hotkey);
    s.ParentKeys.set(ctx.state, oldChild, netuid, parents);
  }
  s.ChildKeys.set(ctx.state, hotkey, netuid, children);
  for (const [proportion, child] of children) {
    s.ParentKeys.set(ctx.state, child, netuid, [...s.ParentKeys.get(ctx.state, child, netuid), [proportion, hotkey]]);
  }
}

/**
 * `do_set_pending_children(netuid)` (spec §8.4): applies every schedule of `netuid` whose cooldown
 * block is before the current block, in storage order, emitting `SetChildren` for each. The
 * coinbase calls it at the subnet's epoch.
 */
export function applyPendingChildKeys(ctx: RuntimeContext, netuid: number): void {
  const s = st();
  const block = blockNumber(ctx);
  for (const [[, hotkey], [children, cooldown]] of s.PendingChildKeys.entries(ctx.state, netuid)) {
    if (cooldown >= block) continue;
    replaceChildKeys(ctx, hotkey, netuid, children);
    ctx.deposit({ SubtensorModule: { SetChildren: [hotkey, netuid, children] } });
    s.PendingChildKeys.remove(ctx.state, netuid, hotkey);
  }
}

/**
 * `set_childkey_take(hotkey, netuid, take)` signed by the hotkey's coldkey (spec §8.4): at most
 * `MaxChildkeyTake`, and at most once per `TxChildkeyTakeRateLimit` blocks per (hotkey, netuid).
 */
export function setChildkeyTake(ctx: RuntimeContext, coldkey: AccountId, hotkey: AccountId, netuid: number, take: number): void {
  const s = st();
  if (!coldkeyOwnsHotkey(ctx, coldkey, hotkey)) throw stErr('NonAssociatedColdKey');
  if (take > s.MaxChildkeyTake.get(ctx.state)) throw stErr('InvalidChildkeyTake', `above MaxChildkeyTake ${s.MaxChildkeyTake.get(ctx.state)}`);
  if (!passesRateLimitOnSubnet(ctx, hotkey, netuid, TX_SET_CHILDKEY_TAKE, s.TxChildkeyTakeRateLimit.get(ctx.state))) throw stErr('TxChildkeyTakeRateLimitExceeded');
  s.TransactionKeyLastBlock.set(ctx.state, hotkey, netuid, TX_SET_CHILDKEY_TAKE, blockNumber(ctx));
  s.ChildkeyTake.set(ctx.state, hotkey, netuid, take);
  ctx.deposit({ SubtensorModule: { ChildKeyTakeSet: [hotkey, take] } });
}

// ---- call table -------------------------------------------------------------------------------------

interface HotkeyArgs {
  hotkey: AccountId;
}
interface AddStakeArgs extends HotkeyArgs {
  amount_staked: bigint;
}
interface RemoveStakeArgs extends HotkeyArgs {
  amount_unstaked: bigint;
}
interface TakeArgs extends HotkeyArgs {
  take: number;
}
interface SetChildrenArgs extends HotkeyArgs {
  netuid: number;
  children: Array<[bigint, AccountId]>;
}
interface SetChildkeyTakeArgs extends TakeArgs {
  netuid: number;
}

/** Call args arrive decoded from the metadata's types, so their shape is known. */
const argsAs = <T>(args: Record<string, unknown>): T => args as unknown as T;

export const stakingCalls: CallTable = {
  /** `add_stake` (call 2, spec §8.1). */
  add_stake(ctx, origin, args) {
    const a = argsAs<AddStakeArgs>(args);
    addStake(ctx, ensureSigned(origin), a.hotkey, a.amount_staked);
  },
  /** `remove_stake` (call 3, spec §8.1). */
  remove_stake(ctx, origin, args) {
    const a = argsAs<RemoveStakeArgs>(args);
    removeStake(ctx, ensureSigned(origin), a.hotkey, a.amount_unstaked);
  },
  /** `become_delegate` (call 1, spec §8.1). */
  become_delegate(ctx, origin, args) {
    becomeDelegate(ctx, ensureSigned(origin), argsAs<HotkeyArgs>(args).hotkey);
  },
  /** `decrease_take` (call 65, spec §8.1). */
  decrease_take(ctx, origin, args) {
    const a = argsAs<TakeArgs>(args);
    decreaseTake(ctx, ensureSigned(origin), a.hotkey, a.take);
  },
  /** `increase_take` (call 66, spec §8.1). */
  increase_take(ctx, origin, args) {
    const a = argsAs<TakeArgs>(args);
    increaseTake(ctx, ensureSigned(origin), a.hotkey, a.take);
  },
  /** `set_children` (call 67, spec §8.4). */
  set_children(ctx, origin, args) {
    const a = argsAs<SetChildrenArgs>(args);
    setChildren(ctx, ensureSigned(origin), a.hotkey, a.netuid, a.children);
  },
  /** `set_childkey_take` (call 75, spec §8.4). */
  set_childkey_take(ctx, origin, args) {
    const a = argsAs<SetChildkeyTakeArgs>(args);
    setChildkeyTake(ctx, ensureSigned(origin), a.hotkey, a.netuid, a.take);
  },
  /** `sudo_set_tx_childkey_take_rate_limit` (call 69, root, spec §11.1). */
  sudo_set_tx_childkey_take_rate_limit(ctx, origin, args) {
    ensureRoot(origin);
    const limit = args.tx_rate_limit as bigint;
    st().TxChildkeyTakeRateLimit.set(ctx.state, limit);
    ctx.deposit({ SubtensorModule: { TxChildKeyTakeRateLimitSet: limit } });
  },
  /** `sudo_set_min_childkey_take` (call 76, root, spec §11.1). */
  sudo_set_min_childkey_take(ctx, origin, args) {
    ensureRoot(origin);
    const take = args.take as number;
    st().MinChildkeyTake.set(ctx.state, take);
    ctx.deposit({ SubtensorModule: { MinChildKeyTakeSet: take } });
  },
  /** `sudo_set_max_childkey_take` (call 77, root, spec §11.1). */
  sudo_set_max_childkey_take(ctx, origin, args) {
    ensureRoot(origin);
    const take = args.take as number;
    st().MaxChildkeyTake.set(ctx.state, take);
    ctx.deposit({ SubtensorModule: { MaxChildKeyTakeSet: take } });
  },
};
