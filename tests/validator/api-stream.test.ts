/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * A streaming subnet end to end on 127.0.0.1: a real localnet, two real digit-sequence miners (the real
 * digits models, real sr25519 signatures) behind their axons, a real validator and the validator API.
 * The validator loop scores the assembled answers; the API streams a miner's chunks to the app over SSE as
 * they come (the miner cannot go on before the app holds its previous chunk: an ordering of events, no
 * clock), falls back down the ranking only before the first chunk, reports a failure after it as an SSE
 * `error` event, answers errors before the stream as JSON, and streams over the inference WebSocket too.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import WebSocket from 'ws';
import { z } from 'zod';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainClient } from '../../chain-client';
import { keypairFromUri } from '../../chain-client/wallet';
import { mulberry32 } from '../../common/random';
import type { Localnet } from '../../localnet';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler } from '../../miner/handlers';
import { digitChunk, digitSequenceSubnet, type DigitChunk } from '../../subnets/digit-sequence';
import { defineStreamingSubnet, minerHandlerOf, taskFromSeed } from '../../subnets/sdk';
import { Validator } from '../../validator';
import { ApiKeyStore, createValidatorApi, rankMiners, type CreatedApiKey, type ValidatorApi } from '../../validator/api';
import { startSubnetLocalnet } from '../helpers/subnet-localnet';

const EXTERNAL_IP = '203.0.113.7';
const NETUID = 1;
const TIERS = ['mlp-large', 'linear'] as const;
type Tier = (typeof TIERS)[number];
const MINERS: Array<{ uri: string; tier: Tier }> = [{ uri: '//Bob//seq-large', tier: 'mlp-large' }, { uri: '//Bob//seq-linear', tier: 'linear' }];
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** How each tier's miner behaves for the next requests. */
type Mode = 'ok' | 'gated' | 'fail-before-first' | 'fail-after-first';
const modes = new Map<Tier, Mode>();
const events: string[] = [];
/** `appHas[i]` resolves once the app has chunk i. */
let appHas: Array<{ promise: Promise<void>; resolve: () => void }> = [];
function resetGates(): void {
  events.length = 0;
  appHas = Array.from({ length: 16 }, () => {
    let resolve!: () => void;
    return { promise: new Promise<void>((r) => (resolve = r)), resolve };
  });
}

/** digit-sequence, each miner's behaviour switchable by its tier. */
const switchable = defineStreamingSubnet({
  ...digitSequenceSubnet,
  miner: {
    ...digitSequenceSubnet.miner,
    createHandler(setup) {
      const inner = digitSequenceSubnet.miner.createHandler(setup);
      const tier = setup.tier as Tier;
      return async function* (request, ctx) {
        const mode = modes.get(tier) ?? 'ok';
        if (mode === 'fail-before-first') throw new Error(`${tier}: the model crashed`);
        for await (const chunk of inner(request, ctx)) {
          if (mode === 'gated') events.push(`miner sent ${chunk.index}`);
          yield chunk;
          if (mode === 'gated' || mode === 'fail-after-first') await Promise.race([appHas[chunk.index]!.promise, new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }))]);
          // Fails once the app holds the first chunk: the API can no longer fall back.
          if (mode === 'fail-after-first') throw new Error(`${tier}: the model crashed mid-stream`);
        }
        if (mode === 'gated') events.push('miner finished');
      };
    },
  },
});

