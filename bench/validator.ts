/**
 * `npm run bench -- validator`: the validator's two costs, each against a baseline measured in the same run.
 *
 * 1. The validator API: requests/s and p50/p99 at concurrency 64 of `POST /v1/subnets/1/infer` (key check,
 *    schema check, routing to the best-scored miner, the dendrite's signed query, the answer with provenance)
 *    vs querying that miner's axon directly with a dendrite. A real localnet, a real digits miner (linear
 *    tier) and a real validator. Target: API ≥ 0.8× direct.
 * 2. A fan-out round: one dendrite querying 256 miners that answer after 100–400 ms, vs the slowest miner
 *    queried alone. The 256 miners stand in for 256 machines: plain HTTP servers on one thread that answer
 *    a filled synapse after their delay without verifying anything (256 real axons on one thread would
 *    verify 256 signatures in a row, a queue no real deployment has). Target: round ≤ 1.25×.
 *
 * As on separate machines, the miners and the load-generating app each run on a thread of their own
 * (worker threads: their event loops do not queue behind the validator's); the validator (API, dendrite,
 * chain client) and localnet run on the main thread. The machine's two cores are still shared by all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { connect, serveAxon } from '../chain-client';
import { keypairFromUri } from '../chain-client/wallet';
import { mulberry32 } from '../common/random';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile, startLocalnet } from '../localnet';
import { Axon, type CallerInfo } from '../miner';
import { InferenceEngine } from '../miner/engine';
import { attachHandler } from '../miner/handlers';
import { defineSynapse, PROTOCOL_VERSION } from '../protocol';
import { minerHandlerOf, taskFromSeed } from '../subnets';
import { digitsModelPath, digitsSubnet } from '../subnets/digits';
import { ApiKeyStore, createApiKey, createValidatorApi, Dendrite, Validator } from '../validator';
import type { Benchmark } from './run';

const CONCURRENCY = 64;
const WARMUP_MS = 1500;
const WINDOW_MS = 4000;
/** Direct and API windows alternate this many times; each mode reports its median window (runs drift ±20 % on a shared 2-core machine). */
const ROUNDS = 3;
const FAN_OUT = 256;
const EXTERNAL_IP = '203.0.113.50';
const VALIDATOR_URI = '//Alice//bench-v';
const APP_URI = '//Charlie//bench-app';
const MINER_URI = '//Bob//bench-m';
const TASK_SEED = 'be'.repeat(32);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Row {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

type Role =
  | { readonly role: 'digits-miner'; readonly dir: string }
  | { readonly role: 'fanout-miners'; readonly dir: string; readonly delays: readonly number[] }
  | { readonly role: 'app'; readonly mode: 'direct'; readonly port: number; readonly hotkey: string }
  | { readonly role: 'app'; readonly mode: 'api'; readonly url: string; readonly secret: string };

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Closed loop: `CONCURRENCY` loops back to back; counts completions inside a window after warm-up. */
async function closedLoop(once: () => Promise<boolean>): Promise<Row> {
  const start = performance.now();
  const windowStart = start + WARMUP_MS;
  const windowEnd = windowStart + WINDOW_MS;
  const latencies: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < windowEnd) {
        const t0 = performance.now();
        const ok = await once();
        const t1 = performance.now();
        if (t1 >= windowStart && t1 <= windowEnd) {
          if (ok) latencies.push(t1 - t0);
          else failed++;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / (WINDOW_MS / 1000), p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), failed };
}

