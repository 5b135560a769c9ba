/**
 * `npm run bench -- validator`: the validator's two costs, each against a baseline measured in the same run.
 *
 * 1. The validator API: requests/s and p50/p99 at concurrency 64 of `POST /v1/subnets/1/infer` (key check,
 *    schema check, routing to the best-scored miner, the dendrite's signed query, the answer with provenance)
 *    vs querying that miner's axon directly with a dendrite. A real localnet, a real digits miner (linear
 *    tier) and a real validator, all in this process. Target: API ≥ 0.8× direct.
 * 2. A fan-out round: one dendrite querying 256 axons whose handlers answer after 100–400 ms (timers, no
 *    CPU: the miners' compute happens elsewhere), vs the slowest miner's latency. Target: round ≤ 1.25×.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { connect } from '../chain-client';
import { keypairFromUri } from '../chain-client/wallet';
import { mulberry32 } from '../common/random';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile, startLocalnet } from '../localnet';
import { Axon, Miner, type CallerInfo } from '../miner';
import { InferenceEngine } from '../miner/engine';
import { attachHandler } from '../miner/handlers';
import { defineSynapse } from '../protocol';
import { minerHandlerOf, taskFromSeed } from '../subnets';
import { digitsModelPath, digitsSubnet } from '../subnets/digits';
import { ApiKeyStore, createApiKey, createValidatorApi, Dendrite, Validator } from '../validator';
import type { Benchmark } from './run';

const CONCURRENCY = 64;
const WARMUP_MS = 1500;
const WINDOW_MS = 5000;
const FAN_OUT = 256;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface Row {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

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

async function apiVersusDirect(): Promise<{ direct: Row; api: Row; bodyBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensornet-bench-validator-'));
  const file = parseGenesisFile({
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000']],
    subnets: [
      {
        netuid: 1,
        owner: '//Alice',
        tempo: 360,
        hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 1, ServingRateLimit: 0, ActivityCutoff: 5000 },
        neurons: [{ hotkey: '//Alice//bench-v', coldkey: '//Alice', stake: '1000000000000' }, { hotkey: '//Bob//bench-m', coldkey: '//Bob', stake: '0' }],
      },
    ],
  });
  const net = await startLocalnet({ port: 0, blockTimeMs: 1000, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  const client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  const handler = minerHandlerOf(digitsSubnet);
  const engine = await InferenceEngine.load(digitsModelPath('linear'), { device: 'cpu', watch: false, spec: handler.modelSpec! });
  const externalIp = '203.0.113.50';
  const miner = await Miner.start({ client, netuid: 1, hotkey: keypairFromUri('//Bob//bench-m'), externalIp, axon: { host: '127.0.0.1', port: 0, maxConcurrent: 256, maxPerCaller: 256 }, refreshMs: 60_000 }, (axon) =>
    attachHandler(handler, axon, { engine, tier: 'linear', logger: silent }),
  );
  const validator = await Validator.create({ client, netuid: 1, hotkey: keypairFromUri('//Alice//bench-v'), subnet: digitsSubnet, dendrite: { externalIp, maxConcurrency: 256 } });
  for (let i = 0; i < 3; i++) await validator.step();
  const keyFile = join(dir, 'keys.json');
  const key = createApiKey(keyFile, 'bench', { requestsPerMinute: 10_000_000 });
  const api = await createValidatorApi({ validators: [validator], keys: ApiKeyStore.open(keyFile), port: 0, topK: 1, rateLimit: { requestsPerMinute: 10_000_000 } });
  const task = taskFromSeed(digitsSubnet, 'be'.repeat(32));
  const body = JSON.stringify(task.request);
  const direct = new Dendrite({ hotkey: keypairFromUri('//Alice//bench-v'), externalIp, maxConcurrency: 256 });
  const target = { ip: externalIp, port: miner.axon.port, hotkey: miner.axon.hotkey };
  const agent = new Agent({ connections: CONCURRENCY });
  try {
    const directRow = await closedLoop(async () => (await direct.query(target, digitsSubnet.synapse, task.request, { timeoutS: 10 })).status === 'ok');
    const apiRow = await closedLoop(async () => {
      const res = await request(`${api.url}/v1/subnets/1/infer`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' }, body });
      const text = await res.body.text();
      return res.statusCode === 200 && text.includes('"probabilities"');
    });
    return { direct: directRow, api: apiRow, bodyBytes: Buffer.byteLength(body) };
  } finally {
    await agent.close();
    await direct.close();
    await api.close();
    await validator.stop();
    await miner.stop();
    await engine.close();
    await client.close();
    await net.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const Wait = defineSynapse({ name: 'Wait', request: { ms: z.number().int() }, response: { waited: z.number().int() } });

async function fanOut(): Promise<{ rounds: number[]; slowestMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tensornet-bench-fanout-'));
  const validatorKey = keypairFromUri('//Alice//fan-v');
  const callers = new Map<string, CallerInfo>([[validatorKey.address, { uid: 0, stake: 1000, validatorPermit: true }]]);
  const rng = mulberry32(256);
  const delays = Array.from({ length: FAN_OUT }, (_, i) => (i === 0 ? 400 : 100 + Math.floor(rng() * 300)));
  const axons: Axon[] = [];
  try {
    for (let i = 0; i < FAN_OUT; i++) {
      const axon = new Axon({ hotkey: keypairFromUri(`//Bob//fan-${i}`), callers: { lookup: (h) => callers.get(h) }, host: '127.0.0.1', port: 0, nonceFile: join(dir, `n${i}`) });
      const delay = delays[i]!;
      axon.attach(Wait, async () => {
        await new Promise((resolve) => setTimeout(resolve, delay));
        return { waited: delay };
      });
      await axon.start();
      axons.push(axon);
    }
    const dendrite = new Dendrite({ hotkey: validatorKey, maxConcurrency: FAN_OUT });
    const targets = axons.map((a) => ({ ip: '127.0.0.1', port: a.port, hotkey: a.hotkey }));
    const rounds: number[] = [];
    try {
      for (let round = 0; round < 6; round++) {
        const t0 = performance.now();
        const results = await dendrite.forward(targets, Wait, { ms: 0 }, { timeoutS: 10 });
        const ms = performance.now() - t0;
        const failed = results.filter((r) => r.status !== 'ok');
        if (failed.length > 0) throw new Error(`fan-out: ${failed.length} failed, e.g. ${failed[0]!.code} ${failed[0]!.message}`);
        if (round > 0) rounds.push(ms); // the first round opens the 256 connections
      }
    } finally {
      await dendrite.close();
    }
    return { rounds, slowestMs: Math.max(...delays) };
  } finally {
    for (const axon of axons) await axon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (x: number, d = 1): string => x.toFixed(d);

export const validatorBenchmark: Benchmark = {
  name: 'validator',
  description: 'validator API vs direct axon queries at concurrency 64; a 256-miner fan-out round vs the slowest miner',
  async run() {
    await cryptoWaitReady();
    const { direct, api, bodyBytes } = await apiVersusDirect();
    const ratio = api.rps / direct.rps;
    process.stdout.write(
      [
        '### validator',
        '',
        `#### Validator API vs the best miner's axon queried directly (digits, linear tier; concurrency ${CONCURRENCY}; request body ${bodyBytes} B)`,
        '',
        '| path | req/s | p50 ms | p99 ms | failed |',
        '|---|---:|---:|---:|---:|',
        `| dendrite → axon (direct) | ${f(direct.rps, 0)} | ${f(direct.p50)} | ${f(direct.p99)} | ${direct.failed} |`,
        `| app → validator API → dendrite → axon | **${f(api.rps, 0)}** | ${f(api.p50)} | ${f(api.p99)} | ${api.failed} |`,
        '',
        `API / direct: **${f(ratio, 2)}×** (target ≥ 0.8×: ${ratio >= 0.8 ? 'met' : 'NOT met'})`,
        '',
      ].join('\n'),
    );
    const { rounds, slowestMs } = await fanOut();
    const sorted = [...rounds].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    process.stdout.write(
      [
        `#### Fan-out: one round to ${FAN_OUT} axons answering after 100–${slowestMs} ms`,
        '',
        `| rounds | median round ms | min | max | slowest miner ms | median / slowest |`,
        '|---:|---:|---:|---:|---:|---:|',
        `| ${rounds.length} | ${f(median)} | ${f(sorted[0]!)} | ${f(sorted[sorted.length - 1]!)} | ${slowestMs} | **${f(median / slowestMs, 2)}×** |`,
        '',
        `Target ≤ 1.25×: ${median / slowestMs <= 1.25 ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
  },
};