let net: Localnet;
let client: ChainClient;
let validator: Validator;
let api: ValidatorApi;
let dir: string;
let key: CreatedApiKey;
const tierOf = new Map<string, Tier>();
const miners: Miner[] = [];
const engines: InferenceEngine[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  ({ net, client } = await startSubnetLocalnet({ netuid: NETUID, validator: '//Alice//seqval', miners: MINERS.map((m) => m.uri) }));
  const handler = minerHandlerOf(switchable);
  for (const m of MINERS) {
    const engine = await InferenceEngine.load(handler.tiers![m.tier]!.model!(), { device: 'cpu', watch: false, worker: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
    engines.push(engine);
    const miner = await Miner.start(
      { client, netuid: NETUID, hotkey: keypairFromUri(m.uri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 },
      (axon) => attachHandler(handler, axon, { engine, tier: m.tier, logger: silent }),
    );
    miners.push(miner);
    tierOf.set(keypairFromUri(m.uri).address, m.tier);
  }
  let seed = 0;
  validator = await Validator.create({
    client, netuid: NETUID, hotkey: keypairFromUri('//Alice//seqval'), subnet: digitSequenceSubnet, random: mulberry32(3),
    seeds: () => (seed++).toString(16).padStart(64, 'b'), dendrite: { externalIp: EXTERNAL_IP },
  });
  dir = mkdtempSync(join(tmpdir(), 'tensornet-api-stream-'));
  const store = ApiKeyStore.open(join(dir, 'api-keys.json'));
  key = store.create('app');
  api = await createValidatorApi({ validators: [validator], keys: store, port: 0, topK: 2 });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await validator?.stop();
  for (const miner of miners) await miner.stop();
  for (const engine of engines) await engine.close();
  await client?.close();
  await net?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  modes.clear();
  resetGates();
});

const request = (seed: string) => taskFromSeed(digitSequenceSubnet, seed.repeat(64));
const inferUrl = (query = '') => `${api.url}/v1/subnets/${NETUID}/infer${query}`;
const post = (body: unknown, headers: Record<string, string> = {}, query = '') =>
  fetch(inferUrl(query), { method: 'POST', headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
/** The tiers of the serving miners, best-ranked first. */
const ranking = (): Tier[] => rankMiners(validator).map((m) => tierOf.get(m.hotkey)!);

interface SseEvent {
  readonly event: string;
  /** JSON read back from the wire: the assertions check its shape. */
  readonly data: any;
}

/** The events of an SSE body as they arrive. */
async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const fields = new Map(frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as const));
      yield { event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data') ?? 'null') };
    }
  }
  expect(buffered).toBe('');
}

test('the validator loop scores the streamed answers: both miners ok, the assembled answer rewarded, time to first chunk kept', async () => {
  const report = await validator.step();
  expect(report.answers).toHaveLength(2);
  for (const answer of report.answers) {
    expect(answer.status).toBe('ok');
    expect(answer.reward).toBeGreaterThan(0);
    expect(answer.firstChunkS).toBeGreaterThan(0);
    expect(answer.firstChunkS!).toBeLessThanOrEqual(answer.latencyS);
  }
  for (let i = 0; i < 4; i++) await validator.step();
  expect(validator.scores.filter((s) => s > 0)).toHaveLength(2);
});

test('SSE: each chunk reaches the app before the miner computes the next; then `done` with the assembled answer and its provenance', async () => {
  const top = ranking()[0]!;
  modes.set(top, 'gated');
  const task = request('1');
  const res = await post(task.request, { accept: 'text/event-stream' });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const chunks: DigitChunk[] = [];
  let done: SseEvent | undefined;
  for await (const event of sseEvents(res.body!)) {
    if (event.event === 'chunk') {
      events.push(`app got ${event.data.index}`);
      expect(event.data.index).toBe(chunks.length);
      chunks.push(digitChunk.parse(event.data.chunk));
      appHas[event.data.index]!.resolve();
    } else {
      done = event;
    }
  }
  const n = task.reference.digits.length;
  expect(events).toEqual([...[...Array(n).keys()].flatMap((k) => [`miner sent ${k}`, `app got ${k}`]), 'miner finished']);
  expect(done?.event).toBe('done');
  const best = rankMiners(validator)[0]!;
  expect(done!.data.response).toEqual({ digits: chunks.map((c) => c.digit).join(''), probabilities: chunks.map((c) => c.probabilities) });
  expect(done!.data.miner).toMatchObject({ uid: best.uid, hotkey: best.hotkey, score: best.score });
  expect(done!.data.miner.firstChunkS).toBeLessThanOrEqual(done!.data.miner.latencyS);
  expect(done!.data.tried).toHaveLength(1);
  expect(done!.data.tried[0]).toMatchObject({ uid: best.uid, status: 'ok', code: 200, chunks: n });
});

test('?stream=true asks for SSE too; ?stream=false or no Accept gets the assembled answer as JSON', async () => {
  const task = request('2');
  const sse = await post(task.request, {}, '?stream=true');
  const kinds: string[] = [];
  for await (const event of sseEvents(sse.body!)) kinds.push(event.event);
  expect(kinds).toEqual([...Array(task.reference.digits.length).fill('chunk'), 'done']);
  for (const [headers, query] of [[{}, ''], [{ accept: 'text/event-stream' }, '?stream=false']] as const) {
    const res = await post(task.request, headers, query);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    const body = await res.json() as { response: { digits: string }; miner: { firstChunkS: number } };
    expect(body.response.digits).toMatch(/^[0-9]{3,6}$/);
    expect(body.miner.firstChunkS).toBeGreaterThan(0);
  }
});

test('errors before the stream are JSON answers: 401 without a key, 400 naming the field, 400 for a bad stream flag', async () => {
  const task = request('3');
  const noKey = await fetch(inferUrl(), { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' }, body: JSON.stringify(task.request) });
  expect([noKey.status, noKey.headers.get('content-type'), ((await noKey.json()) as { error: { code: string } }).error.code]).toEqual([401, 'application/json; charset=utf-8', 'Unauthorized']);
  const bad = await post({ image: { ...task.request.image, shape: 'wide' } }, { accept: 'text/event-stream' });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ error: { code: 'InvalidRequest', details: { field: 'image.shape' } } });
  const flag = await post(task.request, {}, '?stream=maybe');
  expect(await flag.json()).toMatchObject({ error: { code: 'InvalidRequest', details: { field: 'stream' } } });
});

test('a miner failing before its first chunk: the next miner streams the answer (fallback), both in `tried`', async () => {
  const [top, next] = ranking();
  modes.set(top!, 'fail-before-first');
  const task = request('4');
  const res = await post(task.request, { accept: 'text/event-stream' });
  expect(res.status).toBe(200);
  const got: SseEvent[] = [];
  for await (const event of sseEvents(res.body!)) got.push(event);
  expect(got.map((e) => e.event)).toEqual([...Array(task.reference.digits.length).fill('chunk'), 'done']);
  const done = got.at(-1)!.data;
  expect(tierOf.get(done.miner.hotkey)).toBe(next);
  expect(done.tried.map((a: { status: string; code: number; chunks: number }) => [a.status, a.code, a.chunks])).toEqual([['refused', 500, 0], ['ok', 200, task.reference.digits.length]]);
});

test('a miner failing after its first chunk: no fallback, an SSE `error` event {code, message} ends the stream', async () => {
  modes.set(ranking()[0]!, 'fail-after-first');
  const res = await post(request('5').request, { accept: 'text/event-stream' });
  expect(res.status).toBe(200);
  const got: SseEvent[] = [];
  for await (const event of sseEvents(res.body!)) {
    got.push(event);
    if (event.event === 'chunk') appHas[event.data.index]!.resolve();
  }
  expect(got.map((e) => e.event)).toEqual(['chunk', 'error']);
  expect(got[1]!.data).toMatchObject({ code: 'StreamInterrupted' });
  expect(got[1]!.data.message).toMatch(/failed after 1 chunks were forwarded/);
  expect(got[1]!.data.details.tried).toHaveLength(1);
});

type SocketMessage = { type: string; id?: string | null; [k: string]: unknown };

/** The inference WebSocket with every message it receives recorded, and `until` to await a condition on them. */
function openInferSocket(): { socket: WebSocket; messages: SocketMessage[]; until: (check: () => boolean) => Promise<void> } {
  const socket = new WebSocket(`${api.url.replace('http', 'ws')}/v1/subnets/${NETUID}/infer/ws`, { headers: { authorization: `Bearer ${key.secret}` } });
  const messages: SocketMessage[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    waiters.splice(0).forEach((wake) => wake());
  });
  const until = async (check: () => boolean): Promise<void> => {
    while (!check()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { socket, messages, until };
}

test('WebSocket: infer messages stream chunk messages, then done; bad messages get error messages with the catalog code', async () => {
  const { socket, messages, until } = openInferSocket();
  try {
    await until(() => messages.length > 0);
    expect(messages[0]).toEqual({ type: 'ready', netuid: NETUID });
    const task = request('6');
    socket.send(JSON.stringify({ type: 'infer', id: 'a', request: task.request }));
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'infer', id: 'b', request: { image: 1 } }));
    await until(() => messages.some((m) => m.id === 'a' && m.type === 'done') && messages.filter((m) => m.type === 'error').length === 2);
    const forA = messages.filter((m) => m.id === 'a');
    const n = task.reference.digits.length;
    expect(forA.map((m) => m.type)).toEqual([...Array(n).fill('chunk'), 'done']);
    expect(forA.slice(0, n).map((m) => m['index'])).toEqual([...Array(n).keys()]);
    const done = forA.at(-1)!;
    expect((done['response'] as { digits: string }).digits).toBe(forA.slice(0, n).map((m) => (m['chunk'] as DigitChunk).digit).join(''));
    expect(done['miner']).toMatchObject({ uid: rankMiners(validator)[0]!.uid });
    const errors = messages.filter((m) => m.type === 'error');
    expect(errors.find((m) => m.id === null)!['error']).toMatchObject({ code: 'InvalidJson' });
    expect(errors.find((m) => m.id === 'b')!['error']).toMatchObject({ code: 'InvalidRequest', details: { field: 'request.image' } });
  } finally {
    socket.close();
  }
});

