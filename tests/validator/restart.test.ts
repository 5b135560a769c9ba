/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The `tensornet validator` process on a commit-reveal subnet of a real localnet, with real digits miners:
 * it commits its weights, is killed with SIGKILL before the reveal window opens, and once restarted from
 * its state file it reveals in the window — the weights land on chain, and its scores survived.
 * (Spawns dist/cli/main.js through bin/tensornet.js: `npm test` builds first.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, metagraph, pendingWeightCommits, type ChainClient } from '../../chain-client';
import { keypairFromUri, Wallet } from '../../chain-client/wallet';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler } from '../../miner/handlers';
import { digitsModelPath, digitsSubnet } from '../../subnets/digits';
import { minerHandlerOf } from '../../subnets';

const REPO = join(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'tensornet.js');
const EXTERNAL_IP = '203.0.113.11';
const NETUID = 1;
const TEMPO = 19;

let net: Localnet;
let client: ChainClient;
let dir: string;
const miners: Miner[] = [];
const engines: InferenceEngine[] = [];
const children = new Set<ChildProcess>();

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-validator-restart-'));
  const file = parseGenesisFile({
    balances: [['//Alice', '1000000000000000'], ['//Bob', '1000000000000000']],
    subnets: [
      {
        netuid: NETUID,
        owner: '//Alice',
        tempo: TEMPO,
        hyperparameters: { WeightsSetRateLimit: 0, MinAllowedWeights: 1, MaxAllowedValidators: 1, ServingRateLimit: 0, ActivityCutoff: 5000, CommitRevealWeightsEnabled: true, RevealPeriodEpochs: 1, WeightsVersionKey: digitsSubnet.versionKey },
        neurons: [
          { hotkey: '//Alice//rval', coldkey: '//Alice', stake: '1000000000000' },
          { hotkey: '//Bob//r-linear', coldkey: '//Bob', stake: '0' },
          { hotkey: '//Bob//r-mlp', coldkey: '//Bob', stake: '0' },
        ],
      },
    ],
  });
  net = await startLocalnet({ port: 0, blockTimeMs: 400, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 20_000, reconnectDelayMs: 0 });
  const handler = minerHandlerOf(digitsSubnet);
  for (const [uri, tier] of [['//Bob//r-linear', 'linear'], ['//Bob//r-mlp', 'mlp']] as const) {
    const engine = await InferenceEngine.load(digitsModelPath(tier), { device: 'cpu', watch: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
    engines.push(engine);
    miners.push(
      await Miner.start({ client, netuid: NETUID, hotkey: keypairFromUri(uri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 }, (axon) =>
        attachHandler(handler, axon, { engine, tier, logger: { debug() {}, info() {}, warn() {}, error() {} } }),
      ),
    );
  }
  await new Wallet({ name: 'val', hotkey: 'v', path: join(dir, 'wallets') }).regenerateHotkey({ uri: '//Alice//rval' });
}, 120_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const miner of miners) await miner.stop();
  for (const engine of engines) await engine.close();
  await client?.close();
  await net?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startValidator(): ChildProcess {
  const child = spawn(
    process.execPath,
    [BIN, 'validator', '--netuid', String(NETUID), '--subnet', 'digits', '--wallet', 'val', '--hotkey', 'v', '--wallet-path', join(dir, 'wallets'), '--network', net.url, '--state-file', join(dir, 'state.json'), '--step-interval-ms', '100', '--external-ip', EXTERNAL_IP, '--log-level', 'warn', '--api-port', '0', '--api-keys', join(dir, 'api-keys.json')],
    { cwd: REPO, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', () => children.delete(child));
  (child as ChildProcess & { output: () => string }).output = () => output;
  return child;
}

interface SavedState {
  scores: number[];
  pendingReveal: { commitBlock: number | null; firstRevealBlock: number | null; commitHash: string } | null;
}

const readState = (): SavedState | null => (existsSync(join(dir, 'state.json')) ? (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SavedState) : null);

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, child?: ChildProcess): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${child ? `; validator output:\n${(child as ChildProcess & { output: () => string }).output()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('killed with SIGKILL between commit and reveal, the restarted validator reveals in the window', async () => {
  const hotkey = keypairFromUri('//Alice//rval').address;
  const first = startValidator();
  const committed = await until(
    'a commit in the state file',
    () => {
      const state = readState();
      return state?.pendingReveal?.commitBlock != null ? state : undefined;
    },
    90_000,
    first,
  );
  // Killed as soon as the commit is on disk; the reveal window (RevealPeriodEpochs = 1) opens at the next
  // epoch, up to 8 s later. That the commit is still pending after the kill proves it died in between.
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  expect(await pendingWeightCommits(client, { netuid: NETUID, hotkey })).toEqual([expect.objectContaining({ commitHash: committed.pendingReveal!.commitHash })]);
  const scoredBeforeKill = committed.scores.filter((s) => s > 0).length;
  expect(scoredBeforeKill).toBeGreaterThan(0);

  const second = startValidator();
  const graph = await metagraph(client, { netuid: NETUID, weights: true });
  const validatorUid = graph.hotkeys.indexOf(hotkey);
  await until(
    'the reveal on chain',
    async () => {
      await graph.sync();
      const row = graph.weights?.[validatorUid] ?? [];
      return row.length > 0 ? row : undefined;
    },
    90_000,
    second,
  );
  // The commit made before the kill was revealed (a later tempo's new commit may be pending by now).
  const pending = await pendingWeightCommits(client, { netuid: NETUID, hotkey });
  expect(pending.map((c) => c.commitHash)).not.toContain(committed.pendingReveal!.commitHash);
  const after = readState()!;
  expect(after.scores.filter((s) => s > 0).length).toBeGreaterThanOrEqual(scoredBeforeKill);
  await graph.close();
  second.kill('SIGTERM');
  await new Promise((resolve) => second.once('exit', resolve));
}, 240_000);
