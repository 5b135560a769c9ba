/**
 * Who may drive the node, over real sockets: `--rpc-methods` (unsafe methods such as `dev_newBlock`
 * served on loopback only, by default), `--rpc-cors` (browser origins, on HTTP and on the WebSocket
 * upgrade; programs, which send no Origin, always served) and the refusal to put a chain whose sudo
 * key is a public dev key on the network.
 */
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { runCli } from '../../cli/cli';
import { Chain, DevGenesisExposedError, startLocalnet } from '../../localnet';
import { createRpcServer, isLoopbackAddress, originAllowed, parseRpcCors, parseRpcMethods, type RpcServer, type RpcServerOptions } from '../../localnet/rpc';
import type { AccountId } from '../../localnet/runtime/primitives';
import { u8aToHex } from '@polkadot/util';
import { RawWsClient, type JsonRpcResponse } from './helpers/rpc-clients';
import { throwawayKey } from './helpers/signed-batch';

let chain: Chain;
const servers: RpcServer[] = [];

beforeAll(async () => {
  chain = await Chain.start({ blockTimeMs: 0 });
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await chain?.close();
});

async function serve(options: Partial<RpcServerOptions> = {}): Promise<RpcServer> {
  const server = await createRpcServer({ backend: chain, port: 0, ...options });
  servers.push(server);
  return server;
}