test('WebSocket: at most 4 requests in flight per socket (TooManyInFlight beyond); cancel stops a request, nothing more comes about it', async () => {
  for (const tier of TIERS) modes.set(tier, 'gated');
  const { socket, messages, until } = openInferSocket();
  try {
    await until(() => messages.length > 0);
    const task = request('8');
    const held = ['r1', 'r2', 'r3', 'r4'];
    for (const id of held) socket.send(JSON.stringify({ type: 'infer', id, request: task.request }));
    // Each held request has its first chunk; its miner waits for the app's gate, which stays shut (the axon runs
    // 4 handlers per caller by default, so all four are running).
    await until(() => held.every((id) => messages.some((m) => m.id === id && m.type === 'chunk')));
    socket.send(JSON.stringify({ type: 'infer', id: 'r5', request: task.request }));
    await until(() => messages.some((m) => m.id === 'r5'));
    expect(messages.find((m) => m.id === 'r5')).toMatchObject({ type: 'error', error: { code: 'TooManyInFlight', details: { limit: 4 } } });
    for (const id of held) socket.send(JSON.stringify({ type: 'cancel', id }));
    modes.clear();
    socket.send(JSON.stringify({ type: 'infer', id: 'r6', request: task.request }));
    await until(() => messages.some((m) => m.id === 'r6' && m.type === 'done'));
    for (const id of held) expect(messages.filter((m) => m.id === id).map((m) => [m.type, m['index']])).toEqual([['chunk', 0]]);
  } finally {
    socket.close();
  }
});

