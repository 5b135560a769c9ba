/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The validator loop against faulty miners on a real localnet over loopback: one that hangs, one that answers
 * slowly, one that lies, one that answers garbage, and one that crashes mid-run, beside an honest miner. The
 * loop keeps its cadence (steps bounded by the timeout), sets weights every tempo, nothing throws, and the
 * faulty miners end below the honest one, the crashed one's score decaying after its crash.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, serveAxon, type ChainClient } from '../../chain-client';
import { keypairFromUri } from '../../chain-client/wallet';
import { mulberry32 } from '../../common/random';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler, type MinerHandler } from '../../miner/handlers';
import { DigitClassification, digitsModelPath, digitsSubnet } from '../../subnets/digits';
import { defineSubnet, minerHandlerOf } from '../../subnets';
import { Validator, type WeightsReport } from '../../validator';

const EXTERNAL_IP = '203.0.113.12';
const NETUID = 1;
const TIMEOUT_S = 1;
/** The digits mechanism with a 1 s timeout (a hanging miner costs each step 1 s, not 5), without copy detection: the miners here share one model, which it would rightly flag. */
const subnet = defineSubnet({ ...digitsSubnet, timeoutS: TIMEOUT_S, verification: undefined, copyDetection: false });

const HOTKEYS = { honest: '//Bob//f-honest', slow: '//Bob//f-slow', liar: '//Bob//f-liar', hang: '//Bob//f-hang', garbage: '//Bob//f-garbage', crash: '//Bob//f-crash' } as const;
type Role = keyof typeof HOTKEYS;

let net: Localnet;
let client: ChainClient;
let engine: InferenceEngine;
let garbage: Server;
const miners = new Map<Role, Miner>();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function wrap(role: Role, honest: MinerHandler): MinerHandler {
  if (role === 'honest' || role === 'crash') return honest;
  return {
    ...honest,
    attach(axon, ctx) {
      const inner = { attach: (_s: unknown, forward: (req: unknown, c: unknown) => Promise<{ probabilities: number[]; model_sha256: string }>) => forward } as const;
      let forward: ((req: unknown, c: unknown) => Promise<{ probabilities: number[]; model_sha256: string }>) | undefined;
      honest.attach({ ...axon, attach: (s: unknown, f: never) => ((forward = inner.attach(s, f)), axon) } as never, ctx);
      axon.attach(DigitClassification, async (request, fctx) => {
        if (role === 'hang') await new Promise((resolve) => fctx.signal.addEventListener('abort', resolve));
        if (role === 'slow') await new Promise((resolve) => setTimeout(resolve, 600));
        const answer = await forward!(request, fctx);
        if (role === 'liar') return { ...answer, probabilities: Array.from({ length: 10 }, (_, i) => (i === 3 ? 0.91 : 0.01)) };
        return answer;
      });
    },
  };
}

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile({
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000']],
    subnets: [
      {
        netuid: NETUID,
        owner: '//Alice',
        tempo: 9,
        hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 1, ServingRateLimit: 0, ActivityCutoff: 5000, WeightsVersionKey: subnet.versionKey },
        neurons: [{ hotkey: '//Alice//fval', coldkey: '//Alice', stake: '1000000000000' }, ...Object.values(HOTKEYS).map((hotkey) => ({ hotkey, coldkey: '//Bob', stake: '0' }))],
      },
    ],
  });
  net = await startLocalnet({ port: 0, blockTimeMs: 100, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  const handler = minerHandlerOf(subnet);
  engine = await InferenceEngine.load(digitsModelPath('mlp-large'), { device: 'cpu', watch: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
  for (const role of ['honest', 'slow', 'liar', 'hang', 'crash'] as const) {
    miners.set(
      role,
      await Miner.start({ client, netuid: NETUID, hotkey: keypairFromUri(HOTKEYS[role]), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 }, (axon) =>
        attachHandler(wrap(role, handler), axon, { engine, tier: 'mlp-large', logger: silent }),
      ),
    );
  }
  garbage = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"probabilities": [0.1, 0.2');
  });
  await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
  await serveAxon(client, { signer: keypairFromUri(HOTKEYS.garbage), netuid: NETUID, ip: EXTERNAL_IP, port: (garbage.address() as AddressInfo).port });
}, 120_000);

afterAll(async () => {
  for (const miner of miners.values()) await miner.stop();
  await engine?.close();
  await new Promise((resolve) => garbage?.close(resolve));
  await client?.close();
  await net?.close();
});

test('faulty miners cannot stall or crash the loop; their scores fall below the honest one', async () => {
  const warnings: string[] = [];
  let counter = 0;
  const validator = await Validator.create({
    client,
    netuid: NETUID,
    hotkey: keypairFromUri('//Alice//fval'),
    subnet,
    stepIntervalMs: 50,
    random: mulberry32(3),
    seeds: () => `fa${(counter++).toString(16).padStart(62, '0')}`,
    dendrite: { externalIp: EXTERNAL_IP },
    logger: { ...silent, warn: (m: string, c?: Readonly<Record<string, unknown>>) => warnings.push(`${m} ${JSON.stringify(c)}`) },
  });
  const uid = (role: Role) => validator.metagraph.hotkeys.indexOf(keypairFromUri(HOTKEYS[role]).address);
  const stepDurations: number[] = [];
  const weights: WeightsReport[] = [];
  let last = Date.now();
  validator.on('step', () => {
    stepDurations.push(Date.now() - last);
    last = Date.now();
  });
  validator.on('weights', (w) => weights.push(w));
  const epochs: number[] = [];
  validator.on('epoch', (block) => epochs.push(block));
  validator.run();
  try {
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const crashScore = validator.scores[uid('crash')]!;
    await miners.get('crash')!.stop();
    miners.delete('crash');
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const scores = validator.scores;
    expect(warnings).toEqual([]);
    // Every step ends soon after the timeout, hanging miner or not (the margin covers a loaded CI machine).
    expect(Math.max(...stepDurations)).toBeLessThan(TIMEOUT_S * 1000 + 5000);
    expect(stepDurations.length).toBeGreaterThan(8);
    // Weights every tempo (10 blocks of 100 ms): several in 20 s.
    expect(weights.length).toBeGreaterThanOrEqual(3);
    // Epochs reported on subtensor's schedule ((block + netuid + 1) % (tempo + 1) === 0), each once.
    expect(epochs.length).toBeGreaterThanOrEqual(3);
    expect(epochs.every((b) => (b + NETUID + 1) % 10 === 0)).toBe(true);
    expect(new Set(epochs).size).toBe(epochs.length);
    for (const role of ['slow', 'liar', 'hang', 'garbage'] as const) expect(scores[uid(role)]!).toBeLessThan(scores[uid('honest')]!);
    expect(scores[uid('hang')]).toBe(0);
    expect(scores[uid('garbage')]).toBe(0);
    expect(crashScore).toBeGreaterThan(0.3);
    expect(scores[uid('crash')]!).toBeLessThan(crashScore * 0.7);
  } finally {
    await validator.stop();
  }
}, 120_000);
