/**
 * The axon under load, over real HTTP: priority by stake when saturated, immediate 503 for a request that
 * cannot start before its timeout, 408 when the timeout passes while the handler runs (the handler sees
 * the abort), and streaming responses.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { Axon, type CallerInfo } from '../../miner/axon';
import { defineSynapse } from '../../protocol';
import { keys, send, signed } from './axon-client';

const Work = defineSynapse({ name: 'Work', request: { label: z.string(), ms: z.number().int() }, response: { done: z.string() } });
const Tokens = defineSynapse({ name: 'Tokens', request: { n: z.number().int() }, response: {}, streaming: true });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

let axon: Axon;
const order: string[] = [];
let aborted = 0;

beforeAll(async () => {
  await cryptoWaitReady();
  const table = new Map<string, CallerInfo>([
    [keys.high().address, { uid: 0, stake: 1000, validatorPermit: true }],
    [keys.low().address, { uid: 1, stake: 10, validatorPermit: true }],
  ]);
  axon = new Axon({ hotkey: keys.miner(), callers: { lookup: (h) => table.get(h) }, host: '127.0.0.1', port: 0, maxConcurrent: 1, maxPerCaller: 1, initialServiceMs: 200 });
  axon.attach(Work, async (input, ctx) => {
    try {
      await sleep(input.ms, ctx.signal);
    } catch {
      aborted++;
      throw new Error('abandoned');
    }
    order.push(input.label);
    return { done: input.label };
  });
  axon.attach(Tokens, async function* (input) {
    for (let i = 0; i < input.n; i++) yield `token${i}\n`;
  });
  await axon.start();
});

afterAll(() => axon.stop());

const work = (label: string, ms: number, who: 'high' | 'low', timeout = 12) =>
  signed(axon.port, { synapse: Work, input: { label, ms }, hotkey: keys[who](), axonHotkey: axon.hotkey, timeout });

test('behavior: when saturated, a high-stake caller is served before a low-stake caller queued earlier', async () => {
  order.length = 0;
  const busy = send(work('busy', 300, 'low'));
  await sleep(50);
  const lowQueued = send(work('low', 50, 'low'));
  await sleep(50);
  const highQueued = send(work('high', 50, 'high'));
  const replies = await Promise.all([busy, lowQueued, highQueued]);
  expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
  expect(order).toEqual(['busy', 'high', 'low']);
});

test('error: a request that cannot start before its timeout gets 503 at once, and never runs', async () => {
  order.length = 0;
  const busy = send(work('busy', 400, 'low'));
  await sleep(50);
  const hopeless = await send(work('hopeless', 10, 'high', 0.1));
  expect({ status: hopeless.status, code: hopeless.json['code'] }).toEqual({ status: 503, code: 'Overloaded' });
  expect(hopeless.json['message']).toMatch(/^Service unavailable: cannot start before the timeout/);
  expect((await busy).status).toBe(200);
  expect(order).toEqual(['busy']);
});

test('error: work is abandoned when the caller timeout passes (408)', async () => {
  const before = aborted;
  const reply = await send(work('slow', 5000, 'high', 0.3));
  expect({ status: reply.status, code: reply.json['code'] }).toEqual({ status: 408, code: 'Timeout' });
  expect(reply.json['message']).toBe('Response timeout after: 0.3s');
  await sleep(20);
  expect(aborted).toBe(before + 1);
});

test('behavior: a streaming synapse answers text/event-stream with the synapse headers', async () => {
  const req = signed(axon.port, { synapse: Tokens, input: { n: 3 }, hotkey: keys.high(), axonHotkey: axon.hotkey });
  const reply = await send(req);
  expect(reply.status).toBe(200);
  expect(reply.headers.get('content-type')).toBe('text/event-stream');
  expect(reply.headers.get('bt_header_axon_status_code')).toBe('200');
  expect(reply.text).toBe('token0\ntoken1\ntoken2\n');
});
