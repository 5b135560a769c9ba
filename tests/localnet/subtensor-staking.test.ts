/**
 * SubtensorModule staking, delegation and child keys (spec §8.1, §8.4) through real signed
 * extrinsics: every call's success and error paths by name, and the stake bookkeeping invariants.
 */
import { u8aToHex } from '@polkadot/util';
import { RuntimeContext } from '../../localnet/runtime/context';
import { runtimeItems } from '../../localnet/runtime/items';
import { stakeOnSubnet } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import { applyPendingChildKeys } from '../../localnet/runtime/pallets/subtensor/staking';
import type { AccountId } from '../../localnet/runtime/primitives';
import type { StorageItem } from '../../localnet/runtime/storage';
import { StateOverlay } from '../../localnet/state/overlay';
import { TestChain, type SentResult } from './helpers/test-chain';

const TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;
const s = st();

let t: TestChain;
const view = () => t.chain.stateAt();
const acc = (uri: string): AccountId => t.account(uri);
const free = (uri: string): bigint => runtimeItems().System.Account.get(view(), acc(uri))?.data.free ?? 0n;
const send = (uri: string, method: string, args: Record<string, unknown>): Promise<SentResult> => t.send(uri, 'SubtensorModule', method, args);

/** The fields of the first `SubtensorModule.<name>` event of a result. */
function eventData(r: SentResult, name: string): unknown {
  const record = r.records.find((x) => (x.event.SubtensorModule as Record<string, unknown> | undefined)?.[name] !== undefined);
  return (record?.event.SubtensorModule as Record<string, unknown> | undefined)?.[name];
}

/** Writes several storage entries in one block (root `System.set_storage`). */
async function put(...entries: Array<[StorageItem<readonly unknown[], unknown>, unknown[], unknown]>): Promise<void> {
  const items = entries.map(([item, keys, value]) => [item.key(...keys), u8aToHex(item.valueCodec.encode(value))]);
  const r = await t.sudo('System', 'set_storage', { items });
  if (r.error) throw new Error(`set_storage failed: ${r.error}`);
}
const entry = <K extends unknown[], V>(item: StorageItem<K, V>, keys: K, value: V): [StorageItem<readonly unknown[], unknown>, unknown[], unknown] => [
  item as unknown as StorageItem<readonly unknown[], unknown>,
  keys,
  value,
];

/** `coldUri` owns `hotUri` (as a registration would record it), without making it a delegate. */
async function ownHotkey(coldUri: string, hotUri: string): Promise<AccountId> {
  await put(entry(s.Owner, [acc(hotUri)], acc(coldUri)), entry(s.OwnedHotkeys, [acc(coldUri)], [acc(hotUri)]));
  return acc(hotUri);
}

/** TotalStake = Σ Stake and subtensor's TotalIssuance = balances issuance + TotalStake + Σ SubnetLocked. */
function expectConservation(): void {
  const stakes = s.Stake.entries(view()).reduce((sum, [, v]) => sum + v, 0n);
  const locked = s.SubnetLocked.entries(view()).reduce((sum, [, v]) => sum + v, 0n);
  const totalStake = s.TotalStake.get(view());
  expect(totalStake).toBe(stakes);
  expect(s.TotalIssuance.get(view())).toBe(runtimeItems().Balances.TotalIssuance.get(view()) + totalStake + locked);
}

beforeAll(async () => {
  t = await TestChain.start();
  await t.addNetwork(1, { tempo: 10, owner: '//Bob' });
  await t.addNetwork(2, { tempo: 10, owner: '//Bob' });
  // Unlimited stake operations unless a test says otherwise.
  await t.setStorage(s.TargetStakesPerInterval, 1000n);
});
afterAll(async () => {
  await t.close();
});

