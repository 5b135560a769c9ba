/**
 * The metagraph's storage subscription over a real localnet and a real socket: it survives nothing it
 * should not — when the socket drops, the subscription ends (polkadot.js would re-make it under an id it
 * cannot unsubscribe), the next sync reads from the node instead of trusting a stale mirror, a new
 * subscription replaces the old one, and `close()` leaves no subscription on the node.
 */
import { connect, metagraph, type ChainClient } from '../../chain-client';
import type { Localnet } from '../../localnet';
import { createRpcServer } from '../../localnet/rpc';
import { NETUID, seededGenesis, startSeededLocalnet } from './helpers/subnet';
import { startTcpProxy, waitFor, type TcpProxy } from './helpers/tcp-proxy';

let net: Localnet;
let proxy: TcpProxy;
let client: ChainClient;

beforeAll(async () => {
  net = await startSeededLocalnet(seededGenesis(11, 3, 5));
  proxy = await startTcpProxy(net.port);
  client = await connect({ network: proxy.url, timeoutMs: 5000, reconnectDelayMs: 50 });
}, 30_000);
afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await net?.close();
}, 30_000);

const subscriptions = (): number => net.chain.listenerCount('newBlock');

test('behavior: after the socket drops, sync reads from the node, then watches again; close leaves nothing behind', async () => {
  const mg = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  const baseline = subscriptions();
  expect((await mg.sync()).requests).toBe(2);
  expect(subscriptions()).toBe(baseline + 1);
  await net.chain.newBlock();
  expect(await mg.sync()).toMatchObject({ changed: true, keysRead: 0, requests: 1 });

  proxy.dropAll();
  await waitFor(() => !client.isConnected, 3000);
  await waitFor(() => client.isConnected, 3000);
  for (let i = 0; i < 4; i++) await net.chain.newBlock(); // an epoch: stakes, vectors and bonds change
  expect(mg.watching).toBe(false);
  const after = await mg.sync();
  expect(after.keysRead).toBeGreaterThan(13 + 4 * mg.n);
  expect(after.keysPushed).toBe(0);
  const fresh = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  expect(mg.snapshot()).toEqual(fresh.snapshot());
  // The node dropped the old subscription with the socket; exactly one new one, not a second re-made by polkadot.js.
  await waitFor(() => subscriptions() === baseline + 1, 3000);
  await net.chain.newBlock();
  expect(await mg.sync()).toMatchObject({ changed: true, keysRead: 0, requests: 1 });

  await mg.close();
  await waitFor(() => subscriptions() === baseline, 3000);
  expect(await mg.sync()).toMatchObject({ changed: false, requests: 1 });
  await net.chain.newBlock();
  expect((await mg.sync()).keysPushed).toBe(0);
  expect(subscriptions()).toBe(baseline);
}, 30_000);

test('behavior: a node that refuses the subscription (its per-connection limit) is read from instead, and not asked again', async () => {
  // How many subscriptions the API itself holds per connection, measured on the main server.
  const before = subscriptions();
  const probe = await connect({ network: net.url, timeoutMs: 5000 });
  await metagraph(probe, { netuid: NETUID });
  const used = subscriptions() - before;
  await probe.close();
  const server = await createRpcServer({ backend: net.chain, port: 0, maxSubscriptionsPerConnection: used });
  const limited = await connect({ network: server.url, timeoutMs: 5000 });
  try {
    const mg = await metagraph(limited, { netuid: NETUID, weights: true });
    expect((await mg.sync()).requests).toBe(2); // the refused subscribe request
    expect(mg.watching).toBe(false);
    await net.chain.newBlock();
    const stats = await mg.sync();
    expect(stats).toMatchObject({ changed: true, requests: 2, keysPushed: 0 });
    expect(stats.keysRead).toBe(13 + 4 * mg.n);
    const fresh = await metagraph(limited, { netuid: NETUID, weights: true });
    expect(mg.snapshot()).toEqual(fresh.snapshot());
  } finally {
    await limited.close();
    await server.close();
  }
}, 30_000);
