/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * `tensornet miner` end to end on 127.0.0.1: a real localnet with a seeded subnet, a wallet on disk whose
 * hotkey is a registered miner, an ONNX model built by the reference models, the command run in-process
 * (stopped through its AbortSignal hook instead of a real signal), signed requests from a registered
 * validator hotkey, and the Prometheus endpoint scraped. Plus the one-line user errors through `runCli`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import yargs from 'yargs';
import { connect, metagraph, type ChainClient } from '../../chain-client';
import { keypairFromUri, passwordEnvVarName, Wallet, type KdfLimits } from '../../chain-client/wallet';
import { runCli } from '../../cli/cli';
import { minerCommand, type MinerCommandHooks, type RunningMiner } from '../../cli/cmds/miner';
import * as options from '../../cli/cmds/miner/options';
import { chainAcceptsIp } from '../../cli/cmds/miner/config';
import type { CliIo } from '../../cli/io';
import { batchSizeBuckets } from '../../cli/metrics';
import { startLocalnet, type Localnet } from '../../localnet';
import { applyGenesisSubnets, genesisConfigOf, parseGenesisFile } from '../../localnet/chain/genesis-file';
import { DEFAULT_AXON_PORT } from '../../miner/axon';
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS, DEVICES, mlpModel, probeProvider } from '../../miner/engine';
import {
  createHandlerRegistry, feedsOf, HandlerError, HandlerRegistry, outputsOf, runModel, TensorInference, tensorHandler, type MinerHandler,
} from '../../miner/handlers';
import { decodeTensor, encodeTensor, type BtTensor } from '../../protocol';
import { taskFromSeed } from '../../subnets';
import { DigitClassification, digitsModelPath, digitsSubnet } from '../../subnets/digits';
import { seededGenesis } from '../chain-client/helpers/subnet';
import { send, signed, type Reply } from '../miner/axon-client';

const NETUID = 1;
/** A documentation address (RFC 5737): localnet refuses 127.0.0.1 as an axon IP, as the real chain does. */
const EXTERNAL_IP = '203.0.113.7';
const LOG_LEVEL = process.env['LOG_LEVEL'] ?? 'silent';
/** Argon2i limits low enough for a test to write an encrypted keyfile. */
const FAST_KDF: KdfLimits = { opsLimit: 3, memLimitBytes: 8192 };

let net: Localnet;
let client: ChainClient;
let dir: string;
let walletPath: string;
let modelPath: string;
let modelBytes: Uint8Array;

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function captureIo(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, writeStdout: (t) => void out.push(t), writeStderr: (t) => void err.push(t), readStdin: async () => '' };
}