describe('add_stake', () => {
  test('default: moves free balance into stake; balances issuance falls, subtensor TotalIssuance does not', async () => {
    const hot = await ownHotkey('//Bob', '//Bob//stake1');
    const bob = acc('//Bob');
    const [freeBefore, balancesIssuance, subtensorIssuance, totalStake] = [free('//Bob'), runtimeItems().Balances.TotalIssuance.get(view()), s.TotalIssuance.get(view()), s.TotalStake.get(view())];
    const r = await send('//Bob', 'add_stake', { hotkey: hot, amount_staked: 100n * TAO });
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['Balances.Withdraw', 'SubtensorModule.StakeAdded', 'System.ExtrinsicSuccess']);
    expect(eventData(r, 'StakeAdded')).toEqual([hot, 100n * TAO]);
    expect(s.Stake.get(view(), hot, bob)).toBe(100n * TAO);
    expect(s.TotalHotkeyStake.get(view(), hot)).toBe(100n * TAO);
    expect(s.TotalColdkeyStake.get(view(), bob)).toBe(100n * TAO);
    expect(s.TotalStake.get(view())).toBe(totalStake + 100n * TAO);
    expect(s.StakingHotkeys.get(view(), bob)).toContain(hot);
    expect(free('//Bob')).toBe(freeBefore - 100n * TAO);
    expect(runtimeItems().Balances.TotalIssuance.get(view())).toBe(balancesIssuance - 100n * TAO);
    expect(s.TotalIssuance.get(view())).toBe(subtensorIssuance);
    expect(s.StakeDeltaSinceLastEmissionDrain.get(view(), hot, bob)).toBe(100n * TAO);
    expect(s.LastTxBlock.get(view(), bob)).toBe(BigInt(r.blockNumber));
    // The rate-limit counter is keyed (coldkey, hotkey).
    expect(s.TotalHotkeyColdkeyStakesThisInterval.get(view(), bob, hot)).toEqual([1n, BigInt(r.blockNumber)]);
    expectConservation();
  });

  test('behavior: best effort keeps the existential deposit, so a full-balance stake takes free − 500 rao', async () => {
    await t.send('//Alice', 'Balances', 'transfer_keep_alive', { dest: { Id: acc('//Small') }, value: 10_000n });
    const hot = await ownHotkey('//Small', '//Small//hot');
    const r = await send('//Small', 'add_stake', { hotkey: hot, amount_staked: 10_000n });
    expect(r.error).toBeNull();
    expect(eventData(r, 'StakeAdded')).toEqual([hot, 9_500n]);
    expect(s.Stake.get(view(), hot, acc('//Small'))).toBe(9_500n);
    expect(free('//Small')).toBe(500n);
    // The drain delta records the requested amount, not what was withdrawn.
    expect(s.StakeDeltaSinceLastEmissionDrain.get(view(), hot, acc('//Small'))).toBe(10_000n);
    const again = await send('//Small', 'add_stake', { hotkey: hot, amount_staked: 500n });
    expect(again.error).toBe('SubtensorModule.ZeroBalanceAfterWithdrawn');
    expectConservation();
  });

  test('error: NotEnoughBalanceToStake when the free balance does not cover the amount', async () => {
    const hot = await ownHotkey('//Bob', '//Bob//stake2');
    const r = await send('//Bob', 'add_stake', { hotkey: hot, amount_staked: free('//Bob') + 1n });
    expect(r.error).toBe('SubtensorModule.NotEnoughBalanceToStake');
  });

  test('error: HotKeyAccountNotExists for a hotkey without an owner', async () => {
    const r = await send('//Bob', 'add_stake', { hotkey: acc('//Nobody'), amount_staked: TAO });
    expect(r.error).toBe('SubtensorModule.HotKeyAccountNotExists');
  });

  test("error: HotKeyNotDelegateAndSignerNotOwnHotKey staking on someone else's non-delegate hotkey", async () => {
    const hot = await ownHotkey('//Bob', '//Bob//stake3');
    const r = await send('//Charlie', 'add_stake', { hotkey: hot, amount_staked: TAO });
    expect(r.error).toBe('SubtensorModule.HotKeyNotDelegateAndSignerNotOwnHotKey');
  });

  test('error: NomStakeBelowMinimumThreshold for a nomination below NominatorMinRequiredStake', async () => {
    const hot = await ownHotkey('//Bob', '//Bob//nominated');
    await put(entry(s.Delegates, [hot], 11796), entry(s.NominatorMinRequiredStake, [], TAO));
    const low = await send('//Charlie', 'add_stake', { hotkey: hot, amount_staked: TAO / 2n });
    expect(low.error).toBe('SubtensorModule.NomStakeBelowMinimumThreshold');
    // The owner is not a nominator: no minimum.
    expect((await send('//Bob', 'add_stake', { hotkey: hot, amount_staked: 1n })).error).toBeNull();
    expect((await send('//Charlie', 'add_stake', { hotkey: hot, amount_staked: TAO })).error).toBeNull();
    await t.setStorage(s.NominatorMinRequiredStake, 0n);
  });
});

