/**
 * Read paths: a value the subtensor node serves several ways (runtime API through `state_call`, custom
 * RPC, storage) reads the same through each, and the connection picks the first its node has. localnet
 * (spec 219) has all three; the RPC fake declares no subtensor runtime API, so its client falls back
 * to the custom RPC. (A node with neither, like chopsticks running spec 143, reads storage: the
 * conformance suite covers it against a real runtime.)
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, getNetworkLockCost, hasRuntimeApi, readPaths, stateCall, type ChainClient, type ReadPath } from '../../chain-client';
import { registerNetwork } from '../../chain-client/operations';
import { sendSudo } from '../../chain-client/operations/common';
import { startLocalnet, type Localnet } from '../../localnet';
import { createRpcServer, type RpcServer } from '../../localnet/rpc';
import { FakeChainBackend } from '../localnet/helpers/rpc-fake-backend';

const PATHS: readonly ReadPath[] = ['runtime-api', 'custom-rpc', 'storage'];
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');

let net: Localnet;
let client: ChainClient;

/** The lock cost through each path, at one block. */
async function lockCostEachWay(at: string): Promise<bigint[]> {
  return Promise.all(PATHS.map(async (via) => (await getNetworkLockCost(client, { via, at })).rao));
}

/** Builds blocks until `p` settles (manual block production). */
async function sealing<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const settled = p.finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((r) => setTimeout(r, 20));
    if (!done) await net.chain.newBlock();
  }
  return settled;
}

beforeAll(async () => {
  await cryptoWaitReady();
  net = await startLocalnet({ port: 0, blockTimeMs: 0 });
  client = await connect({ network: net.url, timeoutMs: 5_000, reconnectDelayMs: 0 });
});

afterAll(async () => {
  await client?.close();
  await net?.close();
});

test('default: localnet declares the subtensor runtime APIs, so reads go through state_call', async () => {
  expect(['NeuronInfoRuntimeApi', 'SubnetInfoRuntimeApi', 'SubnetRegistrationRuntimeApi', 'DelegateInfoRuntimeApi'].map((api) => hasRuntimeApi(client, api))).toEqual([true, true, true, true]);
  expect(hasRuntimeApi(client, 'NoSuchRuntimeApi')).toBe(false);
  expect(await readPaths(client)).toEqual({ lockCost: 'runtime-api' });
  // Detected once per connection: the same promise again.
  expect(readPaths(client)).toBe(readPaths(client));
});

test('behavior: the lock cost is the same through the runtime API, the custom RPC and storage, before and after a registration', async () => {
  const genesis = (await client.api.rpc.chain.getHeader()).hash.toHex();
  const [initial, ...others] = await lockCostEachWay(genesis);
  expect(initial).toBeGreaterThan(0n);
  expect(others).toEqual([initial, initial]);

  await sealing(sendSudo(client, client.api.tx.adminUtils.sudoSetNetworkRateLimit(0), alice, {}));
  const registered = await sealing(registerNetwork(client, { signer: alice }));
  expect(registered.lockCost.rao).toBe(initial);
  // After a registration the cost doubles, then decays per block: read a few blocks later, at one block, every way.
  for (let i = 0; i < 3; i++) await net.chain.newBlock();
  const later = (await client.api.rpc.chain.getHeader()).hash.toHex();
  const [afterApi, ...afterOthers] = await lockCostEachWay(later);
  expect(afterApi).toBeGreaterThan(initial);
  expect(afterOthers).toEqual([afterApi, afterApi]);
  expect((await getNetworkLockCost(client)).rao).toBe(afterApi);
});

test('behavior: stateCall returns the runtime API answer; an unknown function is the node error', async () => {
  const bytes = await stateCall(client, 'SubnetRegistrationRuntimeApi_get_network_registration_cost', new Uint8Array());
  expect(bytes.length).toBe(8);
  expect(client.api.createType('u64', bytes).toBigInt()).toBe((await getNetworkLockCost(client, { via: 'custom-rpc' })).rao);
  await expect(stateCall(client, 'NoSuchRuntimeApi_nothing', new Uint8Array())).rejects.toThrow(/NoSuchRuntimeApi_nothing/);
});

describe('a node without the runtime API', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;
  let fakeClient: ChainClient;

  beforeAll(async () => {
    backend = new FakeChainBackend({ runtime: 219 });
    backend.lockCost = 123_456_789_000n;
    server = await createRpcServer({ backend, port: 0 });
    fakeClient = await connect({ network: server.url, timeoutMs: 5_000, reconnectDelayMs: 0 });
  });

  afterAll(async () => {
    await fakeClient?.close();
    await server?.close();
  });

  test('fallback: the lock cost comes from the custom RPC the node lists', async () => {
    expect(hasRuntimeApi(fakeClient, 'SubnetRegistrationRuntimeApi')).toBe(false);
    expect(await readPaths(fakeClient)).toEqual({ lockCost: 'custom-rpc' });
    expect((await getNetworkLockCost(fakeClient)).rao).toBe(123_456_789_000n);
  });
});