beforeAll(async () => {
  await cryptoWaitReady();
  dir = mkdtempSync(join(tmpdir(), 'tensornet-miner-cli-'));
  const doc = seededGenesis(7, 2, 3) as { subnets: Array<{ hyperparameters: Record<string, number> }> };
  doc.subnets[0]!.hyperparameters['ServingRateLimit'] = 0;
  const file = parseGenesisFile(doc);
  net = await startLocalnet({ port: 0, blockTimeMs: 50, genesis: genesisConfigOf(file), extendGenesis: (state, runtime) => applyGenesisSubnets(file, state, runtime) });
  client = await connect({ network: net.url, timeoutMs: 10_000, reconnectDelayMs: 0 });

  walletPath = join(dir, 'wallets');
  await new Wallet({ name: 'bob', hotkey: 'm0', path: walletPath }).regenerateHotkey({ uri: '//Bob//m0' });
  await new Wallet({ name: 'bob', hotkey: 'm1', path: walletPath }).regenerateHotkey({ uri: '//Bob//m1' });
  await new Wallet({ name: 'bob', hotkey: 'unregistered', path: walletPath }).regenerateHotkey({ uri: '//Bob//nobody' });
  // A wallet whose coldkey pays for --register: plaintext, so the command never needs a password.
  const charlie = new Wallet({ name: 'charlie', hotkey: 'fresh', path: walletPath });
  await charlie.regenerateColdkey({ uri: '//Charlie' }, { encrypt: false });
  await charlie.regenerateHotkey({ uri: '//Charlie//fresh' });
  // One whose coldkey is encrypted: --register must not prompt.
  const dave = new Wallet({ name: 'dave', hotkey: 'fresh', path: walletPath, kdf: FAST_KDF });
  await dave.regenerateColdkey({ uri: '//Dave' }, { password: 'a long cold password 42' });
  await dave.regenerateHotkey({ uri: '//Dave//fresh' });

  const model = mlpModel({ inputSize: 4, hidden: [8], outputSize: 3, seed: 5 });
  modelBytes = model.bytes;
  modelPath = join(dir, 'mlp.onnx');
  writeFileSync(modelPath, model.bytes);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await net?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The flags of a miner on the test chain, axon and metrics on free loopback ports. */
function minerArgs(wallet: string, hotkey: string, extra: readonly string[] = []): string[] {
  return [
    'miner', '--netuid', String(NETUID), '--subnet', 'tensor', '--model', modelPath,
    '--wallet', wallet, '--hotkey', hotkey, '--wallet-path', walletPath, '--network', net.url,
    '--host', '127.0.0.1', '--port', '0', '--external-ip', EXTERNAL_IP, '--metrics-port', '0',
    '--nonce-file', join(dir, `${wallet}-${hotkey}.nonces`), '--device', 'cpu', '--log-level', LOG_LEVEL,
    ...extra,
  ];
}

/** The command in-process, parsed by the same builder `tensornet` uses, with the test's hooks. */
function runMinerCommand(argv: readonly string[], io: CliIo, hooks: MinerCommandHooks): Promise<unknown> {
  return yargs()
    .command(minerCommand(io, hooks))
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((msg: string | null | undefined, err: Error | null | undefined) => {
      throw err ?? new Error(msg ?? 'usage');
    })
    .parseAsync([...argv]);
}

/** Starts the command; resolves once it serves, with the handle, its stop switch and its completion. */
async function startCommand(argv: readonly string[], modules: Omit<MinerCommandHooks, 'signal' | 'onStarted'> = {}) {
  const io = captureIo();
  const abort = new AbortController();
  let started!: (miner: RunningMiner) => void;
  const serving = new Promise<RunningMiner>((resolve) => (started = resolve));
  const done = runMinerCommand(argv, io, { ...modules, signal: abort.signal, onStarted: started });
  const miner = await Promise.race([serving, done.then(() => Promise.reject(new Error(`the miner ended before serving: ${io.err.join('')}`)))]);
  return { miner, io, done, stop: () => abort.abort() };
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const INPUT = [0.5, -1.25, 2, 0.125, 3, 0.75, -0.5, 1];

async function directRun(data: readonly number[], dims: readonly number[]): Promise<Float32Array> {
  const session = await InferenceSession.create(modelBytes, { executionProviders: ['cpu'] });
  try {
    const out = await session.run({ input: new Tensor('float32', Float32Array.from(data), [...dims]) });
    return out['probabilities']!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** A `bt.Tensor` of float32 or int64 values; `shape` may be given to make its shape field lie. */
function tensorOf(dtype: 'float32' | 'int64', dims: number[], data: number[], shape = dims): BtTensor {
  const values = dtype === 'float32' ? Float32Array.from(data) : BigInt64Array.from(data.map(BigInt));
  return { ...encodeTensor({ dtype, shape: dims, data: new Uint8Array(values.buffer) }), shape };
}

function floatsOf(tensor: unknown): number[] {
  return Array.from(new Float32Array(decodeTensor(tensor as BtTensor).data.slice().buffer));
}

function infer(miner: RunningMiner, inputs: Record<string, BtTensor>, who = '//Alice//v0'): Promise<Reply> {
  return send(signed(miner.port, { synapse: TensorInference, input: { inputs }, hotkey: keypairFromUri(who), axonHotkey: miner.hotkey }));
}

describe('tensornet miner', () => {
  test("default: --subnet digits --tier linear serves the tier's committed model without --model", async () => {
    const { miner, stop, done } = await startCommand([...replace(replace(minerArgs('bob', 'm1'), '--subnet', 'digits'), '--model', null), '--tier', 'linear']);
    try {
      expect(miner).toMatchObject({ subnet: 'digits', provider: 'cpu' });
      const task = taskFromSeed(digitsSubnet, '7a'.repeat(32));
      const reply = await send(signed(miner.port, { synapse: DigitClassification, input: task.request, hotkey: keypairFromUri('//Alice//v0'), axonHotkey: miner.hotkey }));
      expect(reply.status).toBe(200);
      const probabilities = reply.json['probabilities'] as number[];
      expect(probabilities).toHaveLength(10);
      expect(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);
      expect(reply.json['model_sha256']).toBe(createHash('sha256').update(readFileSync(digitsModelPath('linear'))).digest('hex'));
      const bad = await send(signed(miner.port, { synapse: DigitClassification, input: { image: tensorOf('float32', [2, 4], INPUT) }, hotkey: keypairFromUri('//Alice//v0'), axonHotkey: miner.hotkey }));
      expect(bad.status).toBe(400);
      expect(bad.json['message']).toMatch(/DigitClassification\.image: expected a float32 tensor of shape \[28, 28\]/);
    } finally {
      stop();
      await done;
    }
  });

  test('default: served on chain, real model output for a signed request, 400 for a bad input, Prometheus /metrics, clean stop', async () => {
    const { miner, io, done, stop } = await startCommand(minerArgs('bob', 'm0'));
    let stopped = false;
    try {
      expect(miner).toMatchObject({ subnet: 'tensor', netuid: NETUID, hotkey: keypairFromUri('//Bob//m0').address, externalIp: EXTERNAL_IP, provider: 'cpu' });
      expect(miner.externalPort).toBe(miner.port);
      expect(io.err.join('')).toMatch(/^tensornet miner: subnet tensor on netuid 1 as uid \d+ .*announced 203\.0\.113\.7:\d+; model on cpu; metrics http:\/\/127\.0\.0\.1:\d+\/metrics\n$/);

      // On chain: the metagraph lists the announced address, not the bound loopback one.
      const graph = await metagraph(client, { netuid: NETUID });
      const uid = graph.hotkeys.indexOf(miner.hotkey);
      expect(uid).toBe(miner.uid);
      expect(graph.axons[uid]).toMatchObject({ ip: EXTERNAL_IP, port: miner.port });

      // 200 with the model's real output: the same numbers onnxruntime computes directly.
      const input = tensorOf('float32', [2, 4], INPUT);
      const ok = await infer(miner, { input });
      expect(ok.status).toBe(200);
      const outputs = ok.json['outputs'] as Record<string, BtTensor>;
      expect(Object.keys(outputs)).toEqual(['probabilities']);
      expect(outputs['probabilities']!.dtype).toBe('float32');
      expect(outputs['probabilities']!.shape).toEqual([2, 3]);
      const expected = Array.from(await directRun(INPUT, [2, 4]));
      floatsOf(outputs['probabilities']).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(expected[i]!)));
      expect(ok.json['inputs']).toEqual({ input });

      // Concurrent requests share batches; each still gets its own rows.
      const many = await Promise.all([1, 2, 3].map((k) => infer(miner, { input: tensorOf('float32', [1, 4], INPUT.slice(0, 4).map((x) => x * k)) })));
      expect(many.map((r) => r.status)).toEqual([200, 200, 200]);
      for (const [k, reply] of many.entries()) {
        const alone = Array.from(await directRun(INPUT.slice(0, 4).map((x) => x * (k + 1)), [1, 4]));
        const got = floatsOf((reply.json['outputs'] as Record<string, BtTensor>)['probabilities']);
        got.forEach((v, i) => expect(Math.abs(v - alone[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(alone[i]!)));
      }

      // The engine's input check becomes a 400 naming what is wrong: dtype, shape, name, values.
      const wrongDtype = await infer(miner, { input: tensorOf('int64', [1, 4], [1, 2, 3, 4]) });
      expect(wrongDtype.status).toBe(400);
      expect(wrongDtype.json).toEqual({ code: 'InvalidBody', message: expect.stringMatching(/^TensorInference: input 'input' has dtype int64, the model takes float32/) });
      const wrongShape = await infer(miner, { input: tensorOf('float32', [1, 5], [1, 2, 3, 4, 5]) });
      expect(wrongShape.status).toBe(400);
      expect(wrongShape.json['message']).toMatch(/dim 1 must be 4/);
      const wrongName = await infer(miner, { image: tensorOf('float32', [1, 4], [1, 2, 3, 4]) });
      expect(wrongName.status).toBe(400);
      expect(wrongName.json['message']).toMatch(/unknown input 'image'/);
      const wrongCount = await infer(miner, { input: tensorOf('float32', [1, 3], [1, 2, 3], [2, 4]) });
      expect(wrongCount.status).toBe(400);
      expect(wrongCount.json['message']).toMatch(/^TensorInference: input 'input': bt\.Tensor: shape field \[2, 4\] does not match the buffer's \[1, 3\]/);
      // A schema violation is refused by the axon before the handler (also 400).
      const valid = signed(miner.port, { synapse: TensorInference, input: { inputs: { input: tensorOf('float32', [1], [1]) } }, hotkey: keypairFromUri('//Alice//v0'), axonHotkey: miner.hotkey });
      const schema = await send(valid, { body: valid.body.replace('"float32"', '"complex64"') });
      expect(schema.status).toBe(400);
      expect(schema.json['message']).toMatch(/^TensorInference\.inputs\.input\.dtype: /);

      // Prometheus: requests by route and status, latency, batch sizes, queue depth, provider, process metrics.
      const text = await scrape(miner.metricsUrl!);
      expect(sample(text, 'tensornet_axon_requests_total', '{route="TensorInference",status="200"}')).toBe(4);
      expect(sample(text, 'tensornet_axon_requests_total', '{route="TensorInference",status="400"}')).toBe(5);
      expect(sample(text, 'tensornet_axon_request_duration_seconds_count', '{route="TensorInference"}')).toBe(9);
      expect(text).toMatch(/^tensornet_axon_request_duration_seconds_bucket\{le="0\.001",route="TensorInference"\} \d+$/m);
      // Four requests reached the model: the rows of its runs add up to 2 + 1 + 1 + 1 (the load's warm-up run goes around the batcher).
      expect(sample(text, 'tensornet_engine_batch_size_sum')).toBe(5);
      expect(sample(text, 'tensornet_engine_batch_size_bucket', `{le="${DEFAULT_MAX_BATCH}"}`)).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'tensornet_engine_inference_duration_seconds_count')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'tensornet_engine_provider_info', '{provider="cpu"}')).toBe(1);
      expect(sample(text, 'tensornet_engine_queue_depth')).toBe(0);
      expect(sample(text, 'tensornet_axon_queue_depth')).toBe(0);
      expect(sample(text, 'tensornet_axon_in_flight')).toBe(0);
      expect(text).toMatch(/^# TYPE tensornet_engine_reloads_total counter$/m);
      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
      const other = await fetch(miner.metricsUrl!.replace('/metrics', '/'));
      expect(other.status).toBe(404);
      await other.text();

      // Stop: the command resolves, every server is closed, no signal listener is left behind.
      const listeners = process.listenerCount('SIGINT');
      stop();
      await done;
      stopped = true;
      expect(process.listenerCount('SIGINT')).toBe(listeners - 1);
      expect(process.listenerCount('SIGTERM')).toBe(listeners - 1);
      await expect(fetch(miner.metricsUrl!)).rejects.toThrow();
      await expect(infer(miner, { input: tensorOf('float32', [1, 4], [1, 2, 3, 4]) })).rejects.toThrow();
      expect(io.err.slice(-2).join('')).toBe('tensornet miner: stopping on abort: finishing in-flight requests (Ctrl+C again to force)\ntensornet miner: stopped\n');
    } finally {
      if (!stopped) {
        stop();
        await done.catch(() => undefined);
      }
    }
  }, 30_000);

  test('behavior: stopping refuses new requests and lets the one in flight finish before the servers close', async () => {
    // The built-in handler, held at a gate so a request is surely in flight when the stop begins.
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: MinerHandler = {
      ...tensorHandler,
      attach(axon, { engine }) {
        axon.attach(TensorInference, async (input, ctx) => {
          entered();
          await gate;
          return { outputs: outputsOf(await runModel(engine!, TensorInference.name, () => feedsOf(input.inputs), ctx.signal)) };
        });
      },
    };
    // A fixed --port, as in production (the default 8091), rather than 0.
    const args = replace(minerArgs('bob', 'm1'), '--port', String(await freePort()));
    const { miner, done, stop } = await startCommand(args, { registry: new HandlerRegistry([gated]) });
    const held = infer(miner, { input: tensorOf('float32', [1, 4], INPUT.slice(0, 4)) });
    await inFlight;
    stop();
    let finished = false;
    void done.then(() => (finished = true));
    // The axon stops accepting connections (a request on a connection already open would get 503).
    await until(async () => !(await accepts(miner.port)));
    const late = await infer(miner, { input: tensorOf('float32', [1, 4], INPUT.slice(0, 4)) }).then((r) => r.status, () => 'refused');
    expect(late).toBe('refused');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(finished).toBe(false);
    const metrics = await scrape(miner.metricsUrl!);
    expect(sample(metrics, 'tensornet_axon_in_flight')).toBe(1);
    open();
    const reply = await held;
    expect(reply.status).toBe(200);
    expect((reply.json['outputs'] as Record<string, BtTensor>)['probabilities']!.shape).toEqual([1, 3]);
    await done;
    await expect(fetch(miner.metricsUrl!)).rejects.toThrow();
  }, 30_000);

  test('args: --register burn-registers an unregistered hotkey with a plaintext coldkey, then serves', async () => {
    const hotkey = keypairFromUri('//Charlie//fresh').address;
    expect((await metagraph(client, { netuid: NETUID })).hotkeys).not.toContain(hotkey);
    const { miner, done, stop } = await startCommand(minerArgs('charlie', 'fresh', ['--register', '--no-metrics']));
    try {
      expect(miner.metricsUrl).toBeNull();
      const graph = await metagraph(client, { netuid: NETUID });
      expect(graph.hotkeys.indexOf(hotkey)).toBe(miner.uid);
      expect(graph.axons[miner.uid]).toMatchObject({ ip: EXTERNAL_IP, port: miner.port });
      expect((await infer(miner, { input: tensorOf('float32', [1, 4], INPUT.slice(0, 4)) })).status).toBe(200);
    } finally {
      stop();
      await done;
    }
  }, 30_000);
});

function replace(argv: string[], flag: string, value: string | null): string[] {
  const i = argv.indexOf(flag);
  return value === null ? [...argv.slice(0, i), ...argv.slice(i + 2)] : [...argv.slice(0, i + 1), value, ...argv.slice(i + 2)];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a TCP connection to 127.0.0.1:port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('tensornet miner: one-line user errors (exit 2, no stack)', () => {
  async function fails(argv: readonly string[]): Promise<string> {
    const io = captureIo();
    const code = await runCli(argv, io);
    const stderr = io.err.join('');
    const lines = stderr.split('\n').filter((l) => l !== '');
    expect({ code, lines: lines.length, stdout: io.out.join('') }).toEqual({ code: 2, lines: 1, stdout: '' });
    expect(stderr).toMatch(/^tensornet: .*\n$/);
    expect(stderr).not.toMatch(/internal error|\bat .*:\d+:\d+/);
    return lines[0]!;
  }

  test('error: an unknown subnet lists the known ones', async () => {
    expect(await fails(replace(minerArgs('bob', 'm0'), '--subnet', 'images'))).toBe('tensornet: unknown subnet "images" (known: digits, ocr, tensor)');
  });

  test('error: a tier the subnet does not have, and a tier on a subnet without tiers', async () => {
    expect(await fails([...replace(minerArgs('bob', 'm0'), '--subnet', 'digits'), '--tier', 'huge'])).toBe('tensornet: subnet "digits" has no tier "huge" (tiers: mlp-large, mlp, linear)');
    expect(await fails([...minerArgs('bob', 'm0'), '--tier', 'full'])).toBe('tensornet: subnet "tensor" has no tiers: leave --tier out');
  });

  test('error: the tensor subnet without --model', async () => {
    expect(await fails(replace(minerArgs('bob', 'm0'), '--model', null))).toBe('tensornet: subnet "tensor" runs a model: pass --model PATH (an .onnx file)');
  });

  test('error: a model file that does not exist, or is not a model', async () => {
    expect(await fails(replace(minerArgs('bob', 'm0'), '--model', join(dir, 'missing.onnx')))).toMatch(/^tensornet: --model .*missing\.onnx: /);
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    expect(await fails(replace(minerArgs('bob', 'm0'), '--model', junk))).toMatch(/^tensornet: --model .*junk\.onnx: /);
  });

  test('error: --external-ip missing or refused by the chain', async () => {
    expect(await fails(replace(minerArgs('bob', 'm0'), '--external-ip', null))).toMatch(/^tensornet: --external-ip is required: the chain refuses to announce --host 127\.0\.0\.1/);
    expect(await fails(replace(minerArgs('bob', 'm0'), '--external-ip', '0.0.0.0'))).toMatch(/^tensornet: --external-ip 0\.0\.0\.0 is refused by the chain/);
    expect(await fails(replace(minerArgs('bob', 'm0'), '--external-ip', 'miner.example.com'))).toMatch(/is not an IPv4 or IPv6 address/);
  });

  test('error: a wallet or hotkey that does not exist', async () => {
    expect(await fails(replace(minerArgs('bob', 'm0'), '--hotkey', 'nope'))).toMatch(/^tensornet: wallet "bob" has no hotkey "nope": .*hotkeys\/nope does not exist/);
    expect(await fails(replace(minerArgs('bob', 'm0'), '--wallet', 'nobody'))).toMatch(/^tensornet: wallet "nobody" has no hotkey "m0"/);
  });

  test('error: on chain: a hotkey not registered without --register, an encrypted coldkey with --register, a subnet that does not exist, a --network that is not a ws(s) URL', async () => {
    // Each connects to the chain (and waits for its client to close): run them side by side.
    const coldkey = new Wallet({ name: 'dave', path: walletPath }).coldkeyFile.path;
    const [unregistered, encrypted, noSubnet, noChain] = await Promise.all([
      fails(minerArgs('bob', 'unregistered')),
      fails(minerArgs('dave', 'fresh', ['--register'])),
      fails(replace(minerArgs('bob', 'm0'), '--netuid', '42')),
      fails(replace(minerArgs('bob', 'm0'), '--network', 'http://127.0.0.1:1')),
    ]);
    expect(unregistered).toMatch(/^tensornet: hotkey \w+ is not registered on subnet 1; register it first or pass --register$/);
    // --register never prompts: the line names the variable that unlocks the coldkey headlessly.
    expect(encrypted).toBe(`tensornet: the coldkey of wallet "dave" is encrypted and tensornet never prompts: set ${passwordEnvVarName(coldkey)} (the reference SDK's headless unlock) or use an unencrypted coldkey`);
    expect(noSubnet).toBe('tensornet: subnet 42 does not exist on this chain');
    // The settings schema checks --network before anything connects (cli/config).
    expect(noChain).toMatch(/^tensornet: --network: .*must use ws:\/\/ or wss:\/\/$/);
  }, 20_000);

  test('error: an explicit --device whose provider cannot run here', async () => {
    if ((await probeProvider('cuda')).available) return; // a CUDA machine runs it
    expect(await fails(replace(minerArgs('bob', 'm0'), '--device', 'cuda'))).toMatch(/^tensornet: --device cuda: device 'cuda' is unavailable: cuda: /);
  });

  test('error: flags out of range', async () => {
    expect(await fails([...minerArgs('bob', 'm0'), '--max-batch', '0'])).toBe('tensornet: --max-batch must be an integer in [1, 9007199254740991] (got 0)');
    expect(await fails(replace(minerArgs('bob', 'm0'), '--port', '70000'))).toBe('tensornet: --port must be an integer in [0, 65535] (got 70000)');
  });
});

describe('tensornet miner: contracts', () => {
  test('default: the flag table restates the libraries\' defaults', () => {
    expect(options.DEVICE_CHOICES).toEqual(DEVICES);
    expect(options.DEFAULT_AXON_PORT).toBe(DEFAULT_AXON_PORT);
    expect(options.DEFAULT_MAX_BATCH).toBe(DEFAULT_MAX_BATCH);
    expect(options.DEFAULT_MAX_DELAY_MS).toBe(DEFAULT_MAX_DELAY_MS);
    expect(options.minerOptions.port.default).toBe(8091);
    expect(options.minerOptions['metrics-port'].default).toBe(9091);
    expect(options.minerOptions['metrics-host'].default).toBe('127.0.0.1');
    expect(options.minerOptions.host.default).toBe('0.0.0.0');
  });

  test('behavior: the addresses the chain accepts in serve_axon', () => {
    for (const ip of ['0.0.0.0', '127.0.0.1', '255.255.255.255', '::', '::1', 'localhost', '1.2.3']) expect([ip, chainAcceptsIp(ip)]).toEqual([ip, false]);
    for (const ip of ['203.0.113.7', '10.0.0.2', '127.0.0.2', '2001:db8::1']) expect([ip, chainAcceptsIp(ip)]).toEqual([ip, true]);
  });

  test('behavior: the handler registry', () => {
    const registry = createHandlerRegistry();
    expect(registry.subnets).toEqual(['tensor']);
    expect(registry.get('tensor')).toBe(tensorHandler);
    expect(() => registry.get('ocr')).toThrow(expect.objectContaining({ code: 'UnknownSubnet', details: { subnet: 'ocr', known: ['tensor'] } }));
    expect(() => registry.register(tensorHandler)).toThrow(HandlerError);
    expect(() => registry.register({ ...tensorHandler, subnet: 'Bad Name' })).toThrow(expect.objectContaining({ code: 'InvalidHandler' }));
  });

  test('behavior: batch-size buckets are powers of two up to --max-batch, which is its own bucket', () => {
    expect(batchSizeBuckets(32)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(batchSizeBuckets(12)).toEqual([1, 2, 4, 8, 12]);
    expect(batchSizeBuckets(1)).toEqual([1]);
  });
});