describe('remove_stake', () => {
  test('default: returns stake to the free balance; StakeRemoved; the drain delta goes down', async () => {
    const hot = await ownHotkey('//Dave', '//Dave//hot');
    const dave = acc('//Dave');
    await send('//Dave', 'add_stake', { hotkey: hot, amount_staked: 50n * TAO });
    const [freeBefore, subtensorIssuance] = [free('//Dave'), s.TotalIssuance.get(view())];
    const r = await send('//Dave', 'remove_stake', { hotkey: hot, amount_unstaked: 20n * TAO });
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['Balances.Deposit', 'SubtensorModule.StakeRemoved', 'System.ExtrinsicSuccess']);
    expect(eventData(r, 'StakeRemoved')).toEqual([hot, 20n * TAO]);
    expect(s.Stake.get(view(), hot, dave)).toBe(30n * TAO);
    expect(s.TotalHotkeyStake.get(view(), hot)).toBe(30n * TAO);
    expect(s.TotalColdkeyStake.get(view(), dave)).toBe(30n * TAO);
    expect(free('//Dave')).toBe(freeBefore + 20n * TAO);
    expect(s.TotalIssuance.get(view())).toBe(subtensorIssuance);
    expect(s.StakeDeltaSinceLastEmissionDrain.get(view(), hot, dave)).toBe(30n * TAO);
    expect(s.LastTxBlock.get(view(), dave)).toBe(BigInt(r.blockNumber));
    expectConservation();
  });

  test('error: HotKeyAccountNotExists, HotKeyNotDelegateAndSignerNotOwnHotKey, StakeToWithdrawIsZero, NotEnoughStakeToWithdraw', async () => {
    const hot = acc('//Dave//hot');
    expect((await send('//Dave', 'remove_stake', { hotkey: acc('//Nobody'), amount_unstaked: 1n })).error).toBe('SubtensorModule.HotKeyAccountNotExists');
    expect((await send('//Eve', 'remove_stake', { hotkey: hot, amount_unstaked: 1n })).error).toBe('SubtensorModule.HotKeyNotDelegateAndSignerNotOwnHotKey');
    expect((await send('//Dave', 'remove_stake', { hotkey: hot, amount_unstaked: 0n })).error).toBe('SubtensorModule.StakeToWithdrawIsZero');
    expect((await send('//Dave', 'remove_stake', { hotkey: hot, amount_unstaked: 30n * TAO + 1n })).error).toBe('SubtensorModule.NotEnoughStakeToWithdraw');
  });

  test('behavior: a nomination left below NominatorMinRequiredStake is returned whole', async () => {
    const hot = await ownHotkey('//Bob', '//Bob//delegate');
    const charlie = acc('//Charlie');
    await put(entry(s.Delegates, [hot], 11796));
    await send('//Charlie', 'add_stake', { hotkey: hot, amount_staked: 2n * TAO });
    await t.setStorage(s.NominatorMinRequiredStake, TAO);
    const freeBefore = free('//Charlie');
    const r = await send('//Charlie', 'remove_stake', { hotkey: hot, amount_unstaked: (3n * TAO) / 2n });
    expect(r.error).toBeNull();
    expect(eventData(r, 'StakeRemoved')).toEqual([hot, (3n * TAO) / 2n]);
    expect(s.Stake.has(view(), hot, charlie)).toBe(false);
    expect(s.TotalHotkeyStake.get(view(), hot)).toBe(0n);
    expect(s.StakingHotkeys.get(view(), charlie)).not.toContain(hot);
    expect(free('//Charlie')).toBe(freeBefore + 2n * TAO);
    await t.setStorage(s.NominatorMinRequiredStake, 0n);
    expectConservation();
  });

  test('behavior: falling below StakeThreshold drops the hotkey\'s scheduled child keys', async () => {
    const hot = await ownHotkey('//Ferdie', '//Ferdie//parent');
    await send('//Ferdie', 'add_stake', { hotkey: hot, amount_staked: 10n * TAO });
    await t.setStorage(s.StakeThreshold, 5n * TAO);
    expect((await send('//Ferdie', 'set_children', { hotkey: hot, netuid: 1, children: [[U64_MAX, acc('//Ferdie//child')]] })).error).toBeNull();
    expect(s.PendingChildKeys.has(view(), 1, hot)).toBe(true);
    expect((await send('//Ferdie', 'remove_stake', { hotkey: hot, amount_unstaked: 4n * TAO })).error).toBeNull();
    expect(s.PendingChildKeys.has(view(), 1, hot)).toBe(true);
    expect((await send('//Ferdie', 'remove_stake', { hotkey: hot, amount_unstaked: 2n * TAO })).error).toBeNull();
    expect(s.PendingChildKeys.has(view(), 1, hot)).toBe(false);
    await t.setStorage(s.StakeThreshold, 0n);
  });
});

