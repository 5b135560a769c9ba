/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * End to end on a real localnet over loopback: miners of different tiers serve the digits and ocr subnets
 * with their real models, a copying miner relays the best miner's answers, and a validator loop queries,
 * scores and sets weights. After a few epochs the chain's own Yuma consensus pays the better miners more
 * incentive than the worse ones, and the copier less than the miner it copies.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, metagraph, type ChainClient } from '../../chain-client';
import { keypairFromUri } from '../../chain-client/wallet';
import { mulberry32 } from '../../common/random';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler, type MinerHandler } from '../../miner/handlers';
import { digitsSubnet } from '../../subnets/digits';
import { ocrSubnet } from '../../subnets/ocr';
import { minerHandlerOf, type AnySubnet } from '../../subnets';
import { Dendrite, Validator } from '../../validator';
import { copierHandler } from '../../cli/cmds/up/copier';

const EXTERNAL_IP = '203.0.113.9';
const DIGITS = 1;
const OCR = 2;

interface MinerPlan {
  readonly uri: string;
  /** The tier it runs, or the uri of the miner it copies. */
  readonly tier?: string;
  readonly copies?: string;
}

const PLANS: Record<number, { subnet: AnySubnet; miners: MinerPlan[]; steps: number }> = {
  [DIGITS]: { subnet: digitsSubnet, steps: 60, miners: [{ uri: '//Bob//d-linear', tier: 'linear' }, { uri: '//Bob//d-large', tier: 'mlp-large' }, { uri: '//Bob//d-copy', copies: '//Bob//d-large' }] },
  [OCR]: { subnet: ocrSubnet, steps: 40, miners: [{ uri: '//Bob//o-full', tier: 'full' }, { uri: '//Bob//o-fifth', tier: 'fifth' }, { uri: '//Bob//o-copy', copies: '//Bob//o-full' }] },
};

function genesis(): unknown {
  const subnet = (netuid: number) => ({
    netuid,
    owner: '//Alice',
    tempo: 4,
    hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 1, ServingRateLimit: 0, ActivityCutoff: 5000, WeightsVersionKey: 0 },
    neurons: [{ hotkey: '//Alice//val', coldkey: '//Alice', stake: '1000000000000' }, ...PLANS[netuid]!.miners.map((m) => ({ hotkey: m.uri, coldkey: '//Bob', stake: '0' }))],
  });
  return { balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000']], subnets: [subnet(DIGITS), subnet(OCR)] };
}

let net: Localnet;
let client: ChainClient;
const miners = new Map<string, Miner>();
const engines: InferenceEngine[] = [];
const dendrites: Dendrite[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  const file = parseGenesisFile(genesis());
  net = await startLocalnet({ port: 0, blockTimeMs: 100, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  for (const [netuid, plan] of Object.entries(PLANS).map(([k, v]) => [Number(k), v] as const)) {
    for (const m of plan.miners) {
      let handler: MinerHandler;
      let engine: InferenceEngine | null = null;
      if (m.copies !== undefined) {
        const dendrite = new Dendrite({ hotkey: keypairFromUri(m.uri), externalIp: EXTERNAL_IP });
        dendrites.push(dendrite);
        const original = m.copies;
        handler = copierHandler(plan.subnet, dendrite, () => ({ ip: EXTERNAL_IP, port: miners.get(original)!.axon.port, hotkey: miners.get(original)!.axon.hotkey }));
      } else {
        handler = minerHandlerOf(plan.subnet);
        engine = await InferenceEngine.load(handler.tiers![m.tier!]!.model!(), { device: 'cpu', watch: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
        engines.push(engine);
      }
      const miner = await Miner.start(
        { client, netuid, hotkey: keypairFromUri(m.uri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 },
        (axon) => attachHandler(handler, axon, { engine, tier: m.tier ?? null, logger: { debug() {}, info() {}, warn() {}, error() {} } }),
      );
      miners.set(m.uri, miner);
    }
  }
}, 120_000);

afterAll(async () => {
  for (const miner of miners.values()) await miner.stop();
  for (const dendrite of dendrites) await dendrite.close();
  for (const engine of engines) await engine.close();
  await client?.close();
  await net?.close();
});

async function incentiveAfterValidating(netuid: number): Promise<Map<string, number>> {
  const plan = PLANS[netuid]!;
  let seedCounter = 0;
  const validator = await Validator.create({
    client,
    netuid,
    hotkey: keypairFromUri('//Alice//val'),
    subnet: plan.subnet,
    random: mulberry32(7),
    seeds: () => (netuid.toString(16).padStart(4, '0') + (seedCounter++).toString(16).padStart(60, '0')),
    dendrite: { externalIp: EXTERNAL_IP },
  });
  try {
    for (let i = 0; i < plan.steps; i++) {
      const report = await validator.step();
      expect(report.answers.filter((a) => a.status !== 'ok').map((a) => `${a.uid}:${a.status}`)).toEqual([]);
    }
    const set = await validator.setWeightsIfDue();
    expect(set).not.toBeNull();
    // Wait for the epoch after the weights: incentive is the chain's own Yuma consensus output.
    const graph = await metagraph(client, { netuid });
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      await graph.sync();
      if (graph.incentive.some((x) => x > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const byUri = new Map<string, number>();
    for (const m of plan.miners) byUri.set(m.uri, graph.incentive[graph.hotkeys.indexOf(keypairFromUri(m.uri).address)]!);
    await graph.close();
    return byUri;
  } finally {
    await validator.stop();
  }
}

test('digits: the large model out-earns the linear one, and its copier earns less than it', async () => {
  const incentive = await incentiveAfterValidating(DIGITS);
  expect(incentive.get('//Bob//d-large')!).toBeGreaterThan(incentive.get('//Bob//d-linear')!);
  expect(incentive.get('//Bob//d-copy')!).toBeLessThan(incentive.get('//Bob//d-large')!);
}, 180_000);

test('ocr: full resolution out-earns the downscaled tier, and its copier earns less than it', async () => {
  const incentive = await incentiveAfterValidating(OCR);
  expect(incentive.get('//Bob//o-full')!).toBeGreaterThan(incentive.get('//Bob//o-fifth')!);
  expect(incentive.get('//Bob//o-copy')!).toBeLessThan(incentive.get('//Bob//o-full')!);
}, 180_000);
