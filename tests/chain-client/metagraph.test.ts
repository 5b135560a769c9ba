/**
 * metagraph() and sync() against a real localnet with a seeded subnet: values equal storage read
 * independently through @polkadot/api queries, sync re-reads only what changed, and an incrementally
 * synced metagraph equals a fresh read at the same block.
 */
import '@polkadot/api-augment';
import { Keyring } from '@polkadot/keyring';
import type { Codec } from '@polkadot/types/types';
import { Balance, connect, ipToString, metagraph, type ChainClient, type MetagraphData } from '../../chain-client';
import type { Localnet } from '../../localnet';
import { NETUID, seededGenesis, send, startSeededLocalnet } from './helpers/subnet';

const V = 3;
const M = 4;
let net: Localnet;
let client: ChainClient;
const keyring = new Keyring({ type: 'sr25519' });

beforeAll(async () => {
  net = await startSeededLocalnet(seededGenesis(42, V, M));
  client = await connect({ network: net.url, timeoutMs: 10_000 });
  // The first epoch grants validator permits; then validators weight miners, and a miner serves.
  for (let i = 0; i < 5; i++) await net.chain.newBlock();
  const api = client.api;
  for (let v = 0; v < V; v++) {
    const dests = Array.from({ length: M }, (_, i) => V + i);
    const weights = dests.map((_, i) => (i + 1 + v) * 1000);
    expect(await send(net, api, api.tx.subtensorModule.setWeights(NETUID, dests, weights, 0), keyring.addFromUri(`//Alice//v${v}`))).toBeNull();
  }
  expect(await send(net, api, api.tx.subtensorModule.serveAxon(NETUID, 7, (10n << 24n) + (1n << 8n) + 5n, 8091, 4, 0, 0, 0), keyring.addFromUri('//Bob//m1'))).toBeNull();
  for (let i = 0; i < 5; i++) await net.chain.newBlock();
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
}, 30_000);

async function q(item: string, ...args: unknown[]): Promise<Codec> {
  return (client.api.query.subtensorModule as unknown as Record<string, (...a: unknown[]) => Promise<Codec>>)[item]!(...args);
}
const nums = (c: Codec): number[] => (c.toJSON() as number[]).map(Number);

/** Every field checked against storage read through @polkadot/api at the best block. */
async function expectEqualsStorage(mg: MetagraphData): Promise<void> {
  expect(mg.block).toBe(net.chain.bestBlock().number);
  const n = Number((await q('subnetworkN', NETUID)).toJSON());
  expect(mg.n).toBe(n);
  expect(mg.uids).toEqual(Array.from({ length: n }, (_, i) => i));
  for (let uid = 0; uid < n; uid++) {
    const hotkey = (await q('keys', NETUID, uid)).toString();
    expect(mg.hotkeys[uid]).toBe(hotkey);
    expect(mg.coldkeys[uid]).toBe((await q('owner', hotkey)).toString());
    expect(mg.stake[uid]!.rao).toBe(BigInt((await q('totalHotkeyStake', hotkey)).toString()));
    const axon = (await q('axons', NETUID, hotkey)).toJSON() as { ip: number | string; port: number; ipType: number; version: number } | null;
    expect(mg.axons[uid]!.port).toBe(axon?.port ?? 0);
    expect(mg.axons[uid]!.ip).toBe(ipToString(BigInt(axon?.ip ?? 0), axon?.ipType ?? 4));
    if (mg.weights) expect(mg.weights[uid]).toEqual((await q('weights', NETUID, uid)).toJSON());
    if (mg.bonds) expect(mg.bonds[uid]).toEqual((await q('bonds', NETUID, uid)).toJSON());
  }
  const u16 = async (item: string): Promise<number[]> => nums(await q(item, NETUID)).map((x) => x / 65535);
  expect(mg.ranks).toEqual(await u16('rank'));
  expect(mg.trust).toEqual(await u16('trust'));
  expect(mg.consensus).toEqual(await u16('consensus'));
  expect(mg.incentive).toEqual(await u16('incentive'));
  expect(mg.dividends).toEqual(await u16('dividends'));
  expect(mg.validatorTrust).toEqual(await u16('validatorTrust'));
  expect(mg.pruningScores).toEqual(await u16('pruningScores'));
  expect(mg.emission.map((b) => b.rao)).toEqual(((await q('emission', NETUID)).toJSON() as Array<number | string>).map((x) => BigInt(x)));
  expect(mg.validatorPermit).toEqual((await q('validatorPermit', NETUID)).toJSON());
  expect(mg.active).toEqual((await q('active', NETUID)).toJSON());
  expect(mg.lastUpdate).toEqual(nums(await q('lastUpdate', NETUID)));
}

