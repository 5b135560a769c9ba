/**
 * SubtensorModule subnet registration and removal, root registration and identities (spec §4.2,
 * §4.4) through real signed extrinsics: every call's success and error paths by name, the lock
 * cost schedule, TV11's pruning choice, and conservation of TAO.
 */
import { u8aToHex } from '@polkadot/util';
import { loadRuntimeMetadata } from '../../localnet/metadata';
import { runtimeItems } from '../../localnet/runtime/items';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import { networkLockCost } from '../../localnet/runtime/pallets/subtensor/networks';
import type { AccountId, Hex } from '../../localnet/runtime/primitives';
import { storageItem, type StorageItem } from '../../localnet/runtime/storage';
import { TestChain, type SentResult } from './helpers/test-chain';

const TAO = 1_000_000_000n;
const s = st();
const senate = storageItem<[], AccountId[]>(loadRuntimeMetadata(), 'SenateMembers', 'Members');

type Entry = [StorageItem<readonly unknown[], unknown>, unknown[], unknown];
const entry = <K extends unknown[], V>(item: StorageItem<K, V>, keys: K, value: V): Entry => [item as unknown as StorageItem<readonly unknown[], unknown>, keys, value];

/** Writes several storage entries in one block (root `System.set_storage`). */
async function put(chain: TestChain, ...entries: Entry[]): Promise<void> {
  const items = entries.map(([item, keys, value]) => [item.key(...keys), u8aToHex(item.valueCodec.encode(value))]);
  const r = await chain.sudo('System', 'set_storage', { items });
  if (r.error) throw new Error(`set_storage failed: ${r.error}`);
}

/** The fields of the `SubtensorModule` events of a result, as `[name, fields]`. */
function subtensorEvents(r: SentResult): Array<[string, unknown]> {
  return r.records.flatMap((x) => Object.entries((x.event.SubtensorModule as Record<string, unknown> | undefined) ?? {}));
}

const bytes = (n: number): Hex => `0x${'61'.repeat(n)}`;
const free = (chain: TestChain, uri: string): bigint => runtimeItems().System.Account.get(chain.chain.stateAt(), chain.account(uri))?.data.free ?? 0n;

/** TotalStake = Σ Stake and subtensor's TotalIssuance = balances issuance + TotalStake + Σ SubnetLocked. */
function expectConservation(chain: TestChain): void {
  const view = chain.chain.stateAt();
  const stakes = s.Stake.entries(view).reduce((sum, [, v]) => sum + v, 0n);
  const locked = s.SubnetLocked.entries(view).reduce((sum, [, v]) => sum + v, 0n);
  const totalStake = s.TotalStake.get(view);
  expect(totalStake).toBe(stakes);
  expect(s.TotalIssuance.get(view)).toBe(runtimeItems().Balances.TotalIssuance.get(view) + totalStake + locked);
}

