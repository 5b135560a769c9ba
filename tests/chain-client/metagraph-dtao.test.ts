/**
 * The metagraph on a dynamic-TAO runtime (spec 233, the testnet runtime shipped as metadata in the
 * `@bitgo/sdk-coin-tao` package). No subtensor node of that runtime can run here, so a JSON-RPC server on
 * loopback serves that runtime's real metadata and storage that this test writes, encoded with the
 * metadata's own types at the keys its own hashers give; the client under test is the real one.
 * Pins: the stake comes from `TotalHotkeyAlpha[hotkey][netuid]` (no `TotalHotkeyStake` there), every
 * other field is read and normalized as on the pre-dTAO runtime.
 */
import { Keyring } from '@polkadot/keyring';
import type { Codec } from '@polkadot/types/types';
import { Balance, connect, metagraph, type ChainClient } from '../../chain-client';
import { createRpcServer, type RpcServer } from '../../localnet/rpc';
import type { HexKey } from '../../localnet/state/types';
import { FakeChainBackend } from '../localnet/helpers/rpc-fake-backend';

const NETUID = 3;
const keyring = new Keyring({ type: 'sr25519' });
const hotkeys = [0, 1, 2].map((i) => keyring.addFromUri(`//Alice//dtao-hot${i}`).address);
const coldkeys = [0, 1, 2].map((i) => keyring.addFromUri(`//Bob//dtao-cold${i}`).address);

let backend: FakeChainBackend;
let server: RpcServer;
let client: ChainClient;

interface EntryLike {
  key(...args: unknown[]): string;
  creator: { meta: { type: { isPlain: boolean; asPlain: Codec; asMap: { value: Codec } } } };
}

/** Writes `value` at `SubtensorModule.item(args)` for the next block, encoded as the runtime's own type. */
function put(item: string, args: readonly unknown[], value: unknown): void {
  const api = client.api;
  const entry = (api.query.subtensorModule as unknown as Record<string, EntryLike>)[item.charAt(0).toLowerCase() + item.slice(1)]!;
  const type = entry.creator.meta.type;
  const typeName = api.registry.createLookupType((type.isPlain ? type.asPlain : type.asMap.value) as unknown as number);
  backend.setStorage(entry.key(...args) as HexKey, api.registry.createType(typeName, value).toU8a());
}

beforeAll(async () => {
  backend = new FakeChainBackend({ runtime: 233 });
  server = await createRpcServer({ backend, port: 0 });
  client = await connect({ network: server.url, timeoutMs: 10_000, reconnectDelayMs: 0 });
  put('NetworksAdded', [NETUID], true);
  put('SubnetworkN', [NETUID], 3);
  put('LastMechansimStepBlock', [NETUID], 1);
  put('Incentive', [NETUID], [0, 65535, 0]);
  put('Dividends', [NETUID], [65535, 0, 0]);
  put('Emission', [NETUID], [0, 2_000_000_000, 0]);
  put('ValidatorPermit', [NETUID], [true, false, false]);
  put('LastUpdate', [NETUID], [1, 0, 0]);
  hotkeys.forEach((hotkey, uid) => {
    put('Keys', [NETUID, uid], hotkey);
    put('Owner', [hotkey], coldkeys[uid]);
    put('TotalHotkeyAlpha', [hotkey, NETUID], 1_000_000_000n * BigInt(uid + 1));
    put('TotalHotkeyAlpha', [hotkey, 0], 999n); // root stake: not this subnet's
  });
  put('Axons', [NETUID, hotkeys[1]], { block: 1, version: 7, ip: (10n << 24n) + 5n, port: 8091, ipType: 4, protocol: 0, placeholder1: 0, placeholder2: 0 });
  put('Weights', [NETUID, 0], [[1, 65535]]);
  await backend.newBlock();
}, 30_000);

afterAll(async () => {
  await client?.close();
  await server?.close();
}, 30_000);

test('default: the spec-233 metadata has no TotalHotkeyStake; the metagraph reads alpha stake and everything else', async () => {
  expect(client.runtime.identity.specVersion).toBe(233);
  expect(client.runtime.hasStorage('SubtensorModule', 'TotalHotkeyStake')).toBe(false);
  const mg = await metagraph(client, { netuid: NETUID, weights: true });
  expect(mg.n).toBe(3);
  expect(mg.hotkeys).toEqual(hotkeys);
  expect(mg.coldkeys).toEqual(coldkeys);
  expect(mg.stake.map((b) => b.rao)).toEqual([1_000_000_000n, 2_000_000_000n, 3_000_000_000n]);
  expect(mg.stake[0]).toBeInstanceOf(Balance);
  expect(mg.incentive).toEqual([0, 1, 0]);
  expect(mg.dividends).toEqual([1, 0, 0]);
  expect(mg.emission.map((b) => b.rao)).toEqual([0n, 2_000_000_000n, 0n]);
  expect(mg.validatorPermit).toEqual([true, false, false]);
  expect(mg.ranks).toEqual([0, 0, 0]);
  expect(mg.axons[1]).toMatchObject({ ip: '10.0.0.5', port: 8091, ipType: 4, version: 7, isServing: true });
  expect(mg.weights).toEqual([[[1, 65535]], [], []]);
  await mg.close();
});

test('behavior: sync sees an alpha stake change and equals a fresh read', async () => {
  const mg = await metagraph(client, { netuid: NETUID });
  put('TotalHotkeyAlpha', [hotkeys[2], NETUID], 7n);
  await backend.newBlock();
  expect((await mg.sync()).changed).toBe(true);
  expect(mg.stake[2]!.rao).toBe(7n);
  const fresh = await metagraph(client, { netuid: NETUID });
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  await mg.close();
});
