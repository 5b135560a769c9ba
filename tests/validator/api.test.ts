/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The validator API over real HTTP on loopback, in front of a real validator of the digits subnet on a real
 * localnet, with two real miners of different tiers: keys, limits, validation naming the field, routing to
 * the best-scored miner and falling back down the ranking when it dies, the OpenAPI document, events.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import WebSocket from 'ws';
import { z } from 'zod';
import type { ChainClient } from '../../chain-client';
import { keypairFromUri } from '../../chain-client/wallet';
import type { Logger } from '../../common/logger';
import { mulberry32 } from '../../common/random';
import type { Localnet } from '../../localnet';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler } from '../../miner/handlers';
import { encodeTensor } from '../../protocol';
import { minerHandlerOf } from '../../subnets';
import { closeDigitsVerifiers, digitsSubnet } from '../../subnets/digits';
import { Validator } from '../../validator';
import { ApiKeyStore, createValidatorApi, revokeApiKey, type CreatedApiKey, type ValidatorApi } from '../../validator/api';
import { startSubnetLocalnet } from '../helpers/subnet-localnet';

const EXTERNAL_IP = '203.0.113.9';
const NETUID = 1;
const MINERS = [{ uri: '//Bob//api-linear', tier: 'linear' }, { uri: '//Bob//api-large', tier: 'mlp-large' }];

let net: Localnet;
let client: ChainClient;
let validator: Validator;
let api: ValidatorApi;
let dir: string;
let keyFile: string;
const keys: Record<'main' | 'quota' | 'slow', CreatedApiKey> = {} as Record<'main' | 'quota' | 'slow', CreatedApiKey>;
const miners = new Map<number, Miner>();
const engines: InferenceEngine[] = [];
const logs: Array<{ message: string; context: unknown }> = [];
const capture = (message: string, context?: unknown): void => void logs.push({ message, context });
const logger: Logger = { debug: capture, info: capture, warn: capture, error: capture };