test('default: every field equals storage, normalized (u16 → [0,1], rao → Balance)', async () => {
  const mg = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  await expectEqualsStorage(mg);
  expect(mg.n).toBe(V + M);
  expect(mg.hotkeys[0]).toBe(keyring.addFromUri('//Alice//v0').address);
  expect(mg.coldkeys[1]).toBe(keyring.addFromUri('//Bob').address);
  // The scenario is non-trivial: the epoch ran on the weights.
  expect(mg.incentive.slice(V).every((x) => x > 0)).toBe(true);
  expect(mg.dividends.slice(0, V).some((x) => x > 0)).toBe(true);
  expect(mg.validatorPermit.slice(0, V)).toEqual([true, true, true]);
  expect(mg.weights![0]!.length).toBe(M);
  expect(mg.bonds!.some((row) => row.length > 0)).toBe(true);
  expect(mg.axons[V + 1]).toMatchObject({ ip: '10.0.1.5', port: 8091, ipType: 4, version: 7, isServing: true });
  expect(mg.axons[0]).toMatchObject({ ip: '0.0.0.0', port: 0, isServing: false });
  expect(mg.stake[0]).toBeInstanceOf(Balance);
  expect(mg.stake[0]!.rao).toBeGreaterThanOrEqual(1_000_000_000_000n);
});

test('behavior: without the watch, sync re-reads the known keys and reads more only for what changed', async () => {
  const mg = await metagraph(client, { netuid: NETUID, weights: true, watch: false });
  const n = mg.n;
  const same = await mg.sync();
  expect(same).toEqual({ block: mg.block, changed: false, requests: 1, keysRead: 0, keysPushed: 0 });

  // A block with no weight change: one round trip over the known key set.
  await net.chain.newBlock();
  const quiet = await mg.sync();
  expect(quiet.changed).toBe(true);
  expect(quiet.requests).toBe(2);
  expect(quiet.keysRead).toBe(13 + n + 3 * n);

  // One validator sets weights: exactly one weight row is re-read.
  const api = client.api;
  expect(await send(net, api, api.tx.subtensorModule.setWeights(NETUID, [V, V + 2], [65535, 1], 0), keyring.addFromUri('//Alice//v1'))).toBeNull();
  const oneRow = await mg.sync();
  expect(oneRow.keysRead).toBe(13 + n + 3 * n + 1);
  expect(mg.weights![1]).toEqual([[V, 65535], [V + 2, 1]]);

  // A new neuron registers: its key, owner, stake, axon and weight row are read.
  expect(await send(net, api, api.tx.subtensorModule.burnedRegister(NETUID, keyring.addFromUri('//Charlie//new').address), keyring.addFromUri('//Charlie'))).toBeNull();
  const grown = await mg.sync();
  expect(mg.n).toBe(n + 1);
  expect(mg.hotkeys[n]).toBe(keyring.addFromUri('//Charlie//new').address);
  expect(mg.coldkeys[n]).toBe(keyring.addFromUri('//Charlie').address);
  expect(grown.requests).toBe(4);

  const fresh = await metagraph(client, { netuid: NETUID, weights: true });
  expect(fresh.block).toBe(mg.block);
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  await expectEqualsStorage(mg);
});