describe('staking rate limit', () => {
  test('error: StakingRateLimitExceeded — one add/remove per (coldkey, hotkey) per StakeInterval', async () => {
    const hot = await ownHotkey('//Eve', '//Eve//hot');
    const eve = acc('//Eve');
    await put(entry(s.TargetStakesPerInterval, [], 1n), entry(s.StakeInterval, [], 4n));
    const first = await send('//Eve', 'add_stake', { hotkey: hot, amount_staked: TAO });
    expect(first.error).toBeNull();
    expect((await send('//Eve', 'add_stake', { hotkey: hot, amount_staked: TAO })).error).toBe('SubtensorModule.StakingRateLimitExceeded');
    expect((await send('//Eve', 'remove_stake', { hotkey: hot, amount_unstaked: 1n })).error).toBe('SubtensorModule.StakingRateLimitExceeded');
    // The interval ends StakeInterval (4) blocks after it started.
    const edge = await send('//Eve', 'remove_stake', { hotkey: hot, amount_unstaked: 1n });
    expect(edge.blockNumber).toBe(first.blockNumber + 3);
    expect(edge.error).toBe('SubtensorModule.StakingRateLimitExceeded');
    const later = await send('//Eve', 'remove_stake', { hotkey: hot, amount_unstaked: 1n });
    expect(later.blockNumber).toBe(first.blockNumber + 4);
    expect(later.error).toBeNull();
    expect(s.TotalHotkeyColdkeyStakesThisInterval.get(view(), eve, hot)).toEqual([1n, BigInt(later.blockNumber)]);
    await put(entry(s.TargetStakesPerInterval, [], 2n));
    expect((await send('//Eve', 'add_stake', { hotkey: hot, amount_staked: 1n })).error).toBeNull();
    // A second operation in the interval counts up without moving the interval start.
    expect(s.TotalHotkeyColdkeyStakesThisInterval.get(view(), eve, hot)).toEqual([2n, BigInt(later.blockNumber)]);
    expect((await send('//Eve', 'add_stake', { hotkey: hot, amount_staked: 1n })).error).toBe('SubtensorModule.StakingRateLimitExceeded');
    // Another hotkey of the same coldkey has its own counter.
    const other = await ownHotkey('//Eve', '//Eve//other');
    expect((await send('//Eve', 'add_stake', { hotkey: other, amount_staked: TAO })).error).toBeNull();
    await put(entry(s.TargetStakesPerInterval, [], 1000n), entry(s.StakeInterval, [], 360n));
  });
});

