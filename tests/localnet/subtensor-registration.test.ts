/**
 * SubtensorModule registration (spec §6): burned_register, PoW register, slot replacement (§6.2) and
 * the block-step burn/difficulty retarget (§2, §6.3, TV9), through real signed extrinsics.
 */
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { keccakAsU8a, sha256AsU8a } from '@polkadot/util-crypto';
import { runtimeItems } from '../../localnet/runtime/items';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { AccountId, EventRecord, Hex } from '../../localnet/runtime/primitives';
import type { StorageItem } from '../../localnet/runtime/storage';
import { initNewNetwork } from '../../localnet/runtime/pallets/subtensor/common';
import { StateOverlay } from '../../localnet/state/overlay';
import { TestChain } from './helpers/test-chain';

const TAO = 1_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;

let t: TestChain;
beforeAll(async () => {
  t = await TestChain.start();
});
afterAll(async () => {
  await t.close();
});

// ---- helpers --------------------------------------------------------------------------------------

type Write = [Hex, Hex];

/** One `System.set_storage` entry for `item[keys] = value`. */
function kv<K extends readonly unknown[], V>(item: StorageItem<K, V>, ...keysAndValue: [...K, V]): Write {
  const keys = keysAndValue.slice(0, -1) as unknown as K;
  return [item.key(...keys), u8aToHex(item.valueCodec.encode(keysAndValue[keysAndValue.length - 1] as V)) as Hex];
}

/** Writes all `writes` in one block (root `System.set_storage`). */
async function setMany(...writes: Write[]): Promise<void> {
  const r = await t.sudo('System', 'set_storage', { items: writes });
  expect(r.error).toBeNull();
}

const free = (uri: string): bigint => t.query(runtimeItems().System.Account, t.account(uri)).data.free;
const issuance = (): bigint => t.query(st().TotalIssuance);
const s = st();

/** The best block's `DifficultySet` events for `netuid` from the block step. */
function difficultySet(netuid: number): unknown[] {
  return initEvents()
    .map((r) => subtensorEvent([r], 'DifficultySet'))
    .filter((e): e is [number, bigint] => Array.isArray(e) && e[0] === netuid);
}

/** The payload of the first `SubtensorModule.<name>` event among `records`. */
function subtensorEvent(records: readonly EventRecord[], name: string): unknown {
  const found = records.find((r) => (r.event.SubtensorModule as Record<string, unknown> | undefined)?.[name] !== undefined);
  return found ? (found.event.SubtensorModule as Record<string, unknown>)[name] : undefined;
}

/** The best block's `Initialization`-phase events (the block step). */
function initEvents(): EventRecord[] {
  return runtimeItems()
    .System.Events.get(t.chain.stateAt())
    .filter((r) => typeof r.phase === 'object' && 'Initialization' in r.phase);
}

interface Outcome {
  readonly error: string | null;
  readonly records: EventRecord[];
}

/** Submits every call, then builds one block holding all of them; outcomes in submission order. */
async function sendInOneBlock(calls: ReadonlyArray<[string, string, Record<string, unknown>]>): Promise<Outcome[]> {
  const all = calls.map(([uri, method, args]) => t.extrinsic(uri, 'SubtensorModule', method, args));
  for (const bytes of all) await t.chain.submitExtrinsic(bytes);
  const block = await t.chain.newBlock();
  const events = runtimeItems().System.Events.get(t.chain.stateAt());
  return all.map((bytes) => {
    const index = block.extrinsics.findIndex((x) => u8aToHex(x) === u8aToHex(bytes));
    expect(index).toBeGreaterThan(0);
    const records = events.filter((r) => typeof r.phase === 'object' && 'ApplyExtrinsic' in r.phase && r.phase.ApplyExtrinsic === index);
    const failed = records.find((r) => (r.event.System as Record<string, unknown> | undefined)?.ExtrinsicFailed);
    const error = failed ? t.errorName((failed.event.System as { ExtrinsicFailed: { dispatch_error: unknown } }).ExtrinsicFailed.dispatch_error) : null;
    return { error, records };
  });
}

const burnedRegister = (coldkey: string, netuid: number, hotkey: AccountId) => t.send(coldkey, 'SubtensorModule', 'burned_register', { netuid, hotkey });

/**
 * Creates subnet `netuid` as `register_network` initializes it (as `TestChain.addNetwork`), with its
 * retarget out of the way (next one u16::MAX blocks away) and `extra` writes, all in one block.
 */
async function quietSubnet(netuid: number, extra: Write[] = [], tempo = 360): Promise<void> {
  const overlay = new StateOverlay(t.chain.stateAt());
  initNewNetwork(overlay, netuid, tempo);
  s.SubnetOwner.set(overlay, netuid, t.account('//Alice'));
  s.NetworkRegisteredAt.set(overlay, netuid, BigInt(t.blockNumber + 1));
  s.AdjustmentInterval.set(overlay, netuid, 65535);
  s.LastAdjustmentBlock.set(overlay, netuid, BigInt(t.blockNumber + 1));
  const init = [...overlay.changes()].map(([key, value]) => [key, value === null ? '0x' : u8aToHex(value)] as Write);
  await setMany(...init, ...extra);
}

