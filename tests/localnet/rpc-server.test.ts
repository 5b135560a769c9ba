/**
 * The JSON-RPC transport and protocol: HTTP POST and WebSocket on one port, standard error objects,
 * batches, size limits, robustness against bad input, shutdown.
 */
import { createRpcServer, type RpcServer } from '../../localnet/rpc';
import { FakeChainBackend } from './helpers/rpc-fake-backend';
import { eventually, postJson, RawWsClient, type JsonRpcResponse } from './helpers/rpc-clients';

describe('rpc server: transport and protocol', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0 });
  });

  afterEach(async () => {
    await server.close();
  });

  test('default: binds 127.0.0.1 and reports ws/http urls on one port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    expect(server.httpUrl).toBe(`http://127.0.0.1:${server.port}`);
  });

  test('behavior: HTTP POST answers a request', async () => {
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 7, method: 'system_chain', params: [] });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/application\/json/);
    expect(reply.body).toEqual({ jsonrpc: '2.0', id: 7, result: 'Tensornet Localnet' });
  });

  test('behavior: WebSocket answers a request; string ids and absent params are fine', async () => {
    const ws = await RawWsClient.connect(server.url);
    ws.sendRaw({ jsonrpc: '2.0', id: 'abc', method: 'system_name' });
    expect(await ws.waitFor((m) => (m as JsonRpcResponse).id === 'abc')).toEqual({ jsonrpc: '2.0', id: 'abc', result: 'tensornet-localnet' });
    await ws.close();
  });

  test('error: invalid JSON → -32700 with id null (HTTP and WS)', async () => {
    const reply = await postJson(server.httpUrl, '{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    const ws = await RawWsClient.connect(server.url);
    ws.sendRaw('not json at all');
    expect(await ws.waitFor(() => true)).toMatchObject({ id: null, error: { code: -32700 } });
    await ws.close();
  });

  test.each([
    ['missing jsonrpc', { id: 3, method: 'system_chain' }, 3],
    ['wrong version', { jsonrpc: '1.0', id: 3, method: 'system_chain' }, 3],
    ['method not a string', { jsonrpc: '2.0', id: 3, method: 42 }, 3],
    ['params neither array nor object', { jsonrpc: '2.0', id: 3, method: 'system_chain', params: 'x' }, 3],
    ['id of a bad type', { jsonrpc: '2.0', id: { x: 1 }, method: 'system_chain' }, null],
    ['a number', 42, null],
    ['null', null, null],
  ])('error: invalid request (%s) → -32600', async (_name, payload, id) => {
    const reply = await postJson(server.httpUrl, JSON.stringify(payload));
    expect(reply.body).toMatchObject({ jsonrpc: '2.0', id, error: { code: -32600, message: 'Invalid request' } });
  });

  test('error: unknown method → -32601 naming it', async () => {
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'foo_bar', params: [] });
    expect(reply.body).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found', data: 'foo_bar' } });
  });

  test('error: prototype names are not methods', async () => {
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'constructor', params: [] });
    expect(reply.body).toMatchObject({ error: { code: -32601 } });
  });

  test('error: bad params → -32602 naming the parameter', async () => {
    const call = async (method: string, params: unknown): Promise<JsonRpcResponse> =>
      (await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method, params })).body as JsonRpcResponse;
    expect((await call('chain_getHeader', ['0x1234'])).error).toEqual({ code: -32602, message: 'Invalid params: `hash`: expected a 32-byte 0x-prefixed hex hash' });
    expect((await call('state_getStorage', [])).error).toEqual({ code: -32602, message: 'Invalid params: `key`: missing required parameter' });
    expect((await call('state_getStorage', ['0xabc'])).error?.message).toBe('Invalid params: `key`: expected 0x-prefixed hex of whole bytes');
    expect((await call('state_queryStorageAt', [['0x00', 7]])).error?.message).toMatch(/^Invalid params: `keys\[1\]`/);
    expect((await call('system_chain', [1])).error).toEqual({ code: -32602, message: 'Invalid params: expected at most 0 params, got 1' });
    expect((await call('neuronInfo_getNeuronsLite', [70000])).error?.message).toBe('Invalid params: `netuid`: expected a u16');
    expect((await call('chain_getHeader', { block: '0x00' })).error?.message).toBe('Invalid params: `block`: unknown parameter');
  });

  test('behavior: named params are accepted', async () => {
    const genesis = backend.genesisHash;
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'chain_getHeader', params: { hash: genesis } });
    expect((reply.body as JsonRpcResponse).result).toMatchObject({ number: '0x0' });
  });

  test('behavior: a batch answers each request in order, skipping notifications', async () => {
    const reply = await postJson(server.httpUrl, [
      { jsonrpc: '2.0', id: 1, method: 'system_chain' },
      { jsonrpc: '2.0', id: 2, method: 'nope_nope' },
      { jsonrpc: '2.0', method: 'system_chain' },
      { jsonrpc: '2.0', id: 3, method: 'chain_getBlockHash', params: ['0xzz'] },
      { bogus: true },
      { jsonrpc: '2.0', id: 4, method: 'chain_getBlockHash', params: [0] },
    ]);
    expect(reply.status).toBe(200);
    const body = reply.body as JsonRpcResponse[];
    expect(body.map((r) => r.id)).toEqual([1, 2, 3, null, 4]);
    expect(body[0]).toEqual({ jsonrpc: '2.0', id: 1, result: 'Tensornet Localnet' });
    expect(body[1]?.error?.code).toBe(-32601);
    expect(body[2]?.error?.code).toBe(-32602);
    expect(body[3]?.error?.code).toBe(-32600);
    expect(body[4]?.result).toBe(backend.genesisHash);
  });

  test('behavior: batches over WebSocket too', async () => {
    const ws = await RawWsClient.connect(server.url);
    ws.sendRaw([
      { jsonrpc: '2.0', id: 1, method: 'system_version' },
      { jsonrpc: '2.0', id: 2, method: 'system_chainType' },
    ]);
    expect(await ws.waitFor(Array.isArray)).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0.1.0-test' },
      { jsonrpc: '2.0', id: 2, result: 'Development' },
    ]);
    await ws.close();
  });

  test('error: empty batch → a single -32600', async () => {
    const reply = await postJson(server.httpUrl, []);
    expect(reply.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
  });

  test('behavior: notifications only → no body (HTTP 204), but they run', async () => {
    const before = backend.bestBlock().number;
    const reply = await postJson(server.httpUrl, [{ jsonrpc: '2.0', method: 'dev_newBlock' }]);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(backend.bestBlock().number).toBe(before + 1);
  });

  test('error: a handler throwing a plain Error → -32603 with its message', async () => {
    backend.faults.set('metadata', new Error('metadata store unavailable'));
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 9, method: 'state_getMetadata', params: [] });
    expect(reply.body).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32603, message: 'metadata store unavailable' } });
  });

  test('error: ChainError UnknownBlock → 4003 client error', async () => {
    const unknown = `0x${'ab'.repeat(32)}`;
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'state_getStorage', params: ['0x00', unknown] });
    expect((reply.body as JsonRpcResponse).error).toEqual({
      code: 4003,
      message: `Client error: UnknownBlock: State already discarded for ${unknown}`,
    });
  });

  test('error: subscriptions over HTTP are refused', async () => {
    const reply = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 1, method: 'chain_subscribeNewHeads', params: [] });
    expect((reply.body as JsonRpcResponse).error).toEqual({ code: -32603, message: 'Subscriptions are not supported over HTTP; connect over WebSocket' });
    const unsub = await postJson(server.httpUrl, { jsonrpc: '2.0', id: 2, method: 'chain_unsubscribeNewHeads', params: ['x'] });
    expect((unsub.body as JsonRpcResponse).error?.code).toBe(-32603);
    expect(backend.listenerCount()).toBe(0);
  });

  test('behavior: GET /health, OPTIONS preflight, other HTTP verbs', async () => {
    const health = await fetch(`${server.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
    const preflight = await fetch(server.httpUrl, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    // Without an Origin there is no page to allow (CORS by origin: tests/localnet/rpc-access.test.ts).
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(server.httpUrl);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
  });

  test('behavior: garbage never crashes the server', async () => {
    const ws = await RawWsClient.connect(server.url);
    const payloads = ['', '[', '"str"', 'true', '[1, 2]', '{"jsonrpc":"2.0","id":"g1","method":"chain_getBlockHash","params":[[[[]]]]}', '\u0000\u0001'];
    for (const payload of payloads) ws.sendRaw(payload);
    ws.socket.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    await eventually(() => ws.messages.length >= payloads.length + 1);
    expect(ws.messages.find((m) => (m as JsonRpcResponse).id === 'g1')).toMatchObject({ error: { code: -32602 } });
    const ok = await ws.request('system_chain');
    expect(ok.result).toBe('Tensornet Localnet');
    await ws.close();
  });

  test('behavior: close() closes sockets with 1001 and removes backend listeners', async () => {
    const ws = await RawWsClient.connect(server.url);
    const sub = await ws.request('chain_subscribeNewHeads', []);
    expect(typeof sub.result).toBe('string');
    expect(backend.listenerCount()).toBe(1);
    expect(server.connectionCount()).toBe(1);
    await server.close();
    expect((await ws.closed).code).toBe(1001);
    expect(backend.listenerCount()).toBe(0);
    await expect(fetch(server.httpUrl)).rejects.toThrow();
    await server.close(); // idempotent
  });
});

describe('rpc server: request size limit', () => {
  let backend: FakeChainBackend;
  let server: RpcServer;

  beforeEach(async () => {
    backend = new FakeChainBackend();
    server = await createRpcServer({ backend, port: 0, maxRequestBytes: 1024 });
  });

  afterEach(async () => {
    await server.close();
  });

  const oversized = (): string => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: [`0x${'00'.repeat(2048)}`] });

  test('error: oversized HTTP request → 413 with -32007', async () => {
    const reply = await postJson(server.httpUrl, oversized());
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32007, message: 'Request is too big', data: 'Exceeded max limit of 1024' } });
    expect(backend.pendingExtrinsics()).toHaveLength(0);
    // The server keeps serving.
    expect((await postJson(server.httpUrl, { jsonrpc: '2.0', id: 2, method: 'system_chain' })).status).toBe(200);
  });

  test('error: oversized HTTP request without a content-length (chunked) → 413', async () => {
    const body = oversized();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < body.length; i += 256) controller.enqueue(new TextEncoder().encode(body.slice(i, i + 256)));
        controller.close();
      },
    });
    const res = await fetch(server.httpUrl, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32007 } });
  });

  test('error: oversized WebSocket message → close code 1009, nothing executed', async () => {
    const ws = await RawWsClient.connect(server.url);
    ws.sendRaw(oversized());
    expect((await ws.closed).code).toBe(1009);
    expect(backend.pendingExtrinsics()).toHaveLength(0);
    await eventually(() => server.connectionCount() === 0);
  });

  test('behavior: a request just under the limit is served', async () => {
    const payload = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_submitExtrinsic', params: [`0x04${'11'.repeat(400)}`] });
    expect(payload.length).toBeLessThan(1024);
    const reply = await postJson(server.httpUrl, payload);
    expect((reply.body as JsonRpcResponse).result).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