describe('delegation', () => {
  test('default: become_delegate sets the default take (MaxDelegateTake) and the rate-limit blocks', async () => {
    const hot = await ownHotkey('//Ferdie', '//Ferdie//delegate');
    const ferdie = acc('//Ferdie');
    await t.setStorage(s.LastTxBlock, ferdie, 0n);
    const r = await send('//Ferdie', 'become_delegate', { hotkey: hot });
    expect(r.error).toBeNull();
    expect(eventData(r, 'DelegateAdded')).toEqual([ferdie, hot, 11796]);
    expect(s.Delegates.get(view(), hot)).toBe(11796);
    expect(s.LastTxBlock.get(view(), ferdie)).toBe(BigInt(r.blockNumber));
    expect(s.LastTxBlockDelegateTake.get(view(), ferdie)).toBe(BigInt(r.blockNumber));
    expect((await send('//Ferdie', 'become_delegate', { hotkey: hot })).error).toBe('SubtensorModule.HotKeyAlreadyDelegate');
  });

  test('error: become_delegate HotKeyAccountNotExists, NonAssociatedColdKey, DelegateTxRateLimitExceeded, DelegateTakeTooLow', async () => {
    expect((await send('//Ferdie', 'become_delegate', { hotkey: acc('//Nobody') })).error).toBe('SubtensorModule.HotKeyAccountNotExists');
    const hot = await ownHotkey('//Ferdie', '//Ferdie//d2');
    expect((await send('//Charlie', 'become_delegate', { hotkey: hot })).error).toBe('SubtensorModule.NonAssociatedColdKey');
    // add_stake sets LastTxBlock, which holds become_delegate off for TxRateLimit (1000) blocks.
    expect((await send('//Ferdie', 'add_stake', { hotkey: hot, amount_staked: TAO })).error).toBeNull();
    expect((await send('//Ferdie', 'become_delegate', { hotkey: hot })).error).toBe('SubtensorModule.DelegateTxRateLimitExceeded');
    await put(entry(s.TxRateLimit, [], 0n), entry(s.MinDelegateTake, [], 20000));
    expect((await send('//Ferdie', 'become_delegate', { hotkey: hot })).error).toBe('SubtensorModule.DelegateTakeTooLow');
    await put(entry(s.MinDelegateTake, [], 0));
    expect((await send('//Ferdie', 'become_delegate', { hotkey: hot })).error).toBeNull();
    await put(entry(s.TxRateLimit, [], 1000n));
  });

  test('default: decrease_take lowers the take without a rate limit', async () => {
    const hot = acc('//Ferdie//delegate');
    const r = await send('//Ferdie', 'decrease_take', { hotkey: hot, take: 5000 });
    expect(r.error).toBeNull();
    expect(eventData(r, 'TakeDecreased')).toEqual([acc('//Ferdie'), hot, 5000]);
    expect((await send('//Ferdie', 'decrease_take', { hotkey: hot, take: 4000 })).error).toBeNull();
    expect(s.Delegates.get(view(), hot)).toBe(4000);
  });

  test('error: decrease_take DelegateTakeTooLow (not lower, or below MinDelegateTake), HotKeyAccountNotExists, NonAssociatedColdKey', async () => {
    const hot = acc('//Ferdie//delegate');
    expect((await send('//Ferdie', 'decrease_take', { hotkey: hot, take: 4000 })).error).toBe('SubtensorModule.DelegateTakeTooLow');
    await put(entry(s.MinDelegateTake, [], 3000));
    expect((await send('//Ferdie', 'decrease_take', { hotkey: hot, take: 2999 })).error).toBe('SubtensorModule.DelegateTakeTooLow');
    await put(entry(s.MinDelegateTake, [], 0));
    expect((await send('//Ferdie', 'decrease_take', { hotkey: acc('//Nobody'), take: 1 })).error).toBe('SubtensorModule.HotKeyAccountNotExists');
    expect((await send('//Charlie', 'decrease_take', { hotkey: hot, take: 1 })).error).toBe('SubtensorModule.NonAssociatedColdKey');
  });

  test('behavior: decrease_take on a hotkey that is not a delegate makes it one', async () => {
    const hot = await ownHotkey('//Ferdie', '//Ferdie//d3');
    expect((await send('//Ferdie', 'decrease_take', { hotkey: hot, take: 20000 })).error).toBeNull();
    expect(s.Delegates.has(view(), hot)).toBe(true);
  });

  test('error: increase_take DelegateTxRateLimitExceeded within TxDelegateTakeRateLimit of the last take change, DelegateTakeTooLow, DelegateTakeTooHigh', async () => {
    const hot = acc('//Ferdie//delegate');
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 6000 })).error).toBe('SubtensorModule.DelegateTxRateLimitExceeded');
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 4000 })).error).toBe('SubtensorModule.DelegateTakeTooLow');
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 11797 })).error).toBe('SubtensorModule.DelegateTakeTooHigh');
    expect((await send('//Charlie', 'increase_take', { hotkey: hot, take: 6000 })).error).toBe('SubtensorModule.NonAssociatedColdKey');
  });

  test('default: increase_take raises the take once the rate limit has passed', async () => {
    const hot = acc('//Ferdie//delegate');
    const ferdie = acc('//Ferdie');
    await put(entry(s.TxDelegateTakeRateLimit, [], 2n));
    const r = await send('//Ferdie', 'increase_take', { hotkey: hot, take: 6000 });
    expect(r.error).toBeNull();
    expect(eventData(r, 'TakeIncreased')).toEqual([ferdie, hot, 6000]);
    expect(s.LastTxBlockDelegateTake.get(view(), ferdie)).toBe(BigInt(r.blockNumber));
    // Within 2 blocks (inclusive) of the last change: limited.
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 7000 })).error).toBe('SubtensorModule.DelegateTxRateLimitExceeded');
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 7000 })).error).toBe('SubtensorModule.DelegateTxRateLimitExceeded');
    expect((await send('//Ferdie', 'increase_take', { hotkey: hot, take: 7000 })).error).toBeNull();
    await put(entry(s.TxDelegateTakeRateLimit, [], 216_000n));
  });
});