// ---- PoW helpers (independent of the runtime's seal code) -----------------------------------------

function seal(blockHash: Uint8Array, hotkey: AccountId, nonce: bigint): Uint8Array {
  const nonceLe = new Uint8Array(8);
  new DataView(nonceLe.buffer).setBigUint64(0, nonce, true);
  return keccakAsU8a(sha256AsU8a(u8aConcat(nonceLe, keccakAsU8a(u8aConcat(blockHash, hexToU8a(hotkey))))));
}

const meets = (work: Uint8Array, difficulty: bigint): boolean => BigInt(u8aToHex(work)) * difficulty < 1n << 256n;

/** Solves the PoW for `hotkey` on the best block (the next block sees it as `BlockHash[b − 1]`). */
function solve(hotkey: AccountId, difficulty: bigint): { block_number: bigint; nonce: bigint; work: Hex } {
  const best = t.chain.bestBlock();
  const hash = hexToU8a(best.hash);
  for (let nonce = 0n; ; nonce++) {
    const work = seal(hash, hotkey, nonce);
    if (meets(work, difficulty)) return { block_number: BigInt(best.number), nonce, work: u8aToHex(work) as Hex };
  }
}

/** A subnet open to PoW at `difficulty`, with the retarget out of the way. */
async function powSubnet(netuid: number, difficulty: bigint, extra: Write[] = []): Promise<void> {
  await quietSubnet(netuid, [
    kv(s.NetworkPowRegistrationAllowed, netuid, true),
    kv(s.Difficulty, netuid, difficulty),
    kv(s.MinDifficulty, netuid, 1n),
    kv(s.MaxDifficulty, netuid, U64_MAX),
    ...extra,
  ]);
}

const powRegister = (signer: string, args: { netuid: number; block_number: bigint; nonce: bigint; work: Hex; hotkey: AccountId; coldkey: AccountId }) =>
  t.send(signer, 'SubtensorModule', 'register', args);

// ---- burned_register (§6.1) -----------------------------------------------------------------------

