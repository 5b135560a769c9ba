/**
 * SubtensorModule weights (spec §7.1 set_weights / batch_set_weights, §7.2 commit-reveal v2, §4.3
 * set_root_weights) through real signed extrinsics on an in-process chain.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import type { AccountId, EventRecord, Hex } from '../../localnet/runtime/primitives';
import { appendNeuron, createAccountIfNonExistent, increaseStake } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import { StateOverlay } from '../../localnet/state/overlay';
import { TestChain, type SentResult } from './helpers/test-chain';

let t: TestChain;

interface NeuronSeed {
  readonly hotkey: string;
  readonly coldkey: string;
  readonly stake?: bigint;
}

/**
 * Registers neurons as `append_neuron` does (spec §6.2), bypassing `burned_register`: the changes of
 * an overlay at the next block are written with `System.set_storage`, so the registration block is
 * the block that applies them. Returns the new uids.
 */
async function registerNeuronDirect(netuid: number, neurons: readonly NeuronSeed[]): Promise<number[]> {
  const overlay = new StateOverlay(t.chain.stateAt());
  const best = t.chain.bestBlock();
  const ctx = t.chain.runtime.context(overlay, { number: best.number + 1, parentHash: best.hash });
  const uids = neurons.map(({ hotkey, coldkey, stake }) => {
    const hot = t.account(hotkey);
    const cold = t.account(coldkey);
    createAccountIfNonExistent(ctx, cold, hot);
    if (stake) increaseStake(ctx, cold, hot, stake);
    return appendNeuron(ctx, netuid, hot);
  });
  const items = [...overlay.changes()].map(([key, value]) => [key, value === null ? '0x' : u8aToHex(value)]);
  const r = await t.sudo('System', 'set_storage', { items });
  if (r.error) throw new Error(`registerNeuronDirect failed: ${r.error}`);
  return uids;
}

const setWeights = (uri: string, netuid: number, dests: number[], weights: number[], versionKey = 0n): Promise<SentResult> =>
  t.send(uri, 'SubtensorModule', 'set_weights', { netuid, dests, weights, version_key: versionKey });

/** The event payload of `SubtensorModule.<name>` in a call's records. */
function eventData(r: SentResult, name: string): unknown[] {
  return r.records
    .map((rec: EventRecord) => (rec.event.SubtensorModule as Record<string, unknown> | undefined)?.[name])
    .filter((v) => v !== undefined);
}

/** The commit hash computed with @polkadot/types' own SCALE encoder (independent of the pallet's). */
function referenceHash(hotkey: AccountId, netuid: number, uids: number[], values: number[], salt: number[], versionKey: bigint): Hex {
  const { registry } = t.chain.runtime.meta;
  const encoded = registry.createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [hotkey, netuid, uids, values, salt, versionKey]).toU8a();
  return blake2AsHex(encoded, 256) as Hex;
}

beforeAll(async () => {
  t = await TestChain.start();
});
afterAll(async () => {
  await t.close();
});