test('the WebSocket refuses a missing key (401) and an unknown subnet (404) before the upgrade', async () => {
  const status = (path: string, headers: Record<string, string>) => new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${api.url.replace('http', 'ws')}${path}`, { headers });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => reject(new Error('opened')));
    socket.on('error', () => undefined);
  });
  expect(await status(`/v1/subnets/${NETUID}/infer/ws`, {})).toBe(401);
  expect(await status('/v1/subnets/9/infer/ws', { authorization: `Bearer ${key.secret}` })).toBe(404);
  const plain = await fetch(`${api.url}/v1/subnets/${NETUID}/infer/ws`, { headers: { authorization: `Bearer ${key.secret}` } });
  expect(plain.status).toBe(426);
});

test('the OpenAPI document: the infer route answers JSON or SSE, the chunk schema is the subnet’s, the socket is described', async () => {
  const doc = (await (await fetch(`${api.url}/v1/openapi.json`)).json()) as any;
  const post = doc.paths[`/v1/subnets/${NETUID}/infer`].post;
  expect(Object.keys(post.responses['200'].content).sort()).toEqual(['application/json', 'text/event-stream']);
  expect(post.responses['200'].content['text/event-stream']['x-sse-events'].chunk).toEqual({ $ref: '#/components/schemas/DigitSequenceChunkEvent' });
  expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(['stream']);
  const { $schema: _dialect, ...chunk } = z.toJSONSchema(digitChunk, { io: 'output' });
  expect(doc.components.schemas.DigitSequenceChunk).toEqual(chunk);
  expect(doc.paths[`/v1/subnets/${NETUID}/infer/ws`].get.responses['101'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DigitSequenceSocketMessage' });
  expect(doc.components.schemas.DigitSequenceSocketRequest.oneOf ?? doc.components.schemas.DigitSequenceSocketRequest.anyOf).toHaveLength(2);
});