describe('burned_register', () => {
  test('default: appends uid 0, burns Burn from the coldkey and records the registration', async () => {
    await quietSubnet(1);
    const hot = t.account('//Alice//reg-hot0');
    const alice = t.account('//Alice');
    const [freeBefore, issuanceBefore, balancesIssuanceBefore] = [free('//Alice'), issuance(), t.query(runtimeItems().Balances.TotalIssuance)];
    const burn = t.query(s.Burn, 1);
    expect(burn).toBe(TAO);

    const r = await burnedRegister('//Alice', 1, hot);
    expect(r.error).toBeNull();
    // SubtensorModule calls are fee-free (Pays::No): the burn is the only withdrawal.
    expect(r.events).toEqual(['Balances.Withdraw', 'SubtensorModule.RAORecycledForRegistrationSet', 'SubtensorModule.NeuronRegistered', 'System.ExtrinsicSuccess']);
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([1, 0, hot]);
    expect(subtensorEvent(r.records, 'RAORecycledForRegistrationSet')).toEqual([1, burn]);
    expect(freeBefore - free('//Alice')).toBe(burn);
    expect(issuanceBefore - issuance()).toBe(burn);
    expect(balancesIssuanceBefore - t.query(runtimeItems().Balances.TotalIssuance)).toBe(burn);

    const b = BigInt(r.blockNumber);
    expect(t.query(s.SubnetworkN, 1)).toBe(1);
    expect(t.query(s.Keys, 1, 0)).toBe(hot);
    expect(t.query(s.Uids, 1, hot)).toBe(0);
    expect(t.query(s.BlockAtRegistration, 1, 0)).toBe(b);
    expect(t.query(s.IsNetworkMember, hot, 1)).toBe(true);
    expect(t.query(s.Owner, hot)).toBe(alice);
    expect(t.query(s.OwnedHotkeys, alice)).toContain(hot);
    expect(t.query(s.StakingHotkeys, alice)).toContain(hot);
    expect(t.query(s.LastUpdate, 1)).toEqual([b]);
    expect(t.query(s.Active, 1)).toEqual([true]);
    expect(t.query(s.ValidatorPermit, 1)).toEqual([false]);
    expect(t.query(s.PruningScores, 1)).toEqual([0]);
    expect(t.query(s.Emission, 1)).toEqual([0n]);
    expect(t.query(s.BurnRegistrationsThisInterval, 1)).toBe(1);
    expect(t.query(s.POWRegistrationsThisInterval, 1)).toBe(0);
    expect(t.query(s.RegistrationsThisInterval, 1)).toBe(1);
    expect(t.query(s.RegistrationsThisBlock, 1)).toBe(1);
    expect(t.query(s.RAORecycledForRegistration, 1)).toBe(burn);

    const second = await burnedRegister('//Alice', 1, t.account('//Alice//reg-hot1'));
    expect(subtensorEvent(second.records, 'NeuronRegistered')).toEqual([1, 1, t.account('//Alice//reg-hot1')]);
    // RegistrationsThisBlock was reset by the block step; the interval counters keep counting.
    expect(t.query(s.RegistrationsThisBlock, 1)).toBe(1);
    expect(t.query(s.RegistrationsThisInterval, 1)).toBe(2);
    expect(t.query(s.RAORecycledForRegistration, 1)).toBe(2n * burn);
  });

  test('behavior: a hotkey may register on several subnets; an existing hotkey keeps its owner', async () => {
    await quietSubnet(2);
    const hot = t.account('//Alice//reg-hot0');
    const r = await burnedRegister('//Alice', 2, hot);
    expect(r.error).toBeNull();
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([2, 0, hot]);
    expect(t.query(s.OwnedHotkeys, t.account('//Alice')).filter((h) => h === hot)).toHaveLength(1);
  });

  test('error: root and unknown subnets are refused (RegistrationNotPermittedOnRootSubnet, SubNetworkDoesNotExist)', async () => {
    expect((await burnedRegister('//Alice', 0, t.account('//Alice//x'))).error).toBe('SubtensorModule.RegistrationNotPermittedOnRootSubnet');
    expect((await burnedRegister('//Alice', 77, t.account('//Alice//x'))).error).toBe('SubtensorModule.SubNetworkDoesNotExist');
  });

  test('error: SubNetRegistrationDisabled comes before the hotkey check', async () => {
    await setMany(kv(s.NetworkRegistrationAllowed, 2, false));
    expect((await burnedRegister('//Alice', 2, t.account('//Alice//reg-hot0'))).error).toBe('SubtensorModule.SubNetRegistrationDisabled');
    await setMany(kv(s.NetworkRegistrationAllowed, 2, true));
  });

  test('error: TooManyRegistrationsThisBlock for the second registration in a block (MaxRegistrationsPerBlock 1)', async () => {
    await quietSubnet(3);
    const [first, second] = await sendInOneBlock([
      ['//Alice', 'burned_register', { netuid: 3, hotkey: t.account('//Alice//blk0') }],
      ['//Bob', 'burned_register', { netuid: 3, hotkey: t.account('//Bob//blk1') }],
    ]);
    expect(first!.error).toBeNull();
    expect(second!.error).toBe('SubtensorModule.TooManyRegistrationsThisBlock');
    expect(t.query(s.SubnetworkN, 3)).toBe(1);
    // The next block starts with a fresh per-block counter.
    expect((await burnedRegister('//Bob', 3, t.account('//Bob//blk1'))).error).toBeNull();
  });

  test('error: TooManyRegistrationsThisInterval at 3 × TargetRegistrationsPerInterval, before the hotkey check', async () => {
    await setMany(kv(s.RegistrationsThisInterval, 3, 3));
    expect((await burnedRegister('//Alice', 3, t.account('//Alice//blk0'))).error).toBe('SubtensorModule.TooManyRegistrationsThisInterval');
    await setMany(kv(s.RegistrationsThisInterval, 3, 2), kv(s.TargetRegistrationsPerInterval, 3, 1));
    expect((await burnedRegister('//Alice', 3, t.account('//Alice//int2'))).error).toBeNull();
  });

  test('error: HotKeyAlreadyRegisteredInSubNet, before the balance check', async () => {
    await setMany(kv(s.Burn, 2, 10n ** 18n));
    expect((await burnedRegister('//Alice', 2, t.account('//Alice//reg-hot0'))).error).toBe('SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
    await setMany(kv(s.Burn, 2, TAO));
  });

  test('error: NotEnoughBalanceToStake when Burn exceeds the free balance', async () => {
    await setMany(kv(s.Burn, 2, 2_000_000n * TAO));
    const before = free('//Bob');
    const r = await burnedRegister('//Bob', 2, t.account('//Bob//poor'));
    expect(r.error).toBe('SubtensorModule.NotEnoughBalanceToStake');
    expect(free('//Bob')).toBe(before);
    await setMany(kv(s.Burn, 2, TAO));
  });

  test('behavior: the burn is best effort and keeps the existential deposit; RAORecycled counts the full Burn', async () => {
    const zed = t.account('//Zed');
    await setMany(kv(s.Burn, 2, 100n));
    await t.sudo('Balances', 'force_set_balance', { who: { Id: zed }, new_free: 560n });
    const [issuanceBefore, recycledBefore] = [issuance(), t.query(s.RAORecycledForRegistration, 2)];
    const r = await burnedRegister('//Zed', 2, t.account('//Zed//hot'));
    expect(r.error).toBeNull();
    expect(free('//Zed')).toBe(500n);
    expect(issuanceBefore - issuance()).toBe(60n);
    expect(t.query(s.RAORecycledForRegistration, 2) - recycledBefore).toBe(100n);
  });

  test('error: ZeroBalanceAfterWithdrawn when only the existential deposit is left', async () => {
    // Burn (100) ≤ free (500) passes the balance check, but nothing above the existential deposit can go.
    const r = await burnedRegister('//Zed', 2, t.account('//Zed//hot2'));
    expect(r.error).toBe('SubtensorModule.ZeroBalanceAfterWithdrawn');
    expect(free('//Zed')).toBe(500n);
    await setMany(kv(s.Burn, 2, TAO));
  });

  test('error: NonAssociatedColdKey rolls back the burn and the new owner record', async () => {
    const bobsHot = t.account('//Bob//blk1');
    const [freeBefore, issuanceBefore, recycledBefore] = [free('//Alice'), issuance(), t.query(s.RAORecycledForRegistration, 2)];
    const r = await burnedRegister('//Alice', 2, bobsHot);
    expect(r.error).toBe('SubtensorModule.NonAssociatedColdKey');
    expect(r.events).toEqual(['System.ExtrinsicFailed']);
    expect(free('//Alice')).toBe(freeBefore);
    expect(issuance()).toBe(issuanceBefore);
    expect(t.query(s.RAORecycledForRegistration, 2)).toBe(recycledBefore);
    expect(t.query(s.Owner, bobsHot)).toBe(t.account('//Bob'));
    expect(t.query(s.Uids, 2, bobsHot)).toBeNull();
  });

  test('error: NoNeuronIdAvailable when MaxAllowedUids is 0 (and a fresh hotkey gets no owner)', async () => {
    await quietSubnet(4, [kv(s.MaxAllowedUids, 4, 0)]);
    const hot = t.account('//Alice//none');
    expect((await burnedRegister('//Alice', 4, hot)).error).toBe('SubtensorModule.NoNeuronIdAvailable');
    expect(t.query(s.Owner, hot)).toBe(u8aToHex(new Uint8Array(32)));
    expect(t.query(s.OwnedHotkeys, t.account('//Alice'))).not.toContain(hot);
  });

  test('error: BadOrigin for a root origin', async () => {
    expect((await t.sudo('SubtensorModule', 'burned_register', { netuid: 1, hotkey: t.account('//Alice//root') })).error).toBe('BadOrigin');
  });
});

// ---- slots: immunity, pruning, replacement (§6.2) ---------------------------------------------------

describe('replacement in a full subnet', () => {
  const hot = (i: number): AccountId => t.account(`//Alice//full${i}`);

  /** Subnet `netuid` with `n` uids registered by //Alice and MaxAllowedUids = n (interval limit lifted). */
  async function fullSubnet(netuid: number, n: number): Promise<void> {
    await quietSubnet(netuid, [kv(s.MaxAllowedUids, netuid, n), kv(s.TargetRegistrationsPerInterval, netuid, 100)]);
    for (let i = 0; i < n; i++) expect((await burnedRegister('//Alice', netuid, hot(netuid * 10 + i))).error).toBeNull();
  }

  test('behavior: the lowest pruning score among non-immune uids is replaced; the uid keeps weights, LastUpdate, scores', async () => {
    await fullSubnet(10, 3);
    const old = hot(101);
    await setMany(
      kv(s.ImmunityPeriod, 10, 0),
      kv(s.PruningScores, 10, [300, 100, 200]),
      kv(s.Weights, 10, 1, [[0, 65535]]),
      kv(s.LastUpdate, 10, [5n, 6n, 7n]),
      kv(s.ValidatorPermit, 10, [true, true, false]),
      kv(s.Active, 10, [false, false, false]),
    );
    const fresh = t.account('//Bob//new10');
    const r = await burnedRegister('//Bob', 10, fresh);
    expect(r.error).toBeNull();
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([10, 1, fresh]);
    expect(t.query(s.SubnetworkN, 10)).toBe(3);
    expect(t.query(s.Keys, 10, 1)).toBe(fresh);
    expect(t.query(s.Uids, 10, fresh)).toBe(1);
    expect(t.query(s.Uids, 10, old)).toBeNull();
    expect(t.query(s.IsNetworkMember, old, 10)).toBe(false);
    expect(t.query(s.IsNetworkMember, fresh, 10)).toBe(true);
    expect(t.query(s.BlockAtRegistration, 10, 1)).toBe(BigInt(r.blockNumber));
    // Kept: the row of weights, LastUpdate, permit; Active is set; the chosen score became 65535.
    expect(t.query(s.Weights, 10, 1)).toEqual([[0, 65535]]);
    expect(t.query(s.LastUpdate, 10)).toEqual([5n, 6n, 7n]);
    expect(t.query(s.ValidatorPermit, 10)).toEqual([true, true, false]);
    expect(t.query(s.Active, 10)).toEqual([false, true, false]);
    expect(t.query(s.PruningScores, 10)).toEqual([300, 65535, 200]);
    // The old hotkey keeps its owner record.
    expect(t.query(s.Owner, old)).toBe(t.account('//Alice'));
  });

  test('behavior: immune uids are spared while a non-immune one exists, even with a higher score', async () => {
    await fullSubnet(11, 2);
    // uid 0 registered at block 0 (no longer immune), uid 1 two blocks ago (immune) with the lowest score.
    await setMany(kv(s.ImmunityPeriod, 11, 10), kv(s.BlockAtRegistration, 11, 0, 0n), kv(s.PruningScores, 11, [900, 1]));
    expect(t.blockNumber + 1).toBeGreaterThanOrEqual(10);
    const r = await burnedRegister('//Bob', 11, t.account('//Bob//new11'));
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([11, 0, t.account('//Bob//new11')]);
  });

  test('behavior: when every uid is immune the lowest score is replaced; ties go to the earlier registration, then the lower uid', async () => {
    await fullSubnet(12, 4);
    await setMany(kv(s.PruningScores, 12, [40, 30, 30, 30]), kv(s.BlockAtRegistration, 12, 3, 1n));
    const r1 = await burnedRegister('//Bob', 12, t.account('//Bob//new12a'));
    expect(subtensorEvent(r1.records, 'NeuronRegistered')).toEqual([12, 3, t.account('//Bob//new12a')]);
    // uid 3 now scores 65535 and is newest; uids 1 and 2 tie on score and registration block → uid 1.
    await setMany(kv(s.BlockAtRegistration, 12, 2, t.query(s.BlockAtRegistration, 12, 1)));
    const r2 = await burnedRegister('//Bob', 12, t.account('//Bob//new12b'));
    expect(subtensorEvent(r2.records, 'NeuronRegistered')).toEqual([12, 1, t.account('//Bob//new12b')]);
  });

  test('behavior: a replaced hotkey on no other network returns every nominator stake to its coldkey', async () => {
    await fullSubnet(13, 1);
    const victim = hot(130);
    const [alice, charlie] = [t.account('//Alice'), t.account('//Charlie')];
    await setMany(
      kv(s.ImmunityPeriod, 13, 0),
      kv(s.Stake, victim, alice, 7n * TAO),
      kv(s.Stake, victim, charlie, 3n * TAO),
      kv(s.TotalHotkeyStake, victim, 10n * TAO),
      kv(s.TotalColdkeyStake, alice, 7n * TAO),
      kv(s.TotalColdkeyStake, charlie, 3n * TAO),
      kv(s.TotalStake, t.query(s.TotalStake) + 10n * TAO),
    );
    const [aliceBefore, charlieBefore, totalStakeBefore] = [free('//Alice'), free('//Charlie'), t.query(s.TotalStake)];
    const r = await burnedRegister('//Bob', 13, t.account('//Bob//new13'));
    expect(r.error).toBeNull();
    expect(free('//Alice') - aliceBefore).toBe(7n * TAO);
    expect(free('//Charlie') - charlieBefore).toBe(3n * TAO);
    expect(t.query(s.Stake, victim, alice)).toBe(0n);
    expect(t.query(s.Stake, victim, charlie)).toBe(0n);
    expect(t.query(s.TotalHotkeyStake, victim)).toBe(0n);
    expect(totalStakeBefore - t.query(s.TotalStake)).toBe(10n * TAO);
  });

  test('behavior: a replaced hotkey still registered elsewhere keeps its stake', async () => {
    await fullSubnet(14, 1);
    await quietSubnet(16);
    const survivor = hot(140);
    expect((await burnedRegister('//Alice', 16, survivor)).error).toBeNull();
    await setMany(kv(s.ImmunityPeriod, 14, 0), kv(s.Stake, survivor, t.account('//Alice'), 5n * TAO), kv(s.TotalHotkeyStake, survivor, 5n * TAO));
    const before = free('//Alice');
    expect((await burnedRegister('//Bob', 14, t.account('//Bob//new14'))).error).toBeNull();
    expect(t.query(s.Stake, survivor, t.account('//Alice'))).toBe(5n * TAO);
    expect(free('//Alice')).toBe(before);
    expect(t.query(s.Uids, 16, survivor)).toBe(0);
  });

  test('TV5 shape: a newcomer into a full, all-immune subnet takes the lowest-scored uid 3 and inherits its row', async () => {
    await fullSubnet(15, 4);
    // Pruning scores as the epoch of TV5 leaves them (uid 3 has the smallest emission share).
    await setMany(kv(s.PruningScores, 15, [49151, 49151, 65535, 32768]), kv(s.Weights, 15, 3, [[3, 65535]]), kv(s.Weights, 15, 0, [[2, 65535], [3, 32768]]));
    const newcomer = t.account('//Bob//tv5');
    const r = await burnedRegister('//Bob', 15, newcomer);
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([15, 3, newcomer]);
    expect(t.query(s.Weights, 15, 3)).toEqual([[3, 65535]]);
    expect(t.query(s.Weights, 15, 0)).toEqual([[2, 65535], [3, 32768]]);
    expect(t.query(s.BlockAtRegistration, 15, 3)).toBe(BigInt(r.blockNumber));
  });
});

// ---- PoW register (§6.1) ----------------------------------------------------------------------------

describe('register (PoW)', () => {
  test('default: a valid seal registers the signing hotkey for the given coldkey, without a burn', async () => {
    await powSubnet(20, 50n);
    const [hotkey, coldkey] = [t.account('//Charlie'), t.account('//Alice')];
    const aliceBefore = free('//Alice');
    const recycledBefore = t.query(s.RAORecycledForRegistration, 20);
    const solved = solve(hotkey, 50n);
    const r = await powRegister('//Charlie', { netuid: 20, ...solved, hotkey, coldkey });
    expect(r.error).toBeNull();
    expect(r.events).toEqual(['SubtensorModule.NeuronRegistered', 'System.ExtrinsicSuccess']);
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([20, 0, hotkey]);
    expect(t.query(s.Owner, hotkey)).toBe(coldkey);
    expect(free('//Alice')).toBe(aliceBefore);
    expect(t.query(s.RAORecycledForRegistration, 20)).toBe(recycledBefore);
    expect(t.query(s.POWRegistrationsThisInterval, 20)).toBe(1);
    expect(t.query(s.BurnRegistrationsThisInterval, 20)).toBe(0);
    expect(t.query(s.RegistrationsThisInterval, 20)).toBe(1);
    expect(t.query(s.UsedWork, solved.work)).toBe(BigInt(r.blockNumber));
  });

  test('behavior: work on the current block uses a zero block hash (its hash is not known yet)', async () => {
    const hotkey = t.account('//Dave');
    const b = BigInt(t.blockNumber + 1);
    let nonce = 0n;
    while (!meets(seal(new Uint8Array(32), hotkey, nonce), 50n)) nonce++;
    const work = u8aToHex(seal(new Uint8Array(32), hotkey, nonce)) as Hex;
    const r = await powRegister('//Dave', { netuid: 20, block_number: b, nonce, work, hotkey, coldkey: t.account('//Alice') });
    expect(r.error).toBeNull();
    expect(subtensorEvent(r.records, 'NeuronRegistered')).toEqual([20, 1, hotkey]);
  });

  test('error: TransactorAccountShouldBeHotKey when the signer is not the hotkey', async () => {
    const hotkey = t.account('//Eve');
    const r = await powRegister('//Ferdie', { netuid: 20, ...solve(hotkey, 50n), hotkey, coldkey: t.account('//Alice') });
    expect(r.error).toBe('SubtensorModule.TransactorAccountShouldBeHotKey');
  });

  test('error: SubNetRegistrationDisabled while PoW is off (the default), even with burns allowed', async () => {
    const hotkey = t.account('//Eve');
    const r = await powRegister('//Eve', { netuid: 1, ...solve(hotkey, 1n), hotkey, coldkey: t.account('//Alice') });
    expect(r.error).toBe('SubtensorModule.SubNetRegistrationDisabled');
  });

  test('error: InvalidWorkBlock for a future block and for one 3 blocks old', async () => {
    const hotkey = t.account('//Eve');
    const coldkey = t.account('//Alice');
    const zero = u8aToHex(new Uint8Array(32)) as Hex;
    const future = await powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber + 2), nonce: 0n, work: zero, hotkey, coldkey });
    expect(future.error).toBe('SubtensorModule.InvalidWorkBlock');
    const stale = await powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber - 2), nonce: 0n, work: zero, hotkey, coldkey });
    expect(stale.error).toBe('SubtensorModule.InvalidWorkBlock');
    // Two blocks old is still inside the window (the check that fails next is the seal).
    const inside = await powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber - 1), nonce: 0n, work: zero, hotkey, coldkey });
    expect(inside.error).toBe('SubtensorModule.InvalidSeal');
  });

  test('error: InvalidDifficulty before InvalidSeal; a zero hash meets any difficulty but is no seal', async () => {
    const hotkey = t.account('//Eve');
    const coldkey = t.account('//Alice');
    const high = u8aToHex(new Uint8Array(32).fill(0xff)) as Hex;
    const tooEasy = await powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber), nonce: 0n, work: high, hotkey, coldkey });
    expect(tooEasy.error).toBe('SubtensorModule.InvalidDifficulty');
    const zero = u8aToHex(new Uint8Array(32)) as Hex;
    const notSeal = await powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber), nonce: 0n, work: zero, hotkey, coldkey });
    expect(notSeal.error).toBe('SubtensorModule.InvalidSeal');
    // A seal for another nonce than the one claimed is no seal either.
    const solved = solve(hotkey, 50n);
    const wrongNonce = await powRegister('//Eve', { netuid: 20, ...solved, nonce: solved.nonce + 1n, hotkey, coldkey });
    expect(wrongNonce.error).toBe('SubtensorModule.InvalidSeal');
  });

  test('error: NonAssociatedColdKey when the hotkey already belongs to another coldkey', async () => {
    const hotkey = t.account('//Charlie'); // owned by //Alice since the first PoW test
    await powSubnet(21, 50n);
    const solved = solve(hotkey, 50n);
    const r = await powRegister('//Charlie', { netuid: 21, ...solved, hotkey, coldkey: t.account('//Bob') });
    expect(r.error).toBe('SubtensorModule.NonAssociatedColdKey');
    // The UsedWork record written before the pairing check is rolled back with the rest.
    expect(t.query(s.UsedWork, solved.work)).toBe(0n);
  });

  test('error: HotKeyAlreadyRegisteredInSubNet for a second PoW registration of the same hotkey', async () => {
    const hotkey = t.account('//Charlie');
    const r = await powRegister('//Charlie', { netuid: 20, ...solve(hotkey, 50n), hotkey, coldkey: t.account('//Alice') });
    expect(r.error).toBe('SubtensorModule.HotKeyAlreadyRegisteredInSubNet');
  });

  test('behavior: work that is not 32 bytes traps the runtime on chain, so the transaction is dropped, not included', async () => {
    const hotkey = t.account('//Eve');
    const nonceBefore = t.chain.accountNextIndex(t.pair('//Eve').address);
    await expect(powRegister('//Eve', { netuid: 20, block_number: BigInt(t.blockNumber), nonce: 0n, work: '0x00' as Hex, hotkey, coldkey: t.account('//Alice') })).rejects.toThrow(
      'was not included',
    );
    expect(t.chain.accountNextIndex(t.pair('//Eve').address)).toBe(nonceBefore);
  });
});