/** The loopback URLs of a server (one bound to 0.0.0.0 reports that address). */
const wsUrl = (server: RpcServer): string => `ws://127.0.0.1:${server.port}`;
const httpUrl = (server: RpcServer): string => `http://127.0.0.1:${server.port}`;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** An HTTP request with any headers (fetch will not set `Origin`). */
function http(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: { 'content-type': 'application/json', ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function rpcBody(method: string, params: unknown[] = []): string {
  return JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
}

async function call(server: RpcServer, method: string, params: unknown[] = []): Promise<JsonRpcResponse> {
  const ws = await RawWsClient.connect(wsUrl(server));
  try {
    return await ws.request(method, params);
  } finally {
    await ws.close();
  }
}

/** Opens a WebSocket with the given Origin: `open`, or the HTTP status the upgrade was refused with. */
function upgrade(server: RpcServer, origin?: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(server), origin === undefined ? {} : { origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '0.0.0.0', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const UNSAFE = { code: -32601, message: 'RPC call is unsafe to be called externally' };

describe('--rpc-methods', () => {
  test('default: on loopback, auto serves dev_newBlock and rpc_methods lists it', async () => {
    const server = await serve();
    expect(server.denyUnsafe).toBe(false);
    const before = chain.bestBlock().number;
    expect((await call(server, 'dev_newBlock')).result).toBe(chain.bestBlock().hash);
    expect(chain.bestBlock().number).toBe(before + 1);
    const { methods } = (await call(server, 'rpc_methods')).result as { methods: string[] };
    expect(methods).toEqual(expect.arrayContaining(['dev_newBlock', 'state_queryStorage', 'system_peers', 'author_submitExtrinsic']));
  });

  test('safe: unsafe methods get Substrate\'s error and build nothing; rpc_methods lists only what is served', async () => {
    const server = await serve({ rpcMethods: 'safe' });
    expect(server.denyUnsafe).toBe(true);
    const before = chain.bestBlock().number;
    expect((await call(server, 'dev_newBlock')).error).toEqual(UNSAFE);
    const overHttp = await http(httpUrl(server), { body: rpcBody('dev_newBlock', [{ count: 5 }]) });
    expect(JSON.parse(overHttp.body)).toEqual({ jsonrpc: '2.0', id: 1, error: UNSAFE });
    expect(chain.bestBlock().number).toBe(before);
    expect((await call(server, 'system_peers')).error).toEqual(UNSAFE);
    // The state module answers its unsafe calls with 4003, as on Substrate.
    expect((await call(server, 'state_queryStorage', [[], chain.genesisHash])).error).toEqual({ code: 4003, message: UNSAFE.message });
    // Watching every key is unsafe; watching named keys is not.
    expect((await call(server, 'state_subscribeStorage', [])).error).toEqual(UNSAFE);
    expect((await call(server, 'state_subscribeStorage', [['0x26aa394eea5630e07c48ae0c9558cef7']])).result).toEqual(expect.any(String));
    // Submitting a transaction is safe: a malformed one reaches the pool's decoder (1010), not the unsafe refusal.
    expect((await call(server, 'author_submitExtrinsic', ['0x00'])).error).toMatchObject({ code: 1010 });

    const { methods } = (await call(server, 'rpc_methods')).result as { methods: string[] };
    expect(methods.filter((m) => ['dev_newBlock', 'state_queryStorage', 'system_peers'].includes(m))).toEqual([]);
    expect(methods).toEqual(expect.arrayContaining(['author_submitExtrinsic', 'state_subscribeStorage', 'chain_getBlock', 'rpc_methods']));
  });

  test('auto: a server listening on 0.0.0.0 refuses unsafe methods; unsafe serves them there', async () => {
    const external = await serve({ host: '0.0.0.0' });
    expect(external.denyUnsafe).toBe(true);
    expect((await call(external, 'dev_newBlock')).error).toEqual(UNSAFE);
    const forced = await serve({ host: '0.0.0.0', rpcMethods: 'unsafe' });
    expect(forced.denyUnsafe).toBe(false);
    expect((await call(forced, 'dev_newBlock')).result).toBe(chain.bestBlock().hash);
  });

  test('error: --rpc-methods accepts safe, unsafe and auto only', () => {
    expect(parseRpcMethods('Safe')).toBe('safe');
    expect(() => parseRpcMethods('all')).toThrow(/--rpc-methods must be one of safe, unsafe, auto/);
  });
});

describe('--rpc-cors', () => {
  const chainName = rpcBody('system_chain');

  test('default: pages on localhost, 127.0.0.1 and [::1] (any port, http or https) are allowed, with the origin echoed', async () => {
    const server = await serve();
    for (const origin of ['http://localhost:5173', 'https://localhost', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const reply = await http(httpUrl(server), { headers: { origin }, body: chainName });
      expect(reply.status).toBe(200);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
      expect(reply.headers.vary).toBe('origin');
    }
  });

  test('default: a foreign origin gets 403 before the request runs; a program (no Origin) is served without CORS headers', async () => {
    const server = await serve();
    const before = chain.bestBlock().number;
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null']) {
      const reply = await http(httpUrl(server), { headers: { origin }, body: rpcBody('dev_newBlock') });
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      expect(reply.body).toContain('--rpc-cors');
    }
    expect(chain.bestBlock().number).toBe(before);
    const program = await http(httpUrl(server), { body: chainName });
    expect(program.status).toBe(200);
    expect(program.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(program.body).result).toBe('Bittensor localnet');
  });

  test('behavior: preflight answers an allowed origin with the CORS headers and a foreign one with 403', async () => {
    const server = await serve();
    const preflight = (origin: string): Promise<Reply> =>
      http(httpUrl(server), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.status).toBe(204);
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': 'http://localhost:3000', 'access-control-allow-methods': 'POST, GET, OPTIONS', 'access-control-allow-headers': 'content-type' });
    const foreign = await preflight('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('behavior: `all` allows any origin; a list allows exactly its origins', async () => {
    const all = await serve({ cors: parseRpcCors('all') });
    const anyOrigin = await http(httpUrl(all), { headers: { origin: 'https://evil.example' }, body: chainName });
    expect(anyOrigin.status).toBe(200);
    expect(anyOrigin.headers['access-control-allow-origin']).toBe('*');
    const listed = await serve({ cors: parseRpcCors('https://polkadot.js.org, http://devbox:*') });
    expect((await http(httpUrl(listed), { headers: { origin: 'https://polkadot.js.org' }, body: chainName })).status).toBe(200);
    expect((await http(httpUrl(listed), { headers: { origin: 'http://devbox:8000' }, body: chainName })).status).toBe(200);
    expect((await http(httpUrl(listed), { headers: { origin: 'http://localhost:3000' }, body: chainName })).status).toBe(403);
    expect((await http(httpUrl(listed), { headers: { origin: 'http://polkadot.js.org' }, body: chainName })).status).toBe(403);
  });

  test('behavior: the WebSocket upgrade from a foreign origin is refused with 403; localhost pages and programs connect', async () => {
    const server = await serve();
    expect(await upgrade(server, 'https://evil.example')).toBe(403);
    expect(await upgrade(server, 'http://localhost:3000')).toBe('open');
    expect(await upgrade(server)).toBe('open');
    const all = await serve({ cors: 'all' });
    expect(await upgrade(all, 'https://evil.example')).toBe('open');
  });

  test('error: --rpc-cors entries must be origins', () => {
    expect(parseRpcCors('http://a:1, https://b')).toEqual(['http://a:1', 'https://b']);
    expect(() => parseRpcCors('')).toThrow(/needs `all` or a comma-separated list/);
    expect(() => parseRpcCors('localhost:3000')).toThrow(/"localhost:3000" is not an origin/);
    expect(() => parseRpcCors('ftp://x')).toThrow(/not an origin/);
    expect(originAllowed('HTTP://LOCALHOST:1', ['http://localhost:*'])).toBe(true);
    expect(['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1', '[::1]'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1'].some(isLoopbackAddress)).toBe(false);
  });
});

describe('a dev genesis on the network', () => {
  test('error: listening on 0.0.0.0 with //Alice as sudo is refused in one line, and nothing listens', async () => {
    const port = await freePort();
    const err = await startLocalnet({ host: '0.0.0.0', port, blockTimeMs: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DevGenesisExposedError);
    expect(err).toMatchObject({ code: 'DevGenesisOnNetwork', details: { host: '0.0.0.0', sudo: '//Alice' } });
    expect((err as Error).message).toMatch(/^refusing to listen on 0\.0\.0\.0: the chain's sudo key is \/\/Alice, a development key whose secret is public/);
    expect((err as Error).message).toContain('--unsafe-dev-genesis-on-network');
    expect((err as Error).message).not.toContain('\n');
    // The port is still free.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '0.0.0.0', resolve));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  test('behavior: allowed explicitly, or with a sudo key of your own, it listens on 0.0.0.0 (serving safe methods only); localhost is loopback', async () => {
    const allowed = await startLocalnet({ host: '0.0.0.0', port: 0, blockTimeMs: 0, allowDevGenesisOnNetwork: true });
    expect(allowed.denyUnsafe).toBe(true);
    await allowed.close();
    await startLocalnet({ host: '0.0.0.0', port: 0, blockTimeMs: 0, genesis: { sudo: u8aToHex(throwawayKey('own-sudo').publicKey) as AccountId } }).then((net) => net.close());
    const local = await startLocalnet({ host: 'localhost', port: 0, blockTimeMs: 0 });
    expect(local.denyUnsafe).toBe(false);
    await local.close();
  });

  test('error: `tensornet localnet --host 0.0.0.0` exits 2 with the one-line reason; bad --rpc-cors / --rpc-methods too', async () => {
    const run = async (argv: string[]): Promise<{ code: number; stderr: string }> => {
      let stderr = '';
      const code = await runCli(argv, { writeStdout: () => undefined, writeStderr: (t) => void (stderr += t), readStdin: async () => '' });
      return { code, stderr };
    };
    const exposed = await run(['localnet', '--tmp', '--port', '0', '--host', '0.0.0.0', '--log-level', 'error']);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(/^tensornet: refusing to listen on 0\.0\.0\.0: the chain's sudo key is \/\/Alice.*--unsafe-dev-genesis-on-network.*\n$/);
    expect(exposed.stderr.trim().split('\n')).toHaveLength(1);
    const cors = await run(['localnet', '--tmp', '--rpc-cors', 'localhost:3000']);
    expect(cors).toEqual({ code: 2, stderr: 'tensornet: --rpc-cors: "localhost:3000" is not an origin (scheme://host[:port], :* for any port, or null)\n' });
    const methods = await run(['localnet', '--tmp', '--rpc-methods', 'all']);
    expect(methods.code).toBe(2);
    expect(methods.stderr).toMatch(/^tensornet: Invalid values:\s+Argument: rpc-methods, Given: "all", Choices: "safe", "unsafe", "auto"/);
  });
});
