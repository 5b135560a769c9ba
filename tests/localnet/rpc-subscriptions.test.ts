/**
 * Subscriptions: head, runtime-version, storage and extrinsic-watch notifications over WebSocket,
 * through polkadot.js' `WsProvider.subscribe` and raw JSON, and their cleanup (unsubscribe, socket
 * close, server close) down to the backend's listeners.
 */
import { WsProvider } from '@polkadot/api';
import type { ExtrinsicStatus, Header } from '@polkadot/types/interfaces';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { createRpcServer, type RpcServer } from '../../localnet/rpc';
import type { HexKey } from '../../localnet/state/types';
import { FakeChainBackend, registry, SYSTEM_NUMBER_KEY, TEST_KEYS, TEST_PREFIX, testExtrinsic } from './helpers/rpc-fake-backend';
import { eventually, RawWsClient, type JsonRpcResponse } from './helpers/rpc-clients';

describe('rpc subscriptions', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;
  let client: RawWsClient;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0, maxSubscriptionsPerConnection: 8 });
    client = await RawWsClient.connect(server.url);
  });

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  async function subscribe(method: string, params: unknown[] = []): Promise<string> {
    const response = await client.request(method, params);
    expect(response.error).toBeUndefined();
    expect(typeof response.result).toBe('string');
    return response.result as string;
  }

  test('chain_subscribeNewHeads: the best header at once, then one per new block; ids are strings', async () => {
    const id = await subscribe('chain_subscribeNewHeads');
    expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
    const [initial] = await client.waitForNotifications(id, 1);
    expect(initial).toEqual({
      jsonrpc: '2.0',
      method: 'chain_newHead',
      params: { subscription: id, result: expect.objectContaining({ number: '0x0', parentHash: `0x${'00'.repeat(32)}` }) },
    });
    const b1 = await backend.newBlock();
    const b2 = await backend.newBlock();
    const notes = await client.waitForNotifications(id, 3);
    expect(notes.map((n) => registry.createType<Header>('Header', n.params.result).hash.toHex())).toEqual([backend.genesisHash, b1.hash, b2.hash]);
    expect(await client.request('chain_unsubscribeNewHeads', [id])).toMatchObject({ result: true });
    expect(await client.request('chain_unsubscribeNewHeads', [id])).toMatchObject({ result: false });
    await backend.newBlock();
    await client.request('system_health');
    expect(client.notifications(id)).toHaveLength(3);
    expect(backend.listenerCount()).toBe(0);
  });

  test('subscribe_newHead (legacy alias) notifies as chain_newHead; unsubscribe_newHead ends it', async () => {
    const id = await subscribe('subscribe_newHead');
    const [first] = await client.waitForNotifications(id, 1);
    expect(first?.method).toBe('chain_newHead');
    expect(await client.request('unsubscribe_newHead', [id])).toMatchObject({ result: true });
  });

  test('chain_subscribeFinalizedHeads: the finalized header at once, then on finality', async () => {
    const id = await subscribe('chain_subscribeFinalizedHeads');
    const block = await backend.newBlock();
    const notes = await client.waitForNotifications(id, 2);
    expect(notes.map((n) => n.method)).toEqual(['chain_finalizedHead', 'chain_finalizedHead']);
    expect(registry.createType<Header>('Header', notes[1]?.params.result).hash.toHex()).toBe(block.hash);
    expect(await client.request('chain_unsubscribeFinalisedHeads', [id])).toMatchObject({ result: true });
  });

  test('chain_subscribeAllHeads: no initial header, then every imported block', async () => {
    const id = await subscribe('chain_subscribeAllHeads');
    await client.request('system_health');
    expect(client.notifications(id)).toHaveLength(0);
    await backend.newBlock();
    const [note] = await client.waitForNotifications(id, 1);
    expect(note).toMatchObject({ method: 'chain_allHead', params: { result: { number: '0x1' } } });
    expect(await client.request('chain_unsubscribeAllHeads', [id])).toMatchObject({ result: true });
  });

  test('state_subscribeRuntimeVersion: the version at once, then only when it changes', async () => {
    const id = await subscribe('state_subscribeRuntimeVersion');
    await backend.newBlock();
    backend.setSpecVersion(220);
    await backend.newBlock();
    await backend.newBlock();
    const notes = await client.waitForNotifications(id, 2);
    await client.request('system_health');
    expect(client.notifications(id)).toHaveLength(2);
    expect(notes.map((n) => n.method)).toEqual(['state_runtimeVersion', 'state_runtimeVersion']);
    expect(notes.map((n) => (n.params.result as { specVersion: number }).specVersion)).toEqual([219, 220]);
    expect(await client.request('chain_unsubscribeRuntimeVersion', [id])).toMatchObject({ result: true });
  });

  test('state_subscribeStorage(keys): current values (null when absent), then changes of those keys only', async () => {
    const watched = TEST_KEYS[1] as HexKey;
    const absent = `${TEST_PREFIX}ffffffff` as HexKey;
    const id = await subscribe('state_subscribeStorage', [[watched, absent]]);
    const [initial] = await client.waitForNotifications(id, 1);
    expect(initial).toEqual({
      jsonrpc: '2.0',
      method: 'state_storage',
      params: { subscription: id, result: { block: backend.genesisHash, changes: [[watched, '0x010101'], [absent, null]] } },
    });
    await backend.newBlock(); // changes System.Number only: no notification
    backend.setStorage(absent, new Uint8Array([0xaa]));
    backend.setStorage(TEST_KEYS[3] as HexKey, new Uint8Array([0xbb]));
    const b2 = await backend.newBlock();
    backend.setStorage(absent, null);
    const b3 = await backend.newBlock();
    const notes = await client.waitForNotifications(id, 3);
    expect(notes.slice(1).map((n) => n.params.result)).toEqual([
      { block: b2.hash, changes: [[absent, '0xaa']] },
      { block: b3.hash, changes: [[absent, null]] },
    ]);
    expect(await client.request('state_unsubscribeStorage', [id])).toMatchObject({ result: true });
    expect(backend.listenerCount()).toBe(0);
  });

  test('state_subscribeStorage() without keys: every change of every block, no initial notification', async () => {
    const id = await subscribe('state_subscribeStorage', []);
    backend.setStorage(TEST_KEYS[0] as HexKey, new Uint8Array([5]));
    const block = await backend.newBlock();
    const [note] = await client.waitForNotifications(id, 1);
    expect(note?.params.result).toEqual({
      block: block.hash,
      changes: [[SYSTEM_NUMBER_KEY, '0x01000000'], [TEST_KEYS[0], '0x05']].sort(([a], [b]) => String(a).localeCompare(String(b))),
    });
  });

  test('author_submitAndWatchExtrinsic: ready, inBlock, finalized; then the subscription ends', async () => {
    const xt = testExtrinsic('watched transfer');
    const id = await subscribe('author_submitAndWatchExtrinsic', [u8aToHex(xt)]);
    await client.waitForNotifications(id, 1);
    const block = await backend.newBlock();
    const notes = await client.waitForNotifications(id, 3);
    expect(notes.map((n) => n.method)).toEqual(['author_extrinsicUpdate', 'author_extrinsicUpdate', 'author_extrinsicUpdate']);
    expect(notes.map((n) => n.params.result)).toEqual(['ready', { inBlock: block.hash }, { finalized: block.hash }]);
    const statuses = notes.map((n) => registry.createType<ExtrinsicStatus>('ExtrinsicStatus', n.params.result));
    expect(statuses.map((s) => s.type)).toEqual(['Ready', 'InBlock', 'Finalized']);
    expect(statuses[2]?.asFinalized.toHex()).toBe(block.hash);
    // Ended by the server after the final status.
    expect(await client.request('author_unwatchExtrinsic', [id])).toMatchObject({ result: false });
  });

  test('author_submitAndWatchExtrinsic: statuses reported before submission resolves still follow "ready"', async () => {
    backend.autoSeal = true;
    const id = await subscribe('author_submitAndWatchExtrinsic', [u8aToHex(testExtrinsic('sealed at once'))]);
    const notes = await client.waitForNotifications(id, 3);
    const block = backend.bestBlock();
    expect(notes.map((n) => n.params.result)).toEqual(['ready', { inBlock: block.hash }, { finalized: block.hash }]);
    // The id reached the client before any notification.
    const responseIndex = client.messages.findIndex((m) => (m as JsonRpcResponse).result === id);
    const firstNote = client.messages.findIndex((m) => (m as { params?: { subscription?: string } }).params?.subscription === id);
    expect(responseIndex).toBeLessThan(firstNote);
  });

  test('author_submitAndWatchExtrinsic: a rejected extrinsic fails the call with 1010; dropped is reported', async () => {
    const bad = testExtrinsic('bad signature');
    backend.rejections.set(u8aToHex(bad), 'Transaction has a bad signature');
    expect(await client.request('author_submitAndWatchExtrinsic', [u8aToHex(bad)])).toMatchObject({
      error: { code: 1010, message: 'Invalid Transaction', data: 'Transaction has a bad signature' },
    });
    const id = await subscribe('author_submitAndWatchExtrinsic', [u8aToHex(testExtrinsic('will be dropped'))]);
    await client.waitForNotifications(id, 1);
    backend.dropPending('pool full');
    const notes = await client.waitForNotifications(id, 2);
    expect(notes.map((n) => n.params.result)).toEqual(['ready', 'dropped']);
    expect(registry.createType<ExtrinsicStatus>('ExtrinsicStatus', 'dropped').isDropped).toBe(true);
  });

  test('unsubscribe: wrong kind or unknown id → false, and the subscription stays', async () => {
    const id = await subscribe('chain_subscribeNewHeads');
    expect(await client.request('state_unsubscribeStorage', [id])).toMatchObject({ result: false });
    expect(await client.request('chain_unsubscribeNewHeads', ['nope'])).toMatchObject({ result: false });
    expect((await client.request('chain_unsubscribeNewHeads', [])).error?.code).toBe(-32602);
    expect(backend.listenerCount()).toBe(1);
  });

  test('error: bad subscribe params → -32602, nothing registered', async () => {
    const response = await client.request('state_subscribeStorage', [['0xzz']]);
    expect(response.error).toEqual({ code: -32602, message: 'Invalid params: `keys[0]`: expected 0x-prefixed hex of whole bytes' });
    expect(backend.listenerCount()).toBe(0);
  });

  test('error: more subscriptions than the per-connection limit → -32006', async () => {
    for (let i = 0; i < 8; i++) await subscribe('chain_subscribeAllHeads');
    expect((await client.request('chain_subscribeAllHeads')).error).toMatchObject({ code: -32006 });
    expect(backend.listenerCount()).toBe(8);
  });

  test('cleanup: closing the socket removes every backend listener of its subscriptions', async () => {
    const other = await RawWsClient.connect(server.url);
    await subscribe('chain_subscribeNewHeads');
    await subscribe('chain_subscribeFinalizedHeads');
    await subscribe('state_subscribeStorage', [[TEST_KEYS[0]]]);
    await subscribe('state_subscribeRuntimeVersion');
    await subscribe('author_submitAndWatchExtrinsic', [u8aToHex(testExtrinsic('pending forever'))]);
    const kept = await other.request('chain_subscribeAllHeads');
    expect(backend.listenerCount()).toBe(5);
    await client.close();
    await eventually(() => backend.listenerCount() === 1);
    await backend.newBlock();
    await other.waitForNotifications(kept.result as string, 1);
    await other.close();
    await eventually(() => backend.listenerCount() === 0 && server.connectionCount() === 0);
  });

  test('cleanup: a socket closed while the subscribe call is in flight leaves nothing behind', async () => {
    // The watch subscription awaits the pool; close the socket in the same tick as the request.
    client.sendRaw({ jsonrpc: '2.0', id: 1, method: 'chain_subscribeNewHeads', params: [] });
    client.sendRaw({ jsonrpc: '2.0', id: 2, method: 'author_submitAndWatchExtrinsic', params: [u8aToHex(testExtrinsic('racing'))] });
    client.socket.terminate();
    await client.closed;
    await eventually(() => server.connectionCount() === 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(backend.listenerCount()).toBe(0);
  });
});