// ---- block step 1: burn and difficulty retarget (§6.3, TV9) -----------------------------------------

describe('adjustRegistrationTerms', () => {
  /**
   * Writes `writes` and an adjustment `interval` in one block (N + 1) so that the retarget is due
   * exactly at block N + 2, the next `t.advance(1)`.
   */
  async function dueAfterNextBlock(netuid: number, writes: Write[], interval = 1): Promise<void> {
    const due = BigInt(t.blockNumber + 2);
    await setMany(kv(s.AdjustmentInterval, netuid, interval), kv(s.LastAdjustmentBlock, netuid, due - BigInt(interval)), ...writes);
  }

  test('TV9 test_burn_adjustment: burn 1000, alpha 58000, target 1, two burned registrations → 1500', async () => {
    // The registrations land in block B; the retarget must not be due at B, and due at B + 1.
    const regBlock = BigInt(t.blockNumber + 2);
    await quietSubnet(
      30,
      [
        kv(s.Burn, 30, 1000n),
        kv(s.AdjustmentInterval, 30, 1),
        kv(s.AdjustmentAlpha, 30, 58000n),
        kv(s.TargetRegistrationsPerInterval, 30, 1),
        kv(s.MaxRegistrationsPerBlock, 30, 2),
        kv(s.LastAdjustmentBlock, 30, regBlock),
      ],
      13,
    );
    const outcomes = await sendInOneBlock([
      ['//Alice', 'burned_register', { netuid: 30, hotkey: t.account('//Alice//tv9a') }],
      ['//Bob', 'burned_register', { netuid: 30, hotkey: t.account('//Bob//tv9b') }],
    ]);
    expect(outcomes.map((o) => o.error)).toEqual([null, null]);
    expect(BigInt(t.blockNumber)).toBe(regBlock);
    expect(t.query(s.Burn, 30)).toBe(1000n);
    expect(t.query(s.BurnRegistrationsThisInterval, 30)).toBe(2);
    await t.advance(1);
    expect(t.query(s.Burn, 30)).toBe(1500n);
    expect(t.query(s.LastAdjustmentBlock, 30)).toBe(BigInt(t.blockNumber));
    expect(t.query(s.RegistrationsThisInterval, 30)).toBe(0);
    expect(t.query(s.BurnRegistrationsThisInterval, 30)).toBe(0);
    expect(t.query(s.POWRegistrationsThisInterval, 30)).toBe(0);
    // Too many registrations, mostly burned: only the burn moves, so no DifficultySet.
    expect(difficultySet(30)).toEqual([]);
    // An idle interval (r = 0 ≤ t, p = q = 0) lowers both; alpha 58000/u64::MAX is 0 in 18 bits → half.
    // The difficulty lands on init's MinDifficulty = u64::MAX (the ≤ min clamp), and is still "set".
    await t.advance(1);
    expect(t.query(s.Burn, 30)).toBe(750n);
    expect(difficultySet(30)).toEqual([[30, U64_MAX]]);
    expect(t.query(s.Difficulty, 30)).toBe(U64_MAX);
  });

  test('behavior: an idle subnet with the init terms (alpha ≈ 0.97) decays its burn ×0.985 per interval, down to MinBurn', async () => {
    await quietSubnet(31);
    await dueAfterNextBlock(31, []);
    await t.advance(1);
    // 254279/2¹⁸·1e9 + (1 − 254279/2¹⁸)·1e9/2, floored (I110F18).
    expect(t.query(s.Burn, 31)).toBe(984_998_703n);
    await dueAfterNextBlock(31, [kv(s.Burn, 31, 1n)]);
    await t.advance(1);
    expect(t.query(s.Burn, 31)).toBe(1n);
  });

  test('TV9 difficulty 20000, interval 1, target 1, three real PoW registrations → 40000', async () => {
    await powSubnet(32, 20_000n, [kv(s.AdjustmentAlpha, 32, 0n), kv(s.MaxRegistrationsPerBlock, 32, 3), kv(s.TargetRegistrationsPerInterval, 32, 1)]);
    for (const uri of ['//Charlie', '//Dave', '//Eve']) {
      const hotkey = t.account(uri);
      const r = await powRegister(uri, { netuid: 32, ...solve(hotkey, 20_000n), hotkey, coldkey: t.account('//Alice') });
      expect(r.error).toBeNull();
    }
    expect(t.query(s.POWRegistrationsThisInterval, 32)).toBe(3);
    await dueAfterNextBlock(32, []);
    await t.advance(1);
    expect(t.query(s.Difficulty, 32)).toBe(40_000n);
    expect(difficultySet(32)).toEqual([[32, 40_000n]]);
    // Too many registrations, mostly PoW: only the difficulty moves.
    expect(t.query(s.Burn, 32)).toBe(TAO);
  });

  // Six (or four) PoW registrations at difficulty ≥ 5000 cost ~10⁴–10⁵ hashes each in JS, so these
  // write the interval counters directly: the retarget reads nothing else.
  test('TV9 difficulty: interval 3 / target 3 with 6 PoW regs 40000 → 60000; 5000 (max 10000) with 4 regs, target 3 → 5833', async () => {
    const counters = (r: number): Write[] => [kv(s.RegistrationsThisInterval, 32, r), kv(s.POWRegistrationsThisInterval, 32, r)];
    await dueAfterNextBlock(32, [kv(s.Difficulty, 32, 40_000n), kv(s.TargetRegistrationsPerInterval, 32, 3), ...counters(6)], 3);
    await t.advance(1);
    expect(t.query(s.Difficulty, 32)).toBe(60_000n);

    await dueAfterNextBlock(32, [kv(s.Difficulty, 32, 5000n), kv(s.MaxDifficulty, 32, 10_000n), kv(s.TargetRegistrationsPerInterval, 32, 3), ...counters(4)]);
    await t.advance(1);
    expect(t.query(s.Difficulty, 32)).toBe(5833n);
  });

  test('TV9 difficulty: 4 with no registrations (min 1) → 2 → 1 → 1', async () => {
    await dueAfterNextBlock(32, [kv(s.Difficulty, 32, 4n), kv(s.MinDifficulty, 32, 1n), kv(s.TargetRegistrationsPerInterval, 32, 1)]);
    const seen: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      await t.advance(1);
      seen.push(t.query(s.Difficulty, 32));
    }
    expect(seen).toEqual([2n, 1n, 1n]);
  });

  test('behavior: the retarget waits for the adjustment interval; RegistrationsThisBlock resets every block', async () => {
    await quietSubnet(33);
    const n0 = BigInt(t.blockNumber);
    await setMany(kv(s.AdjustmentInterval, 33, 3), kv(s.LastAdjustmentBlock, 33, n0), kv(s.RegistrationsThisBlock, 33, 1), kv(s.Burn, 33, 4000n));
    expect(t.query(s.RegistrationsThisBlock, 33)).toBe(1);
    await t.advance(1);
    expect(t.query(s.RegistrationsThisBlock, 33)).toBe(0);
    expect(t.query(s.Burn, 33)).toBe(4000n);
    await t.advance(1);
    expect(t.query(s.LastAdjustmentBlock, 33)).toBe(n0 + 3n);
    expect(t.query(s.Burn, 33)).toBe(3939n);
  });

  test('behavior: the root network retargets too (its burn and difficulty sit at their minimums)', async () => {
    await dueAfterNextBlock(0, []);
    await t.advance(1);
    expect(t.query(s.LastAdjustmentBlock, 0)).toBe(BigInt(t.blockNumber));
    expect(t.query(s.Burn, 0)).toBe(TAO);
    expect(difficultySet(0)).toEqual([[0, 10_000_000n]]);
  });
});
