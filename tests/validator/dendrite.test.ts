/**
 * The dendrite over real sockets on 127.0.0.1: a real axon answers (and refuses) it, and raw servers that
 * hang, refuse connections, trickle bytes, answer garbage or huge bodies get typed results within the
 * deadline — never a throw, never a stall.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { keypairFromUri } from '../../chain-client/wallet';
import { Axon, AxonRefusal, type CallerInfo } from '../../miner/axon';
import { defineSynapse } from '../../protocol';
import { Dendrite } from '../../validator/dendrite';

const Double = defineSynapse({ name: 'Double', request: { value: z.number().int() }, response: { doubled: z.number().int() } });

const validator = () => keypairFromUri('//DendriteValidator');
const minerKey = () => keypairFromUri('//DendriteMiner');

let dir: string;
let axon: Axon;
let dendrite: Dendrite;
const servers: Array<Server | TcpServer> = [];
const sockets = new Set<import('node:net').Socket>();

async function listen<S extends Server | TcpServer>(server: S): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: import('node:net').Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-dendrite-'));
  const table = new Map<string, CallerInfo>([[validator().address, { uid: 0, stake: 100, validatorPermit: true }]]);
  axon = new Axon({ hotkey: minerKey(), callers: { lookup: (h) => table.get(h) }, host: '127.0.0.1', port: 0, nonceFile: join(dir, 'nonces') });
  axon.attach(Double, async ({ value }, { signal }) => {
    if (value === 13) throw new AxonRefusal('InvalidBody', 'Double.value: 13 is unlucky');
    if (value === 99) await new Promise((resolve) => signal.addEventListener('abort', resolve));
    return { doubled: value * 2 };
  });
  await axon.start();
  dendrite = new Dendrite({ hotkey: validator() });
});

afterAll(async () => {
  await dendrite.close();
  await axon.stop();
  for (const socket of sockets) socket.destroy();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const target = (port: number, hotkey = minerKey().address) => ({ ip: '127.0.0.1', port, hotkey });

test('a tensornet axon answers: ok, validated response, latency measured', async () => {
  const result = await dendrite.query(target(axon.port), Double, { value: 21 }, { timeoutS: 5 });
  expect(result).toMatchObject({ status: 'ok', code: 200, message: 'Success', response: { doubled: 42 } });
  expect(result.body?.['value']).toBe(21);
  expect(result.latencyS).toBeGreaterThan(0);
  expect(result.latencyS).toBeLessThan(5);
});

test('keep-alive: many queries concurrently, all served', async () => {
  const results = await dendrite.forward(Array.from({ length: 40 }, () => target(axon.port)), Double, { value: 4 }, { timeoutS: 10 });
  expect(results.filter((r) => r.status !== 'ok').map((r) => `${r.code} ${r.message}`)).toEqual([]);
  expect(results.every((r) => r.response?.doubled === 8)).toBe(true);
});

test("an axon's refusal comes back with its status and message", async () => {
  const refused = await dendrite.query(target(axon.port), Double, { value: 13 }, { timeoutS: 5 });
  expect(refused).toMatchObject({ status: 'refused', code: 400, message: 'Double.value: 13 is unlucky', response: null });
  const wrongAxon = await dendrite.query(target(axon.port, validator().address), Double, { value: 1 }, { timeoutS: 5 });
  expect(wrongAxon).toMatchObject({ status: 'refused', code: 401 });
});

test("the miner's own timeout (408) and a hang past the deadline are timeouts", async () => {
  const started = Date.now();
  const result = await dendrite.query(target(axon.port), Double, { value: 99 }, { timeoutS: 1 });
  expect(result.status).toBe('timeout');
  expect([408]).toContain(result.code);
  expect(Date.now() - started).toBeLessThan(3000);
});

test('a refused connection is unavailable (503)', async () => {
  const probe = createTcpServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  servers.splice(servers.indexOf(probe), 1);
  const result = await dendrite.query(target(port), Double, { value: 1 }, { timeoutS: 2 });
  expect(result).toMatchObject({ status: 'unavailable', code: 503, message: `Service unavailable at 127.0.0.1:${port}/Double` });
});

test('a server that accepts and never answers, and one that trickles bytes, time out at the deadline', async () => {
  const silent = await listen(createTcpServer(() => undefined));
  const trickle = await listen(
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
    }),
  );
  for (const port of [silent, trickle]) {
    const started = Date.now();
    const result = await dendrite.query(target(port), Double, { value: 1 }, { timeoutS: 0.8 });
    expect(result).toMatchObject({ status: 'timeout', code: 408, message: 'Request timeout after 0.8 seconds' });
    expect(Date.now() - started).toBeLessThan(2500);
  }
});

test('garbage, a non-object, a wrong response type and a 200 reporting failure are invalid or refused', async () => {
  const answers: Array<[string, Record<string, string>]> = [
    ['<html>not json</html>', {}],
    ['[1,2,3]', {}],
    ['{"doubled":"forty-two","axon":{"status_code":200}}', {}],
    ['{"doubled":42,"axon":{"status_code":500}}', {}],
  ];
  let i = 0;
  const port = await listen(
    createServer((req, res) => {
      req.resume();
      const [body, headers] = answers[i++ % answers.length]!;
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end(body);
    }),
  );
  const results = [];
  for (let k = 0; k < answers.length; k++) results.push(await dendrite.query(target(port), Double, { value: 1 }, { timeoutS: 2 }));
  expect(results.map((r) => [r.status, r.code])).toEqual([
    ['invalid', 422],
    ['invalid', 422],
    ['invalid', 422],
    ['refused', 500],
  ]);
  expect(results[2]!.message).toMatch(/Double\.doubled/);
});

test('a huge answer is cut off at the byte cap, declared or streamed', async () => {
  const small = new Dendrite({ hotkey: validator(), maxResponseBytes: 64 * 1024 });
  const declared = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
      res.write('{');
    }),
  );
  const streamed = await listen(
    createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const timer = setInterval(() => res.write(chunk), 1);
      res.on('close', () => clearInterval(timer));
    }),
  );
  try {
    for (const port of [declared, streamed]) {
      const result = await small.query(target(port), Double, { value: 1 }, { timeoutS: 5 });
      expect(result).toMatchObject({ status: 'invalid', code: 400 });
      expect(result.message).toMatch(/Payload error: .*65536-byte limit/);
    }
  } finally {
    await small.close();
  }
});

test('bounded concurrency: queries beyond the bound wait, none fails', async () => {
  let active = 0;
  let peak = 0;
  const port = await listen(
    createServer((req, res) => {
      req.resume();
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"doubled":2,"axon":{"status_code":200}}');
      }, 30);
    }),
  );
  const bounded = new Dendrite({ hotkey: validator(), maxConcurrency: 3 });
  try {
    const results = await bounded.forward(Array.from({ length: 12 }, () => target(port)), Double, { value: 1 }, { timeoutS: 5 });
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(peak).toBeLessThanOrEqual(3);
  } finally {
    await bounded.close();
  }
});

test("a request the synapse refuses is the caller's error", async () => {
  await expect(dendrite.query(target(axon.port), Double, { value: 1.5 } as { value: number })).rejects.toMatchObject({ code: 'InvalidSynapseInput' });
});