describe('register_network, dissolve_network, identities', () => {
  let t: TestChain;
  const view = () => t.chain.stateAt();
  const send = (uri: string, method: string, args: Record<string, unknown> = {}): Promise<SentResult> => t.send(uri, 'SubtensorModule', method, args);

  beforeAll(async () => {
    t = await TestChain.start();
    await put(t, entry(s.NetworkRateLimit, [], 0n), entry(s.SubnetLimit, [], 64));
  });
  afterAll(async () => {
    await t.close();
  });

  test('default: register_network locks the cost and initializes netuid 1 (tempo 360, owner, NetworkAdded(1, 0))', async () => {
    const bob = t.account('//Bob');
    const [freeBefore, subtensorIssuance, networks] = [free(t, '//Bob'), s.TotalIssuance.get(view()), s.TotalNetworks.get(view())];
    const r = await send('//Bob', 'register_network');
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['Balances.Withdraw', 'SubtensorModule.NetworkAdded', 'System.ExtrinsicSuccess']);
    expect(subtensorEvents(r)).toEqual([['NetworkAdded', [1, 0]]]);
    const block = BigInt(r.blockNumber);
    // First registration: mult 1 and the decay since block 0 floor it at NetworkMinLockCost (1000 TAO).
    expect(s.SubnetLocked.get(view(), 1)).toBe(1000n * TAO);
    expect(s.NetworkLastLockCost.get(view())).toBe(1000n * TAO);
    expect(free(t, '//Bob')).toBe(freeBefore - 1000n * TAO);
    expect(s.TotalIssuance.get(view())).toBe(subtensorIssuance);
    expect(s.NetworksAdded.get(view(), 1)).toBe(true);
    expect(s.TotalNetworks.get(view())).toBe(networks + 1);
    expect(s.Tempo.get(view(), 1)).toBe(360);
    expect(s.SubnetOwner.get(view(), 1)).toBe(bob);
    expect(s.NetworkRegisteredAt.get(view(), 1)).toBe(block);
    expect(s.NetworkLastRegistered.get(view())).toBe(block);
    expect([s.MaxAllowedUids.get(view(), 1), s.ImmunityPeriod.get(view(), 1), s.MinAllowedWeights.get(view(), 1), s.MinBurn.get(view(), 1)]).toEqual([256, 5000, 1, 1n]);
    // init_new_network stores these explicitly.
    expect([s.EmissionValues.has(view(), 1), s.RegistrationsThisInterval.has(view(), 1), s.Kappa.has(view(), 1)]).toEqual([true, true, true]);
    expectConservation(t);
  });

  test('behavior: the lock cost doubles on each registration and decays linearly back to the minimum (§4.4 step 2)', async () => {
    const min = 100n * TAO;
    await put(t, entry(s.NetworkMinLockCost, [], min), entry(s.NetworkLockReductionInterval, [], 2n), entry(s.NetworkLastLockCost, [], min), entry(s.NetworkLastRegistered, [], 0n));
    const lockOf = async (): Promise<[bigint, SentResult]> => {
      const r = await send('//Charlie', 'register_network');
      expect(r.error).toBeNull();
      const [, [netuid]] = subtensorEvents(r).find(([name]) => name === 'NetworkAdded') as [string, [number, number]];
      return [s.SubnetLocked.get(view(), netuid), r];
    };
    // NetworkLastRegistered = 0: mult 1, the whole chain history decays it → the minimum.
    const [first, r1] = await lockOf();
    expect(first).toBe(min);
    // One block later: 2·L − (L/2)·1.
    const [second] = await lockOf();
    expect(second).toBe(2n * min - min / 2n);
    const [third, r3] = await lockOf();
    expect(third).toBe(2n * second - second / 2n);
    expect(networkLockCost(view(), BigInt(r3.blockNumber))).toBe(2n * third);
    expect(networkLockCost(view(), BigInt(r3.blockNumber) + 1n)).toBe(2n * third - third / 2n);
    expect(networkLockCost(view(), BigInt(r3.blockNumber) + 3n)).toBe(2n * third - (third / 2n) * 3n);
    // Four blocks after the last registration it has decayed below the minimum, which floors it.
    expect(networkLockCost(view(), BigInt(r3.blockNumber) + 4n)).toBe(min);
    await t.advanceTo(r3.blockNumber + 3);
    const [fourth] = await lockOf();
    expect(fourth).toBe(min);
    expect(r1.blockNumber).toBeGreaterThan(0);
    await put(t, entry(s.NetworkMinLockCost, [], 1000n * TAO), entry(s.NetworkLockReductionInterval, [], 100_800n));
    expectConservation(t);
  });

  test('error: NetworkTxRateLimitExceeded within NetworkRateLimit blocks of the last registration (global)', async () => {
    await put(t, entry(s.NetworkRateLimit, [], 3n));
    const first = await send('//Dave', 'register_network');
    expect(first.error).toBeNull();
    expect((await send('//Eve', 'register_network')).error).toBe('SubtensorModule.NetworkTxRateLimitExceeded');
    expect((await send('//Eve', 'register_network')).error).toBe('SubtensorModule.NetworkTxRateLimitExceeded');
    const third = await send('//Eve', 'register_network');
    expect(third.blockNumber).toBe(first.blockNumber + 3);
    expect(third.error).toBeNull();
    await put(t, entry(s.NetworkRateLimit, [], 0n));
  });

  test('error: NotEnoughBalanceToStake when the free balance does not cover the lock cost', async () => {
    await t.send('//Alice', 'Balances', 'transfer_keep_alive', { dest: { Id: t.account('//Poor') }, value: 10n * TAO });
    expect((await send('//Poor', 'register_network')).error).toBe('SubtensorModule.NotEnoughBalanceToStake');
    expectConservation(t);
  });

  test('default: register_network_with_identity stores the identity (SubnetIdentitySet before NetworkAdded)', async () => {
    const identity = { subnet_name: bytes(256), github_repo: bytes(1024), subnet_contact: bytes(1024) };
    const r = await send('//Ferdie', 'register_network_with_identity', { identity });
    expect(r.error).toBeNull();
    const events = subtensorEvents(r);
    const netuid = (events[1]![1] as [number, number])[0];
    expect(events).toEqual([['SubnetIdentitySet', netuid], ['NetworkAdded', [netuid, 0]]]);
    expect(s.SubnetIdentities.get(view(), netuid)).toEqual(identity);
    expect((await send('//Ferdie', 'register_network_with_identity', { identity: null })).error).toBeNull();
  });

  test('error: register_network_with_identity InvalidIdentity over the field limits (name 256, repo 1024, contact 1024 bytes)', async () => {
    const networks = s.TotalNetworks.get(view());
    for (const identity of [
      { subnet_name: bytes(257), github_repo: '0x', subnet_contact: '0x' },
      { subnet_name: '0x', github_repo: bytes(1025), subnet_contact: '0x' },
      { subnet_name: '0x', github_repo: '0x', subnet_contact: bytes(1025) },
    ]) {
      expect((await send('//Ferdie', 'register_network_with_identity', { identity })).error).toBe('SubtensorModule.InvalidIdentity');
    }
    expect(s.TotalNetworks.get(view())).toBe(networks);
  });

  test('default: set_subnet_identity by the owner; NotSubnetOwner, InvalidIdentity', async () => {
    const identity = { subnet_name: '0x616263', github_repo: '0x', subnet_contact: '0x01' };
    const r = await send('//Bob', 'set_subnet_identity', { netuid: 1, ...identity });
    expect(r.error).toBeNull();
    expect(subtensorEvents(r)).toEqual([['SubnetIdentitySet', 1]]);
    expect(s.SubnetIdentities.get(view(), 1)).toEqual(identity);
    expect((await send('//Charlie', 'set_subnet_identity', { netuid: 1, ...identity })).error).toBe('SubtensorModule.NotSubnetOwner');
    expect((await send('//Bob', 'set_subnet_identity', { netuid: 999, ...identity })).error).toBe('SubtensorModule.NotSubnetOwner');
    expect((await send('//Bob', 'set_subnet_identity', { netuid: 1, ...identity, subnet_name: bytes(257) })).error).toBe('SubtensorModule.InvalidIdentity');
  });

  test('default: set_identity for a coldkey with a registered hotkey; HotKeyNotRegisteredInNetwork, InvalidIdentity', async () => {
    const identity = { name: bytes(256), url: bytes(256), image: bytes(1024), discord: bytes(256), description: bytes(1024), additional: bytes(1024) };
    expect((await send('//Charlie', 'set_identity', identity)).error).toBe('SubtensorModule.HotKeyNotRegisteredInNetwork');
    expect((await send('//Charlie', 'root_register', { hotkey: t.account('//Charlie//hot') })).error).toBeNull();
    const r = await send('//Charlie', 'set_identity', identity);
    expect(r.error).toBeNull();
    expect(subtensorEvents(r)).toEqual([['ChainIdentitySet', t.account('//Charlie')]]);
    expect(s.Identities.get(view(), t.account('//Charlie'))).toEqual(identity);
    for (const field of Object.keys(identity)) {
      const limit = field === 'image' || field === 'description' || field === 'additional' ? 1024 : 256;
      expect((await send('//Charlie', 'set_identity', { ...identity, [field]: bytes(limit + 1) })).error).toBe('SubtensorModule.InvalidIdentity');
    }
  });

  test('default: dissolve_network (root) refunds the lock, removes the spec\'s items and keeps the rest (§4.4, §13.7)', async () => {
    const netuid = 1;
    const bob = t.account('//Bob');
    const hot = t.account('//Bob//miner');
    await put(
      t,
      entry(s.Keys, [netuid, 0], hot),
      entry(s.Uids, [netuid, hot], 0),
      entry(s.IsNetworkMember, [hot, netuid], true),
      entry(s.BlockAtRegistration, [netuid, 0], 5n),
      entry(s.SubnetworkN, [netuid], 1),
      entry(s.Weights, [netuid, 0], [[0, 65535]]),
      entry(s.Bonds, [netuid, 0], [[0, 65535]]),
      entry(s.Rank, [netuid], [7]),
      entry(s.LastUpdate, [netuid], [5n]),
      entry(s.PendingEmission, [netuid], 1234n),
      entry(s.Burn, [netuid], 7n * TAO),
      entry(s.Rho, [netuid], 20),
      entry(s.WeightsSetRateLimit, [netuid], 3n),
      entry(s.Weights, [0, 0], [[netuid, 100], [2, 50]]),
    );
    const [freeBefore, locked, networks] = [free(t, '//Bob'), s.SubnetLocked.get(view(), netuid), s.TotalNetworks.get(view())];
    const r = await t.sudo('SubtensorModule', 'dissolve_network', { coldkey: bob, netuid });
    expect(r.error).toBeNull();
    expect(subtensorEvents(r).filter(([name]) => name !== 'Sudid')).toEqual([['SubnetIdentityRemoved', netuid], ['NetworkRemoved', netuid]]);
    expect(free(t, '//Bob')).toBe(freeBefore + locked);
    expect(s.SubnetLocked.get(view(), netuid)).toBe(0n);
    expect(s.TotalNetworks.get(view())).toBe(networks - 1);
    for (const item of [s.NetworksAdded, s.SubnetworkN, s.Tempo, s.Kappa, s.SubnetOwner, s.NetworkRegisteredAt, s.EmissionValues, s.Rank, s.LastUpdate, s.SubnetIdentities, s.RegistrationsThisInterval]) {
      expect(item.has(view(), netuid)).toBe(false);
    }
    expect([s.Keys.has(view(), netuid, 0), s.Uids.has(view(), netuid, hot), s.Weights.has(view(), netuid, 0), s.Bonds.has(view(), netuid, 0)]).toEqual([false, false, false, false]);
    // Root weights on the removed subnet become 0; the rest of the row stays.
    expect(s.Weights.get(view(), 0, 0)).toEqual([[netuid, 0], [2, 50]]);
    // Not cleared (§13.7).
    expect(s.PendingEmission.get(view(), netuid)).toBe(1234n);
    expect(s.IsNetworkMember.get(view(), hot, netuid)).toBe(true);
    expect(s.BlockAtRegistration.get(view(), netuid, 0)).toBe(5n);
    expect([s.Burn.get(view(), netuid), s.Rho.get(view(), netuid), s.WeightsSetRateLimit.get(view(), netuid)]).toEqual([7n * TAO, 20, 3n]);
    expectConservation(t);
  });

  test('behavior: register_network reuses the lowest free netuid, which inherits the parameters remove_network kept', async () => {
    const r = await send('//Eve', 'register_network');
    expect(r.error).toBeNull();
    expect(subtensorEvents(r)).toEqual([['NetworkAdded', [1, 0]]]);
    expect(s.SubnetOwner.get(view(), 1)).toBe(t.account('//Eve'));
    expect([s.Burn.get(view(), 1), s.Rho.get(view(), 1), s.WeightsSetRateLimit.get(view(), 1)]).toEqual([7n * TAO, 20, 3n]);
    // Re-initialized ones.
    expect([s.Tempo.get(view(), 1), s.Kappa.get(view(), 1), s.EmissionValues.get(view(), 1), s.SubnetworkN.get(view(), 1)]).toEqual([360, 32767, 0n, 0]);
    // Items init_new_network does not write stay absent on a netuid never used before.
    const fresh = (subtensorEvents(await send('//Eve', 'register_network'))[0]![1] as [number, number])[0];
    expect([s.Burn.has(view(), fresh), s.Rho.has(view(), fresh), s.ServingRateLimit.has(view(), fresh)]).toEqual([false, false, false]);
    expect(s.Burn.get(view(), fresh)).toBe(TAO);
  });

  test('error: dissolve_network BadOrigin (signed), SubNetworkDoesNotExist, NotSubnetOwner', async () => {
    expect((await send('//Eve', 'dissolve_network', { coldkey: t.account('//Eve'), netuid: 1 })).error).toBe('BadOrigin');
    expect((await t.sudo('SubtensorModule', 'dissolve_network', { coldkey: t.account('//Eve'), netuid: 999 })).error).toBe('SubtensorModule.SubNetworkDoesNotExist');
    expect((await t.sudo('SubtensorModule', 'dissolve_network', { coldkey: t.account('//Bob'), netuid: 1 })).error).toBe('SubtensorModule.NotSubnetOwner');
  });

  test('error: schedule_dissolve_network is refused at submission (it needs pallet_scheduler)', async () => {
    const bytesOf = t.extrinsic('//Eve', 'SubtensorModule', 'schedule_dissolve_network', { netuid: 1 });
    await expect(t.chain.submitExtrinsic(bytesOf)).rejects.toThrow('localnet does not implement SubtensorModule.schedule_dissolve_network');
  });

  test('behavior: conservation holds after the whole sequence', () => {
    expectConservation(t);
  });
});