// Subnet 1: 4 neurons, only uid 0 holds a validator permit. Tempo 360 keeps any epoch (block 359) out
// of these tests, so permits stay as seeded.
describe('set_weights', () => {
  const V = '//Alice//v0';
  const M1 = '//Alice//m1';
  const NET = 1;

  beforeAll(async () => {
    await t.addNetwork(NET, { tempo: 360, owner: '//Bob' });
    await registerNeuronDirect(NET, [
      { hotkey: V, coldkey: '//Alice', stake: 1_000_000_000n },
      { hotkey: M1, coldkey: '//Alice' },
      { hotkey: '//Alice//m2', coldkey: '//Alice' },
      { hotkey: '//Alice//m3', coldkey: '//Alice' },
    ]);
    await t.setStorage(st().ValidatorPermit, NET, [true, false, false, false]);
    await t.setStorage(st().WeightsSetRateLimit, NET, 0n);
  });

  test('success: values are max-upscaled and stored with LastUpdate and WeightsSet(netuid, uid)', async () => {
    const r = await setWeights(V, NET, [1, 2, 3], [0, 1, 65534]);
    expect(r.error).toBeNull();
    expect(t.query(st().Weights, NET, 0)).toEqual([[1, 0], [2, 1], [3, 65535]]);
    expect(t.query(st().LastUpdate, NET)[0]).toBe(BigInt(r.blockNumber));
    expect(eventData(r, 'WeightsSet')).toEqual([[NET, 0]]);
    expect(r.events).toContain('SubtensorModule.WeightsSet');
  });

  test('success: a maximum above 32768 scales by the truncated ratio 65535/max, then rounds', async () => {
    const r = await setWeights(V, NET, [1, 2], [40000, 20000]);
    expect(r.error).toBeNull();
    // 20000 · ⌊65535/40000⌋₃₂ = 32767.4999… → 32767 (exact halving would round to 32768).
    expect(t.query(st().Weights, NET, 0)).toEqual([[1, 65535], [2, 32767]]);
  });

  test('error: CanNotSetRootNetworkWeights on netuid 0', async () => {
    expect((await setWeights(V, 0, [0], [1])).error).toBe('SubtensorModule.CanNotSetRootNetworkWeights');
  });

  test('error: WeightVecNotEqualSize (checked before the network exists)', async () => {
    expect((await setWeights(V, NET, [1, 2], [1])).error).toBe('SubtensorModule.WeightVecNotEqualSize');
    expect((await setWeights(V, 9, [1, 2], [1])).error).toBe('SubtensorModule.WeightVecNotEqualSize');
  });

  test('error: SubNetworkDoesNotExist', async () => {
    expect((await setWeights(V, 9, [1], [1])).error).toBe('SubtensorModule.SubNetworkDoesNotExist');
  });

  test('error: UidsLengthExceedUidsInSubNet (more dests than neurons, checked before registration)', async () => {
    expect((await setWeights('//Eve//nobody', NET, [0, 1, 2, 3, 4], [1, 1, 1, 1, 1])).error).toBe('SubtensorModule.UidsLengthExceedUidsInSubNet');
  });

  test('error: HotKeyNotRegisteredInSubNet', async () => {
    expect((await setWeights('//Eve//nobody', NET, [1], [1])).error).toBe('SubtensorModule.HotKeyNotRegisteredInSubNet');
  });

  test('error: NotEnoughStakeToSetWeights below StakeThreshold', async () => {
    await t.setStorage(st().StakeThreshold, 1_000_000_001n);
    expect((await setWeights(V, NET, [1], [1])).error).toBe('SubtensorModule.NotEnoughStakeToSetWeights');
    await t.setStorage(st().StakeThreshold, 1_000_000_000n);
    expect((await setWeights(V, NET, [1], [1])).error).toBeNull();
    await t.setStorage(st().StakeThreshold, 0n);
  });

  test('error: IncorrectWeightVersionKey below WeightsVersionKey', async () => {
    await t.setStorage(st().WeightsVersionKey, NET, 5n);
    expect((await setWeights(V, NET, [1], [1], 4n)).error).toBe('SubtensorModule.IncorrectWeightVersionKey');
    expect((await setWeights(V, NET, [1], [1], 5n)).error).toBeNull();
    await t.setStorage(st().WeightsVersionKey, NET, 0n);
  });

  test('error: SettingWeightsTooFast within WeightsSetRateLimit of LastUpdate', async () => {
    const r = await setWeights(V, NET, [1], [1]);
    expect(r.error).toBeNull();
    await t.setStorage(st().WeightsSetRateLimit, NET, 3n); // block r+1
    expect((await setWeights(V, NET, [1], [1])).error).toBe('SubtensorModule.SettingWeightsTooFast'); // r+2
    expect((await setWeights(V, NET, [1], [1])).error).toBeNull(); // r+3
    await t.setStorage(st().WeightsSetRateLimit, NET, 0n);
  });

  test('behavior: a new neuron waits WeightsSetRateLimit blocks (LastUpdate = registration block)', async () => {
    await t.setStorage(st().WeightsSetRateLimit, NET, 100n);
    // M1 was registered in an early block; only the self-weight path is open to it (no permit).
    const registered = t.query(st().LastUpdate, NET)[1]!;
    expect(BigInt(t.blockNumber + 1) - registered < 100n).toBe(true);
    expect((await setWeights(M1, NET, [1], [1])).error).toBe('SubtensorModule.SettingWeightsTooFast');
    await t.setStorage(st().WeightsSetRateLimit, NET, 0n);
  });

  test('error: NeuronNoValidatorPermit for non-self weights without a permit', async () => {
    expect((await setWeights(M1, NET, [0], [1])).error).toBe('SubtensorModule.NeuronNoValidatorPermit');
    expect((await setWeights(M1, NET, [1, 0], [1, 1])).error).toBe('SubtensorModule.NeuronNoValidatorPermit');
  });

  test('behavior: a self-weight needs no permit, passes MinAllowedWeights and MaxWeightsLimit', async () => {
    await t.setStorage(st().MinAllowedWeights, NET, 3);
    await t.setStorage(st().MaxWeightsLimit, NET, 100);
    const r = await setWeights(M1, NET, [1], [7]);
    expect(r.error).toBeNull();
    expect(t.query(st().Weights, NET, 1)).toEqual([[1, 65535]]);
    expect(eventData(r, 'WeightsSet')).toEqual([[NET, 1]]);
    await t.setStorage(st().MinAllowedWeights, NET, 1);
    await t.setStorage(st().MaxWeightsLimit, NET, 65535);
  });

  test('error: DuplicateUids', async () => {
    expect((await setWeights(V, NET, [1, 1], [1, 1])).error).toBe('SubtensorModule.DuplicateUids');
  });

  test('error: UidVecContainInvalidOne for a uid without a key', async () => {
    expect((await setWeights(V, NET, [1, 7], [1, 1])).error).toBe('SubtensorModule.UidVecContainInvalidOne');
  });

  test('error: WeightVecLengthIsLow below min(MinAllowedWeights, n)', async () => {
    await t.setStorage(st().MinAllowedWeights, NET, 3);
    expect((await setWeights(V, NET, [1, 2], [1, 1])).error).toBe('SubtensorModule.WeightVecLengthIsLow');
    expect((await setWeights(V, NET, [1, 2, 3], [1, 1, 1])).error).toBeNull();
    await t.setStorage(st().MinAllowedWeights, NET, 1000);
    expect((await setWeights(V, NET, [0, 1, 2, 3], [1, 1, 1, 1])).error).toBeNull(); // min(1000, n = 4)
    await t.setStorage(st().MinAllowedWeights, NET, 1);
  });

  test('error: MaxWeightExceeded when the largest normalized weight passes MaxWeightsLimit/65535', async () => {
    await t.setStorage(st().MaxWeightsLimit, NET, 32768);
    expect((await setWeights(V, NET, [1, 2], [3, 1])).error).toBe('SubtensorModule.MaxWeightExceeded');
    expect((await setWeights(V, NET, [1, 2], [1, 1])).error).toBeNull(); // 0.5 ≤ 32768/65535
    await t.setStorage(st().MaxWeightsLimit, NET, 32767);
    expect((await setWeights(V, NET, [1, 2], [1, 1])).error).toBe('SubtensorModule.MaxWeightExceeded'); // 0.5 > 32767/65535
    await t.setStorage(st().MaxWeightsLimit, NET, 65535);
  });

  test('error: CommitRevealEnabled while commit-reveal is on', async () => {
    await t.setStorage(st().CommitRevealWeightsEnabled, NET, true);
    expect((await setWeights(V, NET, [1], [1])).error).toBe('SubtensorModule.CommitRevealEnabled');
    // Checked first: even a call that would fail every other check reports it.
    expect((await setWeights('//Eve//nobody', NET, [1, 2], [1])).error).toBe('SubtensorModule.CommitRevealEnabled');
    await t.setStorage(st().CommitRevealWeightsEnabled, NET, false);
  });

  test('behavior: a failed call changes neither Weights nor LastUpdate', async () => {
    const weights = t.query(st().Weights, NET, 0);
    const lastUpdate = t.query(st().LastUpdate, NET);
    expect((await setWeights(V, NET, [1, 1], [1, 1])).error).toBe('SubtensorModule.DuplicateUids');
    expect(t.query(st().Weights, NET, 0)).toEqual(weights);
    expect(t.query(st().LastUpdate, NET)).toEqual(lastUpdate);
  });

  test('batch_set_weights: failures become events, the call succeeds, successes are kept', async () => {
    const r = await t.send(V, 'SubtensorModule', 'batch_set_weights', {
      netuids: [NET, 9, NET],
      weights: [[[2, 10], [3, 5]], [[0, 1]], [[1, 1], [1, 2]]],
      version_keys: [0n, 0n, 0n],
    });
    expect(r.error).toBeNull();
    expect(r.events.filter((e) => e.startsWith('SubtensorModule.'))).toEqual([
      'SubtensorModule.WeightsSet',
      'SubtensorModule.BatchCompletedWithErrors',
      'SubtensorModule.BatchWeightItemFailed',
      'SubtensorModule.BatchWeightItemFailed',
      'SubtensorModule.BatchWeightsCompleted',
    ]);
    expect(eventData(r, 'BatchWeightItemFailed').map((e) => t.errorName(e))).toEqual(['SubtensorModule.SubNetworkDoesNotExist', 'SubtensorModule.DuplicateUids']);
    expect(eventData(r, 'BatchWeightsCompleted')).toEqual([[[NET, 9, NET], t.account(V)]]);
    expect(t.query(st().Weights, NET, 0)).toEqual([[2, 65535], [3, 32768]]);
  });

  test('batch_set_weights: all items succeed → only BatchWeightsCompleted; commit-reveal items fail', async () => {
    const ok = await t.send(V, 'SubtensorModule', 'batch_set_weights', { netuids: [NET], weights: [[[1, 1]]], version_keys: [0n] });
    expect(ok.events.filter((e) => e.startsWith('SubtensorModule.'))).toEqual(['SubtensorModule.WeightsSet', 'SubtensorModule.BatchWeightsCompleted']);
    await t.setStorage(st().CommitRevealWeightsEnabled, NET, true);
    const cr = await t.send(V, 'SubtensorModule', 'batch_set_weights', { netuids: [NET], weights: [[[1, 1]]], version_keys: [0n] });
    expect(eventData(cr, 'BatchWeightItemFailed').map((e) => t.errorName(e))).toEqual(['SubtensorModule.CommitRevealEnabled']);
    await t.setStorage(st().CommitRevealWeightsEnabled, NET, false);
  });

  test('batch_set_weights: error InputLengthsUnequal', async () => {
    const r = await t.send(V, 'SubtensorModule', 'batch_set_weights', { netuids: [NET, NET], weights: [[[1, 1]]], version_keys: [0n, 0n] });
    expect(r.error).toBe('SubtensorModule.InputLengthsUnequal');
  });
});