describe('rpc subscriptions through polkadot.js WsProvider', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;
  let provider: WsProvider;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0 });
    provider = new WsProvider(server.url, false);
    await provider.connect();
    await provider.isReady;
  });

  afterEach(async () => {
    await provider.disconnect();
    await server.close();
  });

  test('chain_newHead via provider.subscribe, then provider.unsubscribe', async () => {
    const heads: string[] = [];
    const id = await provider.subscribe('chain_newHead', 'chain_subscribeNewHeads', [], (err: Error | null, result: unknown) => {
      expect(err).toBeNull();
      heads.push(registry.createType<Header>('Header', result).hash.toHex());
    });
    expect(typeof id).toBe('string');
    const block = await backend.newBlock();
    await eventually(() => heads.length === 2);
    expect(heads).toEqual([backend.genesisHash, block.hash]);
    expect(await provider.unsubscribe('chain_newHead', 'chain_unsubscribeNewHeads', id)).toBe(true);
    expect(backend.listenerCount()).toBe(0);
  });

  test('author_extrinsicUpdate via provider.subscribe, decoded as ExtrinsicStatus', async () => {
    const xt = testExtrinsic('provider watch');
    const statuses: string[] = [];
    await provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [u8aToHex(xt)], (_err: Error | null, result: unknown) => {
      statuses.push(registry.createType<ExtrinsicStatus>('ExtrinsicStatus', result).type);
    });
    await eventually(() => statuses.length === 1);
    await provider.send('dev_newBlock', []);
    await eventually(() => statuses.length === 3);
    expect(statuses).toEqual(['Ready', 'InBlock', 'Finalized']);
    const block = backend.bestBlock();
    expect(block.extrinsics.map((e) => blake2AsHex(e, 256))).toEqual([blake2AsHex(xt, 256)]);
  });

  test('state_storage via provider.subscribe', async () => {
    const key = TEST_KEYS[4] as HexKey;
    const seen: unknown[] = [];
    await provider.subscribe('state_storage', 'state_subscribeStorage', [[key]], (_err: Error | null, result: unknown) => {
      seen.push(result);
    });
    backend.setStorage(key, new Uint8Array([1, 2]));
    const block = await backend.newBlock();
    await eventually(() => seen.length === 2);
    expect(seen[1]).toEqual({ block: block.hash, changes: [[key, '0x0102']] });
  });
});