describe('subnet pruning at SubnetLimit (TV11 through register_network)', () => {
  let t: TestChain;
  const view = () => t.chain.stateAt();
  const register = (uri: string): Promise<SentResult> => t.send(uri, 'SubtensorModule', 'register_network', {});
  const setEmissions = (values: [bigint, bigint, bigint]): Promise<void> => put(t, ...values.map((v, i) => entry(s.EmissionValues, [i + 1], v)));

  beforeAll(async () => {
    t = await TestChain.start();
    await put(t, entry(s.NetworkRateLimit, [], 0n), entry(s.SubnetLimit, [], 3), entry(s.NetworkImmunityPeriod, [], 3n));
    // Netuids 1, 2, 3 registered 3 blocks apart, as in test_network_prune_results.
    for (const uri of ['//Bob', '//Charlie', '//Dave']) {
      const r = await register(uri);
      expect(r.error).toBeNull();
      await t.advance(2);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  test('default: emissions [5, 4, 4] → netuid 2 (tie on emission goes to the earlier registration); its owner is refunded', async () => {
    await setEmissions([5n, 4n, 4n]);
    await put(t, entry(s.Weights, [0, 0], [[1, 10], [2, 20], [3, 30]]));
    const [charlieBefore, lock2] = [free(t, '//Charlie'), s.SubnetLocked.get(view(), 2)];
    const r = await register('//Eve');
    expect(r.error).toBeNull();
    expect(subtensorEvents(r)).toEqual([['NetworkRemoved', 2], ['NetworkAdded', [2, 0]]]);
    expect(free(t, '//Charlie')).toBe(charlieBefore + lock2);
    expect(s.SubnetOwner.get(view(), 2)).toBe(t.account('//Eve'));
    expect(s.NetworkRegisteredAt.get(view(), 2)).toBe(BigInt(r.blockNumber));
    expect(s.TotalNetworks.get(view())).toBe(4);
    expect(s.Weights.get(view(), 0, 0)).toEqual([[1, 10], [2, 0], [3, 30]]);
    expectConservation(t);
  });

  test('behavior: emissions [5, 5, 4] → netuid 3', async () => {
    await setEmissions([5n, 5n, 4n]);
    const r = await register('//Ferdie');
    expect(subtensorEvents(r)).toEqual([['NetworkRemoved', 3], ['NetworkAdded', [3, 0]]]);
  });

  test('behavior: emissions [4, 5, 5] → netuid 1', async () => {
    await setEmissions([4n, 5n, 5n]);
    const r = await register('//Ferdie');
    expect(subtensorEvents(r)).toEqual([['NetworkRemoved', 1], ['NetworkAdded', [1, 0]]]);
    expectConservation(t);
  });

  test('behavior: a subnet inside NetworkImmunityPeriod is not pruned, even with the lowest emission', async () => {
    // Netuid 1 was registered in the previous block: immune; netuid 2 has the next lowest emission.
    await put(t, entry(s.EmissionValues, [1], 0n), entry(s.EmissionValues, [2], 1n), entry(s.EmissionValues, [3], 9n), entry(s.NetworkImmunityPeriod, [], 6n));
    const r = await register('//Bob');
    expect(subtensorEvents(r)).toEqual([['NetworkRemoved', 2], ['NetworkAdded', [2, 0]]]);
  });

  test('error: AllNetworksInImmunity when every subnet is immune', async () => {
    await put(t, entry(s.NetworkImmunityPeriod, [], 1_000_000n));
    const networks = s.TotalNetworks.get(view());
    expect((await register('//Bob')).error).toBe('SubtensorModule.AllNetworksInImmunity');
    expect(s.TotalNetworks.get(view())).toBe(networks);
  });
});

describe('root_register', () => {
  let t: TestChain;
  const view = () => t.chain.stateAt();
  const send = (uri: string, method: string, args: Record<string, unknown>): Promise<SentResult> => t.send(uri, 'SubtensorModule', method, args);
  const rootRegister = (coldUri: string, hotUri: string): Promise<SentResult> => send(coldUri, 'root_register', { hotkey: t.account(hotUri) });
  const stake = async (coldUri: string, hotUri: string, amount: bigint): Promise<void> => {
    expect((await send(coldUri, 'add_stake', { hotkey: t.account(hotUri), amount_staked: amount })).error).toBeNull();
  };

  beforeAll(async () => {
    t = await TestChain.start();
    // Registration counters are reset by the block step; generous limits keep these tests independent of it.
    await put(t, entry(s.MaxAllowedUids, [0], 3), entry(s.TargetStakesPerInterval, [], 1000n), entry(s.MaxRegistrationsPerBlock, [0], 100), entry(s.TargetRegistrationsPerInterval, [0], 100));
  });
  afterAll(async () => {
    await t.close();
  });

  test('default: appends the hotkey to root, creates its owner, makes it a delegate (11796) and a senate member', async () => {
    const hot = t.account('//Bob//r1');
    const r = await rootRegister('//Bob', '//Bob//r1');
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SenateMembers.MemberAdded', 'SubtensorModule.NeuronRegistered', 'System.ExtrinsicSuccess']);
    expect(subtensorEvents(r)).toEqual([['NeuronRegistered', [0, 0, hot]]]);
    expect(s.Owner.get(view(), hot)).toBe(t.account('//Bob'));
    expect(s.Delegates.get(view(), hot)).toBe(11796);
    expect(s.Keys.get(view(), 0, 0)).toBe(hot);
    expect(s.SubnetworkN.get(view(), 0)).toBe(1);
    expect(s.IsNetworkMember.get(view(), hot, 0)).toBe(true);
    expect(senate.get(view())).toEqual([hot]);
    expect([s.RegistrationsThisInterval.get(view(), 0), s.RegistrationsThisBlock.get(view(), 0)]).toEqual([1, 1]);
  });

  test('error: HotKeyAlreadyRegisteredInSubNet for a hotkey already on root', async () => {
    expect((await rootRegister('//Bob', '//Bob//r1')).error).toBe('SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
  });

  test('behavior: an existing delegate keeps its take; an existing hotkey is registered whoever signs', async () => {
    const hot = t.account('//Charlie//r2');
    await put(t, entry(s.Owner, [hot], t.account('//Charlie')), entry(s.Delegates, [hot], 100));
    const r = await rootRegister('//Dave', '//Charlie//r2');
    expect(r.error).toBeNull();
    expect(s.Owner.get(view(), hot)).toBe(t.account('//Charlie'));
    expect(s.Delegates.get(view(), hot)).toBe(100);
    expect(senate.get(view())).toEqual([t.account('//Bob//r1'), hot].sort());
  });

  test('error: TooManyRegistrationsThisBlock, TooManyRegistrationsThisInterval, RootNetworkDoesNotExist', async () => {
    await put(t, entry(s.MaxRegistrationsPerBlock, [0], 0));
    expect((await rootRegister('//Eve', '//Eve//r')).error).toBe('SubtensorModule.TooManyRegistrationsThisBlock');
    await put(t, entry(s.MaxRegistrationsPerBlock, [0], 100), entry(s.TargetRegistrationsPerInterval, [0], 0));
    expect((await rootRegister('//Eve', '//Eve//r')).error).toBe('SubtensorModule.TooManyRegistrationsThisInterval');
    await put(t, entry(s.TargetRegistrationsPerInterval, [0], 100), entry(s.NetworksAdded, [0], false));
    expect((await rootRegister('//Eve', '//Eve//r')).error).toBe('SubtensorModule.RootNetworkDoesNotExist');
    await put(t, entry(s.NetworksAdded, [0], true));
  });

  test('behavior: a full root network replaces its lowest-stake member only for strictly more stake (StakeTooLowForRoot)', async () => {
    const [r1, r2, r3, r4] = ['//Bob//r1', '//Charlie//r2', '//Eve//r3', '//Ferdie//r4'].map((u) => t.account(u));
    expect((await rootRegister('//Eve', '//Eve//r3')).error).toBeNull();
    expect(s.SubnetworkN.get(view(), 0)).toBe(3);
    await stake('//Bob', '//Bob//r1', 10n * TAO);
    await stake('//Charlie', '//Charlie//r2', 5n * TAO);
    await stake('//Eve', '//Eve//r3', 5n * TAO);
    // r4 needs an owner to be staked on before it registers.
    await put(t, entry(s.Owner, [r4], t.account('//Ferdie')));
    await stake('//Ferdie', '//Ferdie//r4', 5n * TAO);
    // Equal to the lowest (5 TAO) is not enough.
    expect((await rootRegister('//Ferdie', '//Ferdie//r4')).error).toBe('SubtensorModule.StakeTooLowForRoot');
    await stake('//Ferdie', '//Ferdie//r4', 1n);
    const charlieFree = free(t, '//Charlie');
    const r = await rootRegister('//Ferdie', '//Ferdie//r4');
    expect(r.error).toBeNull();
    // uid 1 (r2) and uid 2 (r3) tie at 5 TAO: the first in uid order goes.
    expect(subtensorEvents(r)).toEqual([['NeuronRegistered', [0, 1, r4]]]);
    expect(s.Keys.get(view(), 0, 1)).toBe(r4);
    expect(s.Uids.has(view(), 0, r2)).toBe(false);
    expect(s.IsNetworkMember.has(view(), r2, 0)).toBe(false);
    // r2 is on no network any more: its stake goes back to its nominators.
    expect(s.TotalHotkeyStake.get(view(), r2)).toBe(0n);
    expect(free(t, '//Charlie')).toBe(charlieFree + 5n * TAO);
    expect(s.SubnetworkN.get(view(), 0)).toBe(3);
    expect([s.Keys.get(view(), 0, 0), s.Keys.get(view(), 0, 2)]).toEqual([r1, r3]);
    // The senate keeps the replaced member (only joining changes it).
    expect(senate.get(view())).toEqual([r1, r2, r3, r4].sort());
    expectConservation(t);
  });

  test('behavior: with 12 senators, a new root member swaps out the lowest-stake senator only for more stake', async () => {
    const extra = Array.from({ length: 8 }, (_, i) => t.account(`//Bob//s${i}`));
    await put(t, entry(senate as unknown as StorageItem<[], AccountId[]>, [], [...senate.get(view()), ...extra].sort()), entry(s.MaxAllowedUids, [0], 64));
    expect(senate.get(view())).toHaveLength(12);
    // The senators without stake tie at 0: the last of them in member order is swapped out.
    const zero = senate.get(view()).filter((m) => s.TotalHotkeyStake.get(view(), m) === 0n);
    const weakest = zero[zero.length - 1]!;
    const hot = t.account('//Dave//r5');
    await put(t, entry(s.Owner, [hot], t.account('//Dave')));
    await stake('//Dave', '//Dave//r5', TAO);
    const r = await rootRegister('//Dave', '//Dave//r5');
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SenateMembers.MembersSwapped', 'SubtensorModule.NeuronRegistered', 'System.ExtrinsicSuccess']);
    expect(senate.get(view())).toContain(hot);
    expect(senate.get(view())).not.toContain(weakest);
    // No stake: registered on root, but the senate does not change.
    const before = senate.get(view());
    const poor = await rootRegister('//Dave', '//Dave//r6');
    expect(poor.error).toBeNull();
    expect(poor.events).toEqual(['SubtensorModule.NeuronRegistered', 'System.ExtrinsicSuccess']);
    expect(senate.get(view())).toEqual(before);
  });
});
