/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * `tensornet stake delegate` and `tensornet root run`, in process, against one localnet on 127.0.0.1 (100 ms
 * blocks) with the digits subnet (netuid 1): two real ONNX miners, a validator that scored them and its
 * validator API. The wallet's hotkey becomes a delegate with a take (a second try is one readable line);
 * `root run` reads the API's scores and usage and sets the hotkey's root weights.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { ChainClient } from '../../chain-client';
import { keypairFromUri, Wallet } from '../../chain-client/wallet';
import { runCli } from '../../cli/cli';
import { rootRunCmd, type RootRound } from '../../cli/cmds/root/run';
import type { CliIo } from '../../cli/io';
import { mulberry32 } from '../../common/random';
import { subtensorItems, type Localnet } from '../../localnet';
import { startSubnetLocalnet } from '../helpers/subnet-localnet';
import { Miner } from '../../miner';
import { InferenceEngine } from '../../miner/engine';
import { attachHandler } from '../../miner/handlers';
import { minerHandlerOf } from '../../subnets';
import { closeDigitsVerifiers, digitsSubnet } from '../../subnets/digits';
import { Validator } from '../../validator';
import { ApiKeyStore, createValidatorApi, type ValidatorApi } from '../../validator/api';

const EXTERNAL_IP = '203.0.113.9';
const NETUID = 1;
const MINERS = [{ uri: '//Bob//dr-linear', tier: 'linear' }, { uri: '//Bob//dr-large', tier: 'mlp-large' }];
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let net: Localnet;
let client: ChainClient;
let dir: string;
let walletPath: string;
let validator: Validator;
let api: ValidatorApi;
let apiKey: string;
const miners: Miner[] = [];
const engines: InferenceEngine[] = [];

async function cli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const as = (wallet: string, hotkey: string): string[] => ['--wallet', wallet, '--hotkey', hotkey, '--wallet-path', walletPath, '--network', net.url];

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-delegate-cli-'));
  ({ net, client } = await startSubnetLocalnet({
    netuid: NETUID,
    validator: '//Alice//v0',
    miners: MINERS.map((m) => m.uri),
    // Root weights right after root registration (whose block counts as the last update).
    extendGenesis: (state) => subtensorItems().WeightsSetRateLimit.set(state, 0, 0n),
  }));
  walletPath = join(dir, 'wallets');
  const alice = new Wallet({ name: 'alice', hotkey: 'v0', path: walletPath });
  await alice.regenerateColdkey({ uri: '//Alice' }, { encrypt: false });
  await alice.regenerateHotkey({ uri: '//Alice//v0' });
  const bob = new Wallet({ name: 'bob', hotkey: 'v0', path: walletPath });
  await bob.regenerateColdkey({ uri: '//Bob' }, { encrypt: false });
  await bob.regenerateHotkey({ uri: '//Alice//v0' });
  for (const m of MINERS) {
    const handler = minerHandlerOf(digitsSubnet);
    const engine = await InferenceEngine.load(handler.tiers![m.tier]!.model!(), { device: 'cpu', watch: false, spec: handler.modelSpec!, intraOpNumThreads: 1 });
    engines.push(engine);
    miners.push(await Miner.start(
      { client, netuid: NETUID, hotkey: keypairFromUri(m.uri), externalIp: EXTERNAL_IP, axon: { host: '127.0.0.1', port: 0 }, refreshMs: 60_000 },
      (axon) => attachHandler(handler, axon, { engine, tier: m.tier, logger: quiet }),
    ));
  }
  let seed = 0;
  validator = await Validator.create({
    client, netuid: NETUID, hotkey: keypairFromUri('//Alice//v0'), subnet: digitsSubnet, random: mulberry32(11),
    seeds: () => (seed++).toString(16).padStart(64, 'a'), dendrite: { externalIp: EXTERNAL_IP },
  });
  for (let i = 0; i < 4; i++) await validator.step();
  const store = ApiKeyStore.open(join(dir, 'api-keys.json'));
  apiKey = store.create('root').secret;
  api = await createValidatorApi({ validators: [validator], keys: store, port: 0 });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await validator?.stop();
  for (const miner of miners) await miner.stop();
  for (const engine of engines) await engine.close();
  await closeDigitsVerifiers();
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tensornet stake delegate', () => {
  test('default: the hotkey becomes a delegate with the --take asked for (u16 fraction on chain)', async () => {
    const r = await cli(['stake', 'delegate', ...as('alice', 'v0'), '--take', '9', '--json']);
    expect([r.code, r.err]).toEqual([0, '']);
    const out = JSON.parse(r.out) as { action: string; take: number; takePercent: number; hotkey: string };
    expect([out.action, out.take, out.takePercent]).toEqual(['delegate', Math.round(0.09 * 65535), 9]);
    const stored = (await client.api.query.subtensorModule!.delegates!(out.hotkey)).toString();
    expect(Number(stored)).toBe(out.take);
  }, 30_000);

  test('error: a hotkey that already is a delegate, or one the coldkey does not own, is one line and exit 1', async () => {
    const again = await cli(['stake', 'delegate', ...as('alice', 'v0')]);
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/stake delegate: .*HotKeyAlreadyDelegate/);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    const stranger = await cli(['stake', 'delegate', ...as('bob', 'v0')]);
    expect(stranger.code).not.toBe(0);
    expect(stranger.err).toMatch(/NonAssociatedColdKey/);
    const badTake = await cli(['stake', 'delegate', ...as('alice', 'v0'), '--take', '120']);
    expect([badTake.code, badTake.err]).toEqual([2, expect.stringMatching(/--take must be a percentage in \[0, 100\]/)]);
  }, 30_000);
});

describe('tensornet root run', () => {
  test('default: a round reads the API\'s measures and sets the hotkey\'s root weights; the loop stops on abort', async () => {
    const reg = await cli(['root', 'register', ...as('alice', 'v0'), '--json']);
    expect([reg.code, reg.err]).toEqual([0, '']);
    const uid = (JSON.parse(reg.out) as { uid: number }).uid;
    const rounds: RootRound[] = [];
    const stop = new AbortController();
    const out: string[] = [];
    const io: CliIo = { writeStdout: (t) => void out.push(t), writeStderr: () => undefined, readStdin: async () => '' };
    const args = { network: net.url, wallet: 'alice', hotkey: 'v0', 'wallet-path': walletPath, json: false, 'validator-api': api.url, 'api-key': apiKey, 'interval-blocks': 2 };
    await rootRunCmd(args, io, {}, {
      signal: stop.signal,
      pollMs: 50,
      onRound: (r) => {
        rounds.push(r);
        if (r.setIn !== undefined || r.error !== undefined || rounds.length >= 5) stop.abort();
      },
    });
    const last = rounds.at(-1)!;
    expect(last.error).toBeUndefined();
    expect([last.netuids, last.weights, last.setIn !== undefined]).toEqual([[NETUID], [1], true]);
    expect(out.join('')).toMatch(new RegExp(`set root weights in block #${last.setIn!.blockNumber}: 1=1\\.0000`));
    const stored = (await client.api.query.subtensorModule!.weights!(0, uid)).toJSON() as Array<[number, number]>;
    expect(stored).toEqual([[NETUID, 65535]]);
  }, 60_000);

  test('error: a wrong API key is one line naming the API\'s error, exit 2', async () => {
    const r = await cli(['root', 'run', ...as('alice', 'v0'), '--validator-api', api.url, '--api-key', 'tn_wrong']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/validator API GET \/v1\/subnets: HTTP 401/);
  }, 30_000);
});