beforeAll(async () => {
  await cryptoWaitReady();
  ({ net, client } = await startSubnetLocalnet({ netuid: NETUID, validator: '//Alice//val', miners: MINERS.map((m) => m.uri) }));
  for (const m of MINERS) {
    const handler = minerHandlerOf(digitsSubnet);
    const engine = await InferenceEngine.load(handler.tiers![m.tier]!.model!(), { device: 'cpu', watch: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
    engines.push(engine);
    const miner = await Miner.start(
      { client, netuid: NETUID, hotkey: keypairFromUri(m.uri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 },
      (axon) => attachHandler(handler, axon, { engine, tier: m.tier, logger: { debug() {}, info() {}, warn() {}, error() {} } }),
    );
    miners.set(miner.uid, miner);
  }
  let seed = 0;
  validator = await Validator.create({
    client, netuid: NETUID, hotkey: keypairFromUri('//Alice//val'), subnet: digitsSubnet, random: mulberry32(11),
    seeds: () => (seed++).toString(16).padStart(64, 'a'), dendrite: { externalIp: EXTERNAL_IP },
  });
  for (let i = 0; i < 6; i++) await validator.step();

  dir = mkdtempSync(join(tmpdir(), 'tensornet-api-'));
  keyFile = join(dir, 'api-keys.json');
  const store = ApiKeyStore.open(keyFile);
  keys.main = store.create('main');
  keys.quota = store.create('quota', { requestsPerDay: 2 });
  keys.slow = store.create('slow', { requestsPerMinute: 1 });
  api = await createValidatorApi({ validators: [validator], keys: store, port: 0, topK: 2, maxBodyBytes: 16 * 1024, logger });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await validator?.stop();
  for (const miner of miners.values()) await miner.stop();
  for (const engine of engines) await engine.close();
  await closeDigitsVerifiers();
  await client?.close();
  await net?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  /** JSON read back from the wire: the assertions check its shape. */
  readonly body: any;
}

async function call(method: 'GET' | 'POST', path: string, options: { key?: string | null; body?: unknown; raw?: string } = {}): Promise<Answer> {
  const key = options.key === undefined ? keys.main.secret : options.key;
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: options.raw ?? JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? null : JSON.parse(text) };
}

const digitRequest = () => digitsSubnet.generateTask(mulberry32(5), {}).request;
const infer = (body: unknown, key?: string) => call('POST', `/v1/subnets/${NETUID}/infer`, { body, ...(key === undefined ? {} : { key }) });

function bestAndNext(): [number, number] {
  const scores = validator.scores;
  const uids = [...miners.keys()].sort((a, b) => scores[b]! - scores[a]!);
  return [uids[0]!, uids[1]!];
}

test('health and the OpenAPI document need no key; the document gives the infer route the synapse request schema', async () => {
  const health = await call('GET', '/v1/health', { key: null });
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'ok', subnets: [{ netuid: NETUID, servingMiners: 2 }] });
  const doc = (await call('GET', '/v1/openapi.json', { key: null })).body;
  expect(doc.openapi).toBe('3.1.0');
  const infer = doc.paths[`/v1/subnets/${NETUID}/infer`].post;
  expect(infer.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/DigitClassificationRequest' });
  const { $schema: _dialect, ...expected } = z.toJSONSchema(digitsSubnet.synapse.request, { io: 'input' });
  expect(doc.components.schemas.DigitClassificationRequest).toEqual(expected);
  expect(doc.components.schemas.DigitClassificationRequest.required).toEqual(['image']);
  expect(Object.keys(infer.responses).sort()).toEqual(['200', '400', '401', '404', '413', '422', '429', '500', '502', '503', '504']);
  expect(doc.components.schemas.DigitClassificationResult.properties.response).toEqual({ $ref: '#/components/schemas/DigitClassificationResponse' });
});

test('401 for a missing, malformed, unknown or revoked key, with WWW-Authenticate', async () => {
  const wrong = keys.main.secret.slice(0, -1) + (keys.main.secret.endsWith('A') ? 'B' : 'A');
  for (const key of [null, 'not-a-key', wrong]) {
    const answer = await call('GET', '/v1/subnets', { key });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('Unauthorized');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  }
  // Revoked by the CLI's function on the file while the API runs: refused from the next request on.
  const store = ApiKeyStore.open(keyFile);
  const temporary = store.create('temporary');
  expect((await call('GET', '/v1/subnets', { key: temporary.secret })).status).toBe(200);
  revokeApiKey(keyFile, temporary.id);
  expect((await call('GET', '/v1/subnets', { key: temporary.secret })).body.error.code).toBe('Unauthorized');
});

test('400 names the field that fails the synapse schema; bad JSON is 400, a body over the limit 413', async () => {
  const image = digitRequest().image;
  const cases: Array<[unknown, string]> = [
    [{}, 'image'],
    [{ image: { ...image, shape: ['28', 28] } }, 'image.shape[0]'],
    [{ image: { ...image, dtype: 'complex' } }, 'image.dtype'],
    [{ image, extra: 1 }, 'extra'],
    [[1, 2], '(body)'],
  ];
  for (const [body, field] of cases) {
    const answer = await infer(body);
    expect([answer.status, answer.body.error.code, answer.body.error.details]).toEqual([400, 'InvalidRequest', { field }]);
    expect(answer.body.error.message.startsWith(`${field}: `)).toBe(true);
  }
  const bad = await call('POST', `/v1/subnets/${NETUID}/infer`, { raw: '{"image": ' });
  expect([bad.status, bad.body.error.code]).toEqual([400, 'InvalidJson']);
  const big = await call('POST', `/v1/subnets/${NETUID}/infer`, { raw: JSON.stringify({ image: { buffer: 'A'.repeat(32 * 1024), dtype: 'float32', shape: [28, 28] } }) });
  expect([big.status, big.body.error.code]).toEqual([413, 'PayloadTooLarge']);
});

test('404 for an unknown subnet or route; 429 with Retry-After past the rate limit and past the daily quota', async () => {
  expect((await call('GET', '/v1/subnets/7/scores')).body.error.code).toBe('UnknownSubnet');
  expect((await call('GET', '/v1/subnets/x/metagraph')).status).toBe(404);
  expect((await call('GET', '/v1/nothing')).body.error.code).toBe('NotFound');
  expect((await call('GET', '/v1/events')).status).toBe(426);

  expect((await call('GET', '/v1/subnets', { key: keys.slow.secret })).status).toBe(200);
  const limited = await call('GET', '/v1/subnets', { key: keys.slow.secret });
  expect([limited.status, limited.body.error.code, limited.headers.get('retry-after')]).toEqual([429, 'RateLimited', '60']);

  // The quota counts inference requests as they arrive (before the body is read), valid or not.
  expect((await infer({}, keys.quota.secret)).status).toBe(400);
  expect((await infer({}, keys.quota.secret)).status).toBe(400);
  const over = await infer(digitRequest(), keys.quota.secret);
  expect([over.status, over.body.error.code]).toEqual([429, 'QuotaExceeded']);
  const retryAfter = Number(over.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(86_400);
  // Other keys are not affected.
  expect((await call('GET', '/v1/subnets')).status).toBe(200);
});

test('the views: subnets, metagraph and scores agree with the validator', async () => {
  const subnets = (await call('GET', '/v1/subnets')).body.subnets;
  expect(subnets).toEqual([{ netuid: NETUID, name: 'digits', version: digitsSubnet.version, description: digitsSubnet.description, block: validator.metagraph.block, n: 3, servingMiners: 2 }]);
  const graph = (await call('GET', `/v1/subnets/${NETUID}/metagraph`)).body;
  expect(graph.neurons.map((n: { hotkey: string }) => n.hotkey)).toEqual(validator.metagraph.hotkeys);
  expect(graph.neurons[validator.uid]).toMatchObject({ stake: validator.metagraph.stake[validator.uid]!.rao.toString(), validatorPermit: validator.metagraph.validatorPermit[validator.uid], axon: { serving: false } });
  for (const uid of miners.keys()) expect(graph.neurons[uid]).toMatchObject({ axon: { ip: EXTERNAL_IP, port: miners.get(uid)!.axon.port, serving: true }, score: validator.scores[uid] });
  const scores = (await call('GET', `/v1/subnets/${NETUID}/scores`)).body;
  expect(scores.scores.map((s: { score: number }) => s.score)).toEqual(validator.scores);
});

test('a request with the right schema but content the miners refuse is 422, with every miner tried', async () => {
  const tiny = encodeTensor({ dtype: 'float32', shape: [2, 2], data: new Uint8Array(16) });
  const answer = await infer({ image: tiny });
  expect([answer.status, answer.body.error.code]).toEqual([422, 'RequestRejected']);
  expect(answer.body.error.message).toContain('shape [28, 28]');
  expect(answer.body.error.details.tried.map((t: { code: number }) => t.code)).toEqual([400, 400]);
});

test('events: a subscriber gets ready, then the step the validator scores; no key, no socket', async () => {
  const refused = await new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${api.url.replace('http', 'ws')}/v1/events`);
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => reject(new Error('opened without a key')));
    socket.on('error', () => undefined);
  });
  expect(refused).toBe(401);

  const socket = new WebSocket(`${api.url.replace('http', 'ws')}/v1/events?netuid=${NETUID}`, { headers: { authorization: `Bearer ${keys.main.secret}` } });
  const messages: Array<{ type: string; [k: string]: unknown }> = [];
  const step = new Promise<{ type: string; answers: Array<{ uid: number; average: number }> }>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      messages.push(message);
      if (message.type === 'ready') void validator.step();
      if (message.type === 'step') resolve(message);
    });
  });
  try {
    const scored = await step;
    expect(messages[0]).toEqual({ type: 'ready', netuids: [NETUID] });
    expect(scored.answers.map((a) => a.uid).sort()).toEqual([...miners.keys()].sort());
    for (const a of scored.answers) expect(a.average).toBe(validator.scores[a.uid]);
  } finally {
    socket.close();
  }
});

test('routing: the best-scored miner answers; when it dies the next one does; when all die 502 with what was tried', async () => {
  const [best, next] = bestAndNext();
  expect(validator.scores[best]!).toBeGreaterThan(validator.scores[next]!);
  const first = await infer(digitRequest());
  expect(first.status).toBe(200);
  expect(first.body.miner).toMatchObject({ uid: best, hotkey: validator.metagraph.hotkeys[best], score: validator.scores[best] });
  expect(first.body.tried).toHaveLength(1);
  expect(first.body.response.probabilities).toHaveLength(10);

  await miners.get(best)!.stop();
  const fallback = await infer(digitRequest());
  expect(fallback.status).toBe(200);
  expect(fallback.body.miner.uid).toBe(next);
  expect(fallback.body.tried.map((t: { uid: number; status: string }) => [t.uid, t.status])).toEqual([[best, 'unavailable'], [next, 'ok']]);

  await miners.get(next)!.stop();
  const failed = await infer(digitRequest());
  expect([failed.status, failed.body.error.code]).toEqual([502, 'AllMinersFailed']);
  expect(failed.body.error.details.tried.map((t: { uid: number }) => t.uid)).toEqual([best, next]);

  const usage = (await call('GET', `/v1/subnets/${NETUID}/stats`)).body;
  expect(usage).toMatchObject({ netuid: NETUID, requests: 4, successes: 2, failures: 2, successRate: 0.5, latencyS: { samples: 2 } });
  expect(usage.latencyS.p50).toBeGreaterThan(0);
  expect(api.usage()).toEqual([usage]);
});

test('neither the key file nor the request logs hold a secret', () => {
  const file = readFileSync(keyFile, 'utf8');
  const logText = JSON.stringify(logs);
  for (const { secret, id } of Object.values(keys)) {
    expect(file).not.toContain(secret);
    expect(logText).not.toContain(secret);
    expect(logText).not.toContain(secret.slice(-43));
    expect(file).toContain(id);
  }
  expect(logs.filter((l) => l.message === 'api request').length).toBeGreaterThan(20);
  expect(logs.find((l) => l.message === 'api request' && (l.context as { status: number }).status === 429)?.context).toMatchObject({ key: keys.slow.id, code: 'RateLimited' });
});