// Subnet 2: commit-reveal on, tempo 10, reveal period 1 epoch. Epoch index e(b) = ⌊(b + 3) / 11⌋.
describe('commit-reveal v2', () => {
  const NET = 2;
  const TEMPO = 10;
  const V = '//Bob//v';
  const W = '//Bob//w';
  const epoch = (b: number): number => Math.floor((b + NET + 1) / (TEMPO + 1));
  /** The first block of epoch `e`. */
  const epochStart = (e: number): number => e * (TEMPO + 1) - (NET + 1);
  const commit = (uri: string, hash: Hex): Promise<SentResult> => t.send(uri, 'SubtensorModule', 'commit_weights', { netuid: NET, commit_hash: hash });
  const reveal = (uri: string, uids: number[], values: number[], salt: number[], versionKey = 0n): Promise<SentResult> =>
    t.send(uri, 'SubtensorModule', 'reveal_weights', { netuid: NET, uids, values, salt, version_key: versionKey });
  /** Advances so that the next extrinsic lands in block `b`. */
  const landAt = (b: number): Promise<void> => t.advanceTo(b - 1);

  beforeAll(async () => {
    await t.addNetwork(NET, { tempo: TEMPO, owner: '//Bob' });
    await registerNeuronDirect(NET, [
      { hotkey: V, coldkey: '//Bob', stake: 1_000n },
      { hotkey: W, coldkey: '//Bob', stake: 1_000n },
      { hotkey: '//Bob//m', coldkey: '//Bob' },
    ]);
    await t.setStorage(st().ValidatorPermit, NET, [true, true, false]);
    await t.setStorage(st().WeightsSetRateLimit, NET, 0n);
    await t.setStorage(st().CommitRevealWeightsEnabled, NET, true);
  });

  test('full flow: commit, RevealTooEarly in the same epoch, reveal in the next epoch', async () => {
    const hotkey = t.account(V);
    const hash = referenceHash(hotkey, NET, [1, 2], [10, 20], [7, 8, 9], 0n);
    const c = await commit(V, hash);
    expect(c.error).toBeNull();
    expect(eventData(c, 'WeightsCommitted')).toEqual([[hotkey, NET, hash]]);
    const first = epochStart(epoch(c.blockNumber) + 1);
    expect(t.query(st().WeightCommits, NET, hotkey)).toEqual([[hash, BigInt(c.blockNumber), BigInt(first), BigInt(first + TEMPO)]]);
    expect(t.query(st().LastUpdate, NET)[0]).toBe(BigInt(c.blockNumber));

    await landAt(first - 1);
    expect((await reveal(V, [1, 2], [10, 20], [7, 8, 9])).error).toBe('SubtensorModule.RevealTooEarly');
    const r = await reveal(V, [1, 2], [10, 20], [7, 8, 9]);
    expect(r.blockNumber).toBe(first);
    expect(r.error).toBeNull();
    expect(r.events.filter((e) => e.startsWith('SubtensorModule.'))).toEqual(['SubtensorModule.WeightsSet', 'SubtensorModule.WeightsRevealed']);
    expect(eventData(r, 'WeightsRevealed')).toEqual([[hotkey, NET, hash]]);
    expect(t.query(st().Weights, NET, 0)).toEqual([[1, 32768], [2, 65535]]);
    expect(t.query(st().WeightCommits, NET, hotkey)).toBeNull();
    // Reveals do not refresh activity; the commit did.
    expect(t.query(st().LastUpdate, NET)[0]).toBe(BigInt(c.blockNumber));
  });

  test('error: NoWeightsCommitFound without a commit', async () => {
    expect((await reveal(W, [1], [1], [1])).error).toBe('SubtensorModule.NoWeightsCommitFound');
  });

  test('error: InvalidRevealCommitHashNotMatch for a wrong salt', async () => {
    const c = await commit(W, referenceHash(t.account(W), NET, [0], [5], [1], 0n));
    expect(c.error).toBeNull();
    await landAt(epochStart(epoch(c.blockNumber) + 1));
    expect((await reveal(W, [0], [5], [2])).error).toBe('SubtensorModule.InvalidRevealCommitHashNotMatch');
  });

  test('error: ExpiredWeightCommit after the reveal epoch (queue emptied by expiry)', async () => {
    const hotkey = t.account(W);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 1));
    // The commit drops the previous (now expired) one from the queue front.
    const c = await commit(W, referenceHash(hotkey, NET, [0], [9], [3], 0n));
    expect(c.error).toBeNull();
    expect(t.query(st().WeightCommits, NET, hotkey)?.map(([, block]) => block)).toEqual([BigInt(c.blockNumber)]);
    await landAt(epochStart(epoch(c.blockNumber) + 2));
    expect((await reveal(W, [0], [9], [3])).error).toBe('SubtensorModule.ExpiredWeightCommit');
    expect((await reveal(W, [0], [9], [4])).error).toBe('SubtensorModule.NoWeightsCommitFound');
    // Failed reveals roll back: the expired entry is still stored.
    expect(t.query(st().WeightCommits, NET, hotkey)).toHaveLength(1);
  });

  test('error: ExpiredWeightCommit with a live commit left in the queue', async () => {
    const hotkey = t.account(W);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 1));
    const old = await commit(W, referenceHash(hotkey, NET, [0], [1], [21], 0n)); // epoch E
    await landAt(epochStart(epoch(old.blockNumber) + 1));
    const live = await commit(W, referenceHash(hotkey, NET, [0], [1], [22], 0n)); // epoch E+1: `old` not yet expired
    expect(t.query(st().WeightCommits, NET, hotkey)).toHaveLength(2);
    await landAt(epochStart(epoch(live.blockNumber) + 1)); // epoch E+2: `old` expired, `live` revealable
    expect((await reveal(W, [0], [1], [21])).error).toBe('SubtensorModule.ExpiredWeightCommit');
    expect((await reveal(W, [0], [1], [23])).error).toBe('SubtensorModule.InvalidRevealCommitHashNotMatch');
    expect((await reveal(W, [0], [1], [22])).error).toBeNull();
    expect(t.query(st().WeightCommits, NET, hotkey)).toBeNull();
  });

  test('behavior: a commit drops expired entries from the queue front', async () => {
    const hotkey = t.account(W);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 2));
    const c = await commit(W, referenceHash(hotkey, NET, [0], [2], [2], 0n));
    expect(c.error).toBeNull();
    expect(t.query(st().WeightCommits, NET, hotkey)?.map(([, block]) => block)).toEqual([BigInt(c.blockNumber)]);
  });

  test('behavior: revealing a commit also removes every older one', async () => {
    const hotkey = t.account(V);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 1));
    const h1 = referenceHash(hotkey, NET, [1], [1], [1], 0n);
    const h2 = referenceHash(hotkey, NET, [2], [1], [2], 0n);
    const h3 = referenceHash(hotkey, NET, [1, 2], [1, 1], [3], 0n);
    const b = await t.send(V, 'SubtensorModule', 'batch_commit_weights', { netuids: [NET, NET, NET], commit_hashes: [h1, h2, h3] });
    expect(b.error).toBeNull();
    expect(b.events.filter((e) => e.startsWith('SubtensorModule.'))).toEqual([
      'SubtensorModule.WeightsCommitted',
      'SubtensorModule.WeightsCommitted',
      'SubtensorModule.WeightsCommitted',
      'SubtensorModule.BatchWeightsCompleted',
    ]);
    await landAt(epochStart(epoch(b.blockNumber) + 1));
    expect((await reveal(V, [2], [1], [2])).error).toBeNull();
    expect(t.query(st().WeightCommits, NET, hotkey)?.map(([h]) => h)).toEqual([h3]);
    expect((await reveal(V, [1], [1], [1])).error).toBe('SubtensorModule.InvalidRevealCommitHashNotMatch');
  });

  test('batch_reveal_weights: reveals several commits, removing only those', async () => {
    const hotkey = t.account(V);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 1));
    const h1 = referenceHash(hotkey, NET, [1], [1], [11], 0n);
    const h2 = referenceHash(hotkey, NET, [2], [3], [12], 0n);
    const h3 = referenceHash(hotkey, NET, [1, 2], [4, 5], [13], 0n);
    expect((await t.send(V, 'SubtensorModule', 'batch_commit_weights', { netuids: [NET, NET, NET], commit_hashes: [h1, h2, h3] })).error).toBeNull();
    const args = { netuid: NET, uids_list: [[1, 2], [1]], values_list: [[4, 5], [1]], salts_list: [[13], [11]], version_keys: [0n, 0n] };
    expect((await t.send(V, 'SubtensorModule', 'batch_reveal_weights', args)).error).toBe('SubtensorModule.RevealTooEarly');
    await landAt(epochStart(epoch(t.blockNumber) + 1));
    const r = await t.send(V, 'SubtensorModule', 'batch_reveal_weights', args);
    expect(r.error).toBeNull();
    expect(r.events.filter((e) => e.startsWith('SubtensorModule.'))).toEqual([
      'SubtensorModule.WeightsSet',
      'SubtensorModule.WeightsSet',
      'SubtensorModule.WeightsBatchRevealed',
    ]);
    expect(eventData(r, 'WeightsBatchRevealed')).toEqual([[hotkey, NET, [h3, h1]]]);
    expect(t.query(st().Weights, NET, 0)).toEqual([[1, 65535]]);
    expect(t.query(st().WeightCommits, NET, hotkey)?.map(([h]) => h)).toEqual([h2]);
  });

  test('batch_reveal_weights: errors InputLengthsUnequal and InvalidRevealCommitHashNotMatch (atomic)', async () => {
    const hotkey = t.account(V);
    const bad = await t.send(V, 'SubtensorModule', 'batch_reveal_weights', { netuid: NET, uids_list: [[2]], values_list: [[3]], salts_list: [], version_keys: [0n] });
    expect(bad.error).toBe('SubtensorModule.InputLengthsUnequal');
    const args = { netuid: NET, uids_list: [[2], [2]], values_list: [[3], [3]], salts_list: [[12], [99]], version_keys: [0n, 0n] };
    expect((await t.send(V, 'SubtensorModule', 'batch_reveal_weights', args)).error).toBe('SubtensorModule.InvalidRevealCommitHashNotMatch');
    expect(t.query(st().WeightCommits, NET, hotkey)?.length).toBe(1);
  });

  test('error: TooManyUnrevealedCommits past 10 pending (batch item and single call)', async () => {
    const hotkey = t.account(W);
    await landAt(epochStart(epoch(t.blockNumber + 1) + 2)); // W's older commits are expired
    const hashes = Array.from({ length: 11 }, (_, i) => referenceHash(hotkey, NET, [0], [1], [100 + i], 0n));
    const b = await t.send(W, 'SubtensorModule', 'batch_commit_weights', { netuids: hashes.map(() => NET), commit_hashes: hashes });
    expect(b.error).toBeNull();
    expect(eventData(b, 'WeightsCommitted')).toHaveLength(10);
    expect(eventData(b, 'BatchWeightItemFailed').map((e) => t.errorName(e))).toEqual(['SubtensorModule.TooManyUnrevealedCommits']);
    expect(t.query(st().WeightCommits, NET, hotkey)).toHaveLength(10);
    expect((await commit(W, hashes[10]!)).error).toBe('SubtensorModule.TooManyUnrevealedCommits');
  });

  test('error: CommittingWeightsTooFast within WeightsSetRateLimit of the last commit', async () => {
    await t.setStorage(st().WeightsSetRateLimit, NET, 50n);
    expect((await commit(V, referenceHash(t.account(V), NET, [0], [1], [5], 0n))).error).toBe('SubtensorModule.CommittingWeightsTooFast');
    await t.setStorage(st().WeightsSetRateLimit, NET, 0n);
  });

  test('errors: CommitRevealDisabled on a subnet without commit-reveal; HotKeyNotRegisteredInSubNet; InputLengthsUnequal', async () => {
    const hash = referenceHash(t.account(V), 1, [0], [1], [1], 0n);
    expect((await t.send(V, 'SubtensorModule', 'commit_weights', { netuid: 1, commit_hash: hash })).error).toBe('SubtensorModule.CommitRevealDisabled');
    expect((await t.send(V, 'SubtensorModule', 'reveal_weights', { netuid: 1, uids: [0], values: [1], salt: [1], version_key: 0n })).error).toBe('SubtensorModule.CommitRevealDisabled');
    expect((await commit('//Eve//nobody', hash)).error).toBe('SubtensorModule.HotKeyNotRegisteredInSubNet');
    const r = await t.send(V, 'SubtensorModule', 'batch_commit_weights', { netuids: [NET, NET], commit_hashes: [hash] });
    expect(r.error).toBe('SubtensorModule.InputLengthsUnequal');
  });

  test('behavior: a reveal runs the set_weights checks (permit) and fails as a whole', async () => {
    const hotkey = t.account('//Bob//m');
    await landAt(epochStart(epoch(t.blockNumber + 1) + 1));
    const hash = referenceHash(hotkey, NET, [0], [1], [1], 0n);
    expect((await commit('//Bob//m', hash)).error).toBeNull();
    await landAt(epochStart(epoch(t.blockNumber) + 1));
    // The subnet epoch just before this block re-granted permits (n < MaxAllowedValidators); take uid 2's back.
    await t.setStorage(st().ValidatorPermit, NET, [true, true, false]);
    expect((await reveal('//Bob//m', [0], [1], [1])).error).toBe('SubtensorModule.NeuronNoValidatorPermit');
    expect(t.query(st().WeightCommits, NET, hotkey)).toHaveLength(1);
  });
});