/** Runs `role` on a worker thread; resolves with its first message, and gives a way to end it. */
async function onThread<T>(role: Role): Promise<{ value: T; end(): Promise<void> }> {
  const worker = new Worker(__filename, { workerData: role, execArgv: process.execArgv.filter((a) => a !== '--expose-gc') });
  const value = await new Promise<T>((resolve, reject) => {
    worker.once('message', (m: T) => resolve(m));
    worker.once('error', reject);
  });
  return {
    value,
    end: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** The callers every benchmark axon serves: the validator and the app, both with a permit. */
function benchCallers(): Map<string, CallerInfo> {
  return new Map<string, CallerInfo>([
    [keypairFromUri(VALIDATOR_URI).address, { uid: 0, stake: 1000, validatorPermit: true }],
    [keypairFromUri(APP_URI).address, { uid: 2, stake: 1000, validatorPermit: true }],
  ]);
}

async function untilStopped(): Promise<void> {
  await new Promise<void>((resolve) => parentPort!.once('message', () => resolve()));
}

async function workerMain(role: Role): Promise<void> {
  await cryptoWaitReady();
  if (role.role === 'digits-miner') {
    const callers = benchCallers();
    const handler = minerHandlerOf(digitsSubnet);
    const engine = await InferenceEngine.load(digitsModelPath('linear'), { device: 'cpu', watch: false, worker: false, spec: handler.modelSpec! });
    const axon = new Axon({ hotkey: keypairFromUri(MINER_URI), callers: { lookup: (h) => callers.get(h) }, host: '127.0.0.1', port: 0, maxConcurrent: 256, maxPerCaller: 256, nonceFile: join(role.dir, 'miner-nonces') });
    attachHandler(handler, axon, { engine, tier: 'linear', logger: silent });
    await axon.start();
    parentPort!.postMessage({ port: axon.port, hotkey: axon.hotkey });
    await untilStopped();
    await axon.stop();
    await engine.close();
    return;
  }
  if (role.role === 'fanout-miners') {
    const servers: Server[] = [];
    for (const delay of role.delays) {
      const answer = JSON.stringify({ name: 'Wait', ms: 0, waited: delay, axon: { status_code: 200, status_message: 'Success' } });
      const server = createServer((req, res) => {
        req.resume();
        req.on('end', () =>
          setTimeout(() => {
            res.writeHead(200, { 'content-type': 'application/json', bt_header_axon_status_code: '200' });
            res.end(answer);
          }, delay),
        );
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    parentPort!.postMessage(servers.map((server, i) => ({ ip: '127.0.0.1', port: (server.address() as AddressInfo).port, hotkey: keypairFromUri(`//Bob//fan-${i}`).address })));
    await untilStopped();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    return;
  }
  const task = taskFromSeed(digitsSubnet, TASK_SEED);
  let row: Row;
  if (role.mode === 'direct') {
    const dendrite = new Dendrite({ hotkey: keypairFromUri(APP_URI), maxConcurrency: 256 });
    const target = { ip: '127.0.0.1', port: role.port, hotkey: role.hotkey };
    row = await closedLoop(async () => (await dendrite.query(target, digitsSubnet.synapse, task.request, { timeoutS: 10 })).status === 'ok');
    await dendrite.close();
  } else {
    const body = JSON.stringify(task.request);
    const agent = new Agent({ connections: CONCURRENCY });
    row = await closedLoop(async () => {
      const res = await request(`${role.url}/v1/subnets/1/infer`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${role.secret}`, 'content-type': 'application/json' }, body });
      const text = await res.body.text();
      return res.statusCode === 200 && text.includes('"probabilities"');
    });
    await agent.close();
  }
  parentPort!.postMessage(row);
  await untilStopped();
}

async function apiVersusDirect(): Promise<{ direct: Row; api: Row; all: { direct: number[]; api: number[] }; bodyBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensornet-bench-validator-'));
  const file = parseGenesisFile({
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000'], ['//Charlie', '1000000000000000']],
    subnets: [
      {
        netuid: 1,
        owner: '//Alice',
        tempo: 360,
        hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 2, ServingRateLimit: 0, ActivityCutoff: 5000 },
        neurons: [
          { hotkey: VALIDATOR_URI, coldkey: '//Alice', stake: '1000000000000' },
          { hotkey: MINER_URI, coldkey: '//Bob', stake: '0' },
          { hotkey: APP_URI, coldkey: '//Charlie', stake: '1000000000000' },
        ],
      },
    ],
  });
  const net = await startLocalnet({ port: 0, blockTimeMs: 1000, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  const client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  const miner = await onThread<{ port: number; hotkey: string }>({ role: 'digits-miner', dir });
  try {
    // The miner's axon is announced at the shared external IP, which the validator reaches on loopback.
    await serveAxon(client, { signer: keypairFromUri(MINER_URI), netuid: 1, ip: EXTERNAL_IP, port: miner.value.port, version: PROTOCOL_VERSION });
    const validator = await Validator.create({ client, netuid: 1, hotkey: keypairFromUri(VALIDATOR_URI), subnet: digitsSubnet, dendrite: { externalIp: EXTERNAL_IP, maxConcurrency: 256 } });
    const keyFile = join(dir, 'keys.json');
    const key = createApiKey(keyFile, 'bench', { requestsPerMinute: 10_000_000 });
    const api = await createValidatorApi({ validators: [validator], keys: ApiKeyStore.open(keyFile), port: 0, topK: 1, rateLimit: { requestsPerMinute: 10_000_000 } });
    try {
      for (let i = 0; i < 3; i++) await validator.step();
      const directRows: Row[] = [];
      const apiRows: Row[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const directApp = await onThread<Row>({ role: 'app', mode: 'direct', port: miner.value.port, hotkey: miner.value.hotkey });
        await directApp.end();
        directRows.push(directApp.value);
        const apiApp = await onThread<Row>({ role: 'app', mode: 'api', url: api.url, secret: key.secret });
        await apiApp.end();
        apiRows.push(apiApp.value);
      }
      const median = (rows: Row[]): Row => [...rows].sort((a, b) => a.rps - b.rps)[Math.floor(rows.length / 2)]!;
      return { direct: median(directRows), api: median(apiRows), all: { direct: directRows.map((r) => r.rps), api: apiRows.map((r) => r.rps) }, bodyBytes: Buffer.byteLength(JSON.stringify(taskFromSeed(digitsSubnet, TASK_SEED).request)) };
    } finally {
      await api.close();
      await validator.stop();
    }
  } finally {
    await miner.end();
    await client.close();
    await net.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const Wait = defineSynapse({ name: 'Wait', request: { ms: z.number().int() }, response: { waited: z.number().int() } });

async function fanOut(): Promise<{ rounds: number[]; slowestMs: number; aloneMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensornet-bench-fanout-'));
  const rng = mulberry32(256);
  const delays = Array.from({ length: FAN_OUT }, (_, i) => (i === 0 ? 400 : 100 + Math.floor(rng() * 300)));
  const miners = await onThread<Array<{ ip: string; port: number; hotkey: string }>>({ role: 'fanout-miners', dir, delays });
  const dendrite = new Dendrite({ hotkey: keypairFromUri(VALIDATOR_URI), maxConcurrency: FAN_OUT });
  const rounds: number[] = [];
  const alone: number[] = [];
  try {
    // Baseline: the slowest miner queried on its own, same dendrite, same warm connection.
    for (let i = 0; i < 4; i++) {
      const result = await dendrite.query(miners.value[0]!, Wait, { ms: 0 }, { timeoutS: 10 });
      if (result.status !== 'ok') throw new Error(`fan-out baseline: ${result.code} ${result.message}`);
      if (i > 0) alone.push(result.latencyS * 1000);
    }
    for (let round = 0; round < 6; round++) {
      const t0 = performance.now();
      const results = await dendrite.forward(miners.value, Wait, { ms: 0 }, { timeoutS: 10 });
      const ms = performance.now() - t0;
      const failed = results.filter((r) => r.status !== 'ok');
      if (failed.length > 0) throw new Error(`fan-out: ${failed.length} failed, e.g. ${failed[0]!.code} ${failed[0]!.message}`);
      if (round > 0) rounds.push(ms); // the first round opens the 256 connections
    }
  } finally {
    await dendrite.close();
    await miners.end();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rounds, slowestMs: Math.max(...delays), aloneMs: quantile([...alone].sort((a, b) => a - b), 0.5) };
}

const f = (x: number, d = 1): string => x.toFixed(d);

export const validatorBenchmark: Benchmark = {
  name: 'validator',
  description: 'validator API vs direct axon queries at concurrency 64; a 256-miner fan-out round vs the slowest miner',
  async run() {
    await cryptoWaitReady();
    const { direct, api, all, bodyBytes } = await apiVersusDirect();
    const ratio = api.rps / direct.rps;
    process.stdout.write(
      [
        '### validator',
        '',
        `#### Validator API vs the best miner's axon queried directly (digits, linear tier; concurrency ${CONCURRENCY}; request body ${bodyBytes} B)`,
        '',
        '| path | req/s | p50 ms | p99 ms | failed |',
        '|---|---:|---:|---:|---:|',
        `| app → axon (the app's own dendrite) | ${f(direct.rps, 0)} | ${f(direct.p50)} | ${f(direct.p99)} | ${direct.failed} |`,
        `| app → validator API → dendrite → axon | **${f(api.rps, 0)}** | ${f(api.p50)} | ${f(api.p99)} | ${api.failed} |`,
        '',
        `Each row is the median of ${ROUNDS} alternating ${WINDOW_MS / 1000} s windows (req/s of every window: direct ${all.direct.map((x) => f(x, 0)).join(', ')}; API ${all.api.map((x) => f(x, 0)).join(', ')}).`,
        '',
        `API / direct: **${f(ratio, 2)}×** (target ≥ 0.8×: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
        '',
      ].join('\n'),
    );
    const { rounds, slowestMs, aloneMs } = await fanOut();
    const sorted = [...rounds].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    const fanRatio = median / aloneMs;
    process.stdout.write(
      [
        `#### Fan-out: one round to ${FAN_OUT} axons answering after 100–${slowestMs} ms`,
        '',
        '| rounds | median round ms | min | max | slowest miner queried alone, ms (median of 3) | round / slowest alone |',
        '|---:|---:|---:|---:|---:|---:|',
        `| ${rounds.length} | ${f(median)} | ${f(sorted[0]!)} | ${f(sorted[sorted.length - 1]!)} | ${f(aloneMs)} | **${f(fanRatio, 2)}×** |`,
        '',
        `Target ≤ 1.25×: ${fanRatio <= 1.25 ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
  },
};

if (!isMainThread && parentPort !== null) {
  workerMain(workerData as Role).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