test('behavior: with the watch (default), a sync reads only new keys; the node pushes the rest', async () => {
  const mg = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  const n = mg.n;
  // The first sync opens the storage subscription (one request); the node sends every value once.
  expect(await mg.sync()).toEqual({ block: mg.block, changed: false, requests: 2, keysRead: 0, keysPushed: 0 });
  expect(await mg.sync()).toEqual({ block: mg.block, changed: false, requests: 1, keysRead: 0, keysPushed: 0 });

  await net.chain.newBlock();
  const quiet = await mg.sync();
  expect(quiet).toEqual({ block: mg.block, changed: true, requests: 1, keysRead: 0, keysPushed: 13 + n + 3 * n });
  expect(mg.watching).toBe(true);

  const api = client.api;
  expect(await send(net, api, api.tx.subtensorModule.setWeights(NETUID, [V, V + 2], [65535, 7], 0), keyring.addFromUri('//Alice//v1'))).toBeNull();
  const oneRow = await mg.sync();
  expect(oneRow).toMatchObject({ requests: 1, keysRead: 0 });
  expect(mg.weights![1]).toEqual([[V, 65535], [V + 2, 7]]);

  // A new neuron: its uid key, then its owner, stake, axon, weight and bond rows are read, then watched too.
  expect(await send(net, api, api.tx.subtensorModule.burnedRegister(NETUID, keyring.addFromUri('//Charlie//other').address), keyring.addFromUri('//Charlie'))).toBeNull();
  const grown = await mg.sync();
  expect(mg.n).toBe(n + 1);
  expect(mg.hotkeys[n]).toBe(keyring.addFromUri('//Charlie//other').address);
  expect(grown).toMatchObject({ requests: 4, keysRead: 1 + 3 + 2 });

  // Epochs rewrite bonds, stakes and vectors: all pushed, and the result equals a fresh read.
  for (let i = 0; i < 5; i++) await net.chain.newBlock();
  const epoch = await mg.sync();
  expect(epoch).toMatchObject({ requests: 1, keysRead: 0, keysPushed: 13 + (n + 1) * 4 + (n + 1) });
  const fresh = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  expect(fresh.block).toBe(mg.block);
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  await expectEqualsStorage(mg);

  // Closed: back to reading, and the subscription is gone on the node.
  await mg.close();
  expect(mg.watching).toBe(false);
  await net.chain.newBlock();
  expect((await mg.sync()).keysRead).toBe(13 + (n + 1) * 4);
});

test('behavior: bonds are re-read when an epoch ran, and reads at a past block see that block', async () => {
  const mg = await metagraph(client, { netuid: NETUID, bonds: true });
  const before = mg.snapshot();
  for (let i = 0; i < 5; i++) await net.chain.newBlock();
  const stats = await mg.sync();
  expect(stats.keysRead).toBe(13 + 4 * mg.n + mg.n);
  expect(mg.bonds).not.toEqual(before.bonds);
  const fresh = await metagraph(client, { netuid: NETUID, bonds: true });
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  const past = await metagraph(client, { netuid: NETUID, bonds: true, block: before.block });
  expect(past.snapshot()).toEqual(before);
});

test('behavior: concurrent syncs run one at a time and agree', async () => {
  const mg = await metagraph(client, { netuid: NETUID, weights: true });
  await net.chain.newBlock();
  const stats = await Promise.all([mg.sync(), mg.sync(), mg.sync()]);
  expect(stats.map((s) => s.changed)).toEqual([true, false, false]);
  expect(new Set(stats.map((s) => s.block)).size).toBe(1);
  const fresh = await metagraph(client, { netuid: NETUID, weights: true });
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  await mg.close();
});

test('error: an unknown subnet is InvalidStorage', async () => {
  await expect(metagraph(client, { netuid: 99 })).rejects.toMatchObject({ code: 'InvalidStorage' });
});

test('args: Balance is exact', () => {
  expect(Balance.fromTao('1.5').rao).toBe(1_500_000_000n);
  expect(Balance.fromRao(18446744073709551615n).tao).toBe('18446744073.709551615');
  expect(Balance.fromRao(1n).toString()).toBe('τ0.000000001');
  expect(Balance.fromTao('2').plus(Balance.fromRao(5)).toJSON()).toBe('2000000005');
  expect(() => Balance.fromRao(-1)).toThrow(expect.objectContaining({ code: 'InvalidStorage' }));
  expect(() => Balance.fromRao(0.5)).toThrow();
  expect(() => Balance.fromTao('1.0000000001')).toThrow();
});