// Root network (netuid 0): set_root_weights is signed by the coldkey that owns the root hotkey.
describe('set_root_weights', () => {
  const COLD = '//Charlie';
  const HOT = '//Charlie//root';
  let hotkey: AccountId;
  const setRoot = (uri: string, netuid: number, hot: AccountId, dests: number[], weights: number[], versionKey = 0n): Promise<SentResult> =>
    t.send(uri, 'SubtensorModule', 'set_root_weights', { netuid, hotkey: hot, dests, weights, version_key: versionKey });

  beforeAll(async () => {
    hotkey = t.account(HOT);
    await registerNeuronDirect(0, [{ hotkey: HOT, coldkey: COLD, stake: 5_000n }]);
    // A hotkey Charlie owns that is on subnet 1 only.
    await registerNeuronDirect(1, [{ hotkey: '//Charlie//sub', coldkey: COLD }]);
    await t.setStorage(st().WeightsSetRateLimit, 0, 0n);
  });

  test('success: netuid dests (root included) stored max-upscaled with LastUpdate and WeightsSet(0, uid)', async () => {
    const r = await setRoot(COLD, 0, hotkey, [0, 1], [1, 2]);
    expect(r.error).toBeNull();
    expect(t.query(st().Weights, 0, 0)).toEqual([[0, 32768], [1, 65535]]);
    expect(t.query(st().LastUpdate, 0)[0]).toBe(BigInt(r.blockNumber));
    expect(eventData(r, 'WeightsSet')).toEqual([[0, 0]]);
  });

  test('error: HotKeyAccountNotExists', async () => {
    expect((await setRoot(COLD, 0, t.account('//Eve//nobody'), [1], [1])).error).toBe('SubtensorModule.HotKeyAccountNotExists');
  });

  test('error: NonAssociatedColdKey when signed by another coldkey', async () => {
    expect((await setRoot('//Dave', 0, hotkey, [1], [1])).error).toBe('SubtensorModule.NonAssociatedColdKey');
  });

  test('error: SubNetworkDoesNotExist, then NotRootSubnet', async () => {
    expect((await setRoot(COLD, 9, hotkey, [1], [1])).error).toBe('SubtensorModule.SubNetworkDoesNotExist');
    expect((await setRoot(COLD, 1, hotkey, [1], [1])).error).toBe('SubtensorModule.NotRootSubnet');
  });

  test('error: WeightVecNotEqualSize', async () => {
    expect((await setRoot(COLD, 0, hotkey, [0, 1], [1])).error).toBe('SubtensorModule.WeightVecNotEqualSize');
  });

  test('error: UidVecContainInvalidOne for a netuid that does not exist', async () => {
    expect((await setRoot(COLD, 0, hotkey, [1, 9], [1, 1])).error).toBe('SubtensorModule.UidVecContainInvalidOne');
  });

  test('error: HotKeyNotRegisteredInSubNet for an owned hotkey that is not on root', async () => {
    expect((await setRoot(COLD, 0, t.account('//Charlie//sub'), [1], [1])).error).toBe('SubtensorModule.HotKeyNotRegisteredInSubNet');
  });

  test('error: NotEnoughStakeToSetWeights (total hotkey stake below StakeThreshold)', async () => {
    await t.setStorage(st().StakeThreshold, 5_001n);
    expect((await setRoot(COLD, 0, hotkey, [1], [1])).error).toBe('SubtensorModule.NotEnoughStakeToSetWeights');
    await t.setStorage(st().StakeThreshold, 0n);
  });

  test('error: IncorrectWeightVersionKey', async () => {
    await t.setStorage(st().WeightsVersionKey, 0, 2n);
    expect((await setRoot(COLD, 0, hotkey, [1], [1], 1n)).error).toBe('SubtensorModule.IncorrectWeightVersionKey');
    await t.setStorage(st().WeightsVersionKey, 0, 0n);
  });

  test('error: SettingWeightsTooFast (default root rate limit 100)', async () => {
    await t.setStorage(st().WeightsSetRateLimit, 0, 100n);
    expect((await setRoot(COLD, 0, hotkey, [1], [1])).error).toBe('SubtensorModule.SettingWeightsTooFast');
    await t.setStorage(st().WeightsSetRateLimit, 0, 0n);
  });

  test('error: DuplicateUids', async () => {
    expect((await setRoot(COLD, 0, hotkey, [1, 1], [1, 1])).error).toBe('SubtensorModule.DuplicateUids');
  });

  test('error: WeightVecLengthIsLow (no self-weight exemption on root)', async () => {
    await t.setStorage(st().MinAllowedWeights, 0, 1);
    expect((await setRoot(COLD, 0, hotkey, [], [])).error).toBe('SubtensorModule.WeightVecLengthIsLow');
    await t.setStorage(st().MinAllowedWeights, 0, 0);
    expect((await setRoot(COLD, 0, hotkey, [], [])).error).toBeNull();
    expect(t.query(st().Weights, 0, 0)).toEqual([]);
  });

  test('error: MaxWeightExceeded, except for a single dest equal to the root uid (runtime quirk)', async () => {
    await t.setStorage(st().MaxWeightsLimit, 0, 32767);
    expect((await setRoot(COLD, 0, hotkey, [0, 1], [1, 1])).error).toBe('SubtensorModule.MaxWeightExceeded');
    expect((await setRoot(COLD, 0, hotkey, [1], [1])).error).toBe('SubtensorModule.MaxWeightExceeded');
    expect((await setRoot(COLD, 0, hotkey, [0], [1])).error).toBeNull(); // uid 0 "self-weight"
    await t.setStorage(st().MaxWeightsLimit, 0, 65535);
  });

  test('harness: the whole file stays clear of subnet 1 epoch block 358 (permits there are seeded)', () => {
    expect(t.blockNumber).toBeLessThan(358);
  });
});