describe('child keys', () => {
  const child = (uri: string): AccountId => acc(uri);

  test('default: set_children schedules PendingChildKeys with a 7200-block cooldown', async () => {
    const hot = await ownHotkey('//Alice', '//Alice//parent');
    const children: Array<[bigint, AccountId]> = [[U64_MAX / 2n, child('//Alice//c1')], [U64_MAX / 4n, child('//Alice//c2')]];
    const r = await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children });
    expect(r.error).toBeNull();
    const cooldown = BigInt(r.blockNumber) + 7200n;
    expect(eventData(r, 'SetChildrenScheduled')).toEqual([hot, 1, cooldown, children]);
    expect(s.PendingChildKeys.get(view(), 1, hot)).toEqual([children, cooldown]);
    expect(s.ChildKeys.get(view(), hot, 1)).toEqual([]);
    expect(s.TransactionKeyLastBlock.get(view(), hot, 1, 0)).toBe(BigInt(r.blockNumber));
  });

  test('error: set_children TxRateLimitExceeded within 150 blocks on the same (hotkey, netuid)', async () => {
    const hot = acc('//Alice//parent');
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: [] })).error).toBe('SubtensorModule.TxRateLimitExceeded');
    // Another subnet has its own limit.
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 2, children: [] })).error).toBeNull();
  });

  test('error: set_children RegistrationNotPermittedOnRootSubnet, SubNetworkDoesNotExist, NonAssociatedColdKey', async () => {
    const hot = await ownHotkey('//Alice', '//Alice//p2');
    const children = [[1n, child('//Alice//c1')]];
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 0, children })).error).toBe('SubtensorModule.RegistrationNotPermittedOnRootSubnet');
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 77, children })).error).toBe('SubtensorModule.SubNetworkDoesNotExist');
    expect((await send('//Bob', 'set_children', { hotkey: hot, netuid: 1, children })).error).toBe('SubtensorModule.NonAssociatedColdKey');
  });

  test('error: set_children TooManyChildren, InvalidChild, ProportionOverflow, DuplicateChild, NotEnoughStakeToSetChildkeys', async () => {
    const hot = acc('//Alice//p2');
    const six = [1, 2, 3, 4, 5, 6].map((i): [bigint, AccountId] => [1n, child(`//Alice//k${i}`)]);
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: six })).error).toBe('SubtensorModule.TooManyChildren');
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: [[1n, hot]] })).error).toBe('SubtensorModule.InvalidChild');
    const overflow = [[U64_MAX, child('//Alice//k1')], [1n, child('//Alice//k2')]];
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: overflow })).error).toBe('SubtensorModule.ProportionOverflow');
    const duplicate = [[1n, child('//Alice//k1')], [2n, child('//Alice//k1')]];
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: duplicate })).error).toBe('SubtensorModule.DuplicateChild');
    await t.setStorage(s.StakeThreshold, 1n);
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: [[1n, child('//Alice//k1')]] })).error).toBe('SubtensorModule.NotEnoughStakeToSetChildkeys');
    // Revoking (no children) needs no stake.
    expect((await send('//Alice', 'set_children', { hotkey: hot, netuid: 1, children: [] })).error).toBeNull();
    await t.setStorage(s.StakeThreshold, 0n);
  });

  test('behavior: applyPendingChildKeys applies matured schedules at the epoch (cooldown < block), rewriting ParentKeys', async () => {
    const parent = acc('//Alice//parent');
    const [c1, c2, c3] = [child('//Alice//c1'), child('//Alice//c2'), child('//Alice//c3')];
    expect((await send('//Alice', 'add_stake', { hotkey: parent, amount_staked: 1000n * TAO })).error).toBeNull();
    const [, cooldown] = s.PendingChildKeys.get(view(), 1, parent);
    const context = (block: bigint): RuntimeContext =>
      new RuntimeContext(new StateOverlay(view()), { number: Number(block), parentHash: '0x00' }, () => {
        throw new Error('no nested dispatch');
      });

    const early = context(cooldown);
    applyPendingChildKeys(early, 1);
    expect(early.events).toEqual([]);
    expect(s.PendingChildKeys.has(early.state, 1, parent)).toBe(true);

    const due = context(cooldown + 1n);
    applyPendingChildKeys(due, 1);
    const children = [[U64_MAX / 2n, c1], [U64_MAX / 4n, c2]];
    expect(due.events.map((e) => e.event)).toEqual([{ SubtensorModule: { SetChildren: [parent, 1, children] } }]);
    expect(s.ChildKeys.get(due.state, parent, 1)).toEqual(children);
    expect(s.ParentKeys.get(due.state, c1, 1)).toEqual([[U64_MAX / 2n, parent]]);
    expect(s.ParentKeys.get(due.state, c2, 1)).toEqual([[U64_MAX / 4n, parent]]);
    expect(s.PendingChildKeys.has(due.state, 1, parent)).toBe(false);
    // The child's stake on the subnet comes from the parent (§3.1): floor(1000 TAO · ⌊½⌋₃₂).
    expect(stakeOnSubnet(due, c1, 1)).toBe(499_999_999_767n);
    expect(stakeOnSubnet(due, c2, 1)).toBe(249_999_999_767n);
    expect(stakeOnSubnet(due, parent, 1)).toBe(250_000_000_466n);
    // Another subnet's schedules are not touched.
    expect(s.PendingChildKeys.has(due.state, 2, parent)).toBe(true);

    // A later schedule replaces the children: the old ones lose the parent.
    s.PendingChildKeys.set(due.state, 1, parent, [[[7n, c3]], cooldown]);
    applyPendingChildKeys(due, 1);
    expect(s.ChildKeys.get(due.state, parent, 1)).toEqual([[7n, c3]]);
    expect(s.ParentKeys.get(due.state, c1, 1)).toEqual([]);
    expect(s.ParentKeys.get(due.state, c3, 1)).toEqual([[7n, parent]]);
  });

  test('default: set_childkey_take sets ChildkeyTake and rate-limits per (hotkey, netuid)', async () => {
    const hot = acc('//Alice//parent');
    const r = await send('//Alice', 'set_childkey_take', { hotkey: hot, netuid: 1, take: 1000 });
    expect(r.error).toBeNull();
    expect(eventData(r, 'ChildKeyTakeSet')).toEqual([hot, 1000]);
    expect(s.ChildkeyTake.get(view(), hot, 1)).toBe(1000);
    expect(s.TransactionKeyLastBlock.get(view(), hot, 1, 1)).toBe(BigInt(r.blockNumber));
    expect((await send('//Alice', 'set_childkey_take', { hotkey: hot, netuid: 1, take: 500 })).error).toBe('SubtensorModule.TxChildkeyTakeRateLimitExceeded');
    expect((await send('//Alice', 'set_childkey_take', { hotkey: hot, netuid: 2, take: 500 })).error).toBeNull();
  });

  test('error: set_childkey_take NonAssociatedColdKey, InvalidChildkeyTake above MaxChildkeyTake', async () => {
    const hot = acc('//Alice//p2');
    expect((await send('//Bob', 'set_childkey_take', { hotkey: hot, netuid: 1, take: 10 })).error).toBe('SubtensorModule.NonAssociatedColdKey');
    expect((await send('//Alice', 'set_childkey_take', { hotkey: hot, netuid: 1, take: 11797 })).error).toBe('SubtensorModule.InvalidChildkeyTake');
    expect((await send('//Alice', 'set_childkey_take', { hotkey: hot, netuid: 1, take: 11796 })).error).toBeNull();
  });

  test('default: the root-only child-key-take setters write storage and emit their events', async () => {
    const limit = await t.sudo('SubtensorModule', 'sudo_set_tx_childkey_take_rate_limit', { tx_rate_limit: 5n });
    expect(limit.error).toBeNull();
    expect(limit.records.map((r) => r.event)).toContainEqual({ SubtensorModule: { TxChildKeyTakeRateLimitSet: 5n } });
    expect(s.TxChildkeyTakeRateLimit.get(view())).toBe(5n);
    const min = await t.sudo('SubtensorModule', 'sudo_set_min_childkey_take', { take: 10 });
    expect(min.records.map((r) => r.event)).toContainEqual({ SubtensorModule: { MinChildKeyTakeSet: 10 } });
    expect(s.MinChildkeyTake.get(view())).toBe(10);
    const max = await t.sudo('SubtensorModule', 'sudo_set_max_childkey_take', { take: 20000 });
    expect(max.records.map((r) => r.event)).toContainEqual({ SubtensorModule: { MaxChildKeyTakeSet: 20000 } });
    expect(s.MaxChildkeyTake.get(view())).toBe(20000);
    expect((await send('//Alice', 'set_childkey_take', { hotkey: acc('//Alice//p2'), netuid: 2, take: 15000 })).error).toBeNull();
  });

  test('error: the child-key-take setters need the root origin (BadOrigin)', async () => {
    expect((await send('//Bob', 'sudo_set_tx_childkey_take_rate_limit', { tx_rate_limit: 1n })).error).toBe('BadOrigin');
    expect((await send('//Bob', 'sudo_set_min_childkey_take', { take: 1 })).error).toBe('BadOrigin');
    expect((await send('//Bob', 'sudo_set_max_childkey_take', { take: 1 })).error).toBe('BadOrigin');
  });
});

test('behavior: conservation holds after the whole sequence', () => {
  expectConservation();
});
