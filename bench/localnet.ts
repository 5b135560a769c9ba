/**
 * `npm run bench -- localnet`: the node's throughput, measured in one run against a no-op JSON-RPC
 * echo server on the same `ws` stack (so the ratios factor out the transport):
 * 1. signed extrinsics accepted (signature, era, nonce and fee checks) and included per second;
 * 2. the time to build a block in which 32 subnets × 256 uids run their Yuma epoch: the median over
 *    consecutive such blocks, against the same chain's blocks when no epoch is due (measured in the
 *    same run), and against the `--dev` block time (250 ms);
 * 3. `state_queryStorageAt` for a 4096-uid metagraph (Keys of every uid + the per-uid vectors).
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';
import {
  appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork, startLocalnet, subtensorItems as st,
  type AccountId, type Localnet, type Runtime, type StateOverlay,
} from '../localnet';
import type { Benchmark } from './run';

const DEV_BLOCK_MS = 250;

/** A deterministic account id that needs no key pair (hotkeys here never sign). */
function benchAccount(label: string): AccountId {
  return blake2AsHex(`tensornet-bench-${label}`, 256) as AccountId;
}

/** A minimal pipelined JSON-RPC client over one WebSocket. */
class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id: number; result?: unknown; error?: { message: string } };
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new Error(msg.error.message));
      else p.resolve(msg.result);
    });
  }

  static connect(url: string): Promise<RpcClient> {
    const ws = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RpcClient(ws)));
      ws.once('error', reject);
    });
  }

  call<T>(method: string, params: unknown[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** The baseline: a JSON-RPC server that answers every request with `null`. */
async function echoServer(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => ws.on('message', (data) => {
    const { id } = JSON.parse(data.toString()) as { id: number };
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, result: null }));
  }));
  const { port } = wss.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => {
      for (const client of wss.clients) client.terminate();
      return new Promise((r) => wss.close(() => r()));
    },
  };
}

async function timeRequests(client: RpcClient, count: number, make: (i: number) => [string, unknown[]]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => client.call(...make(i))));
  return performance.now() - t0;
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

// ---- 1. extrinsic throughput ----------------------------------------------------------------------

/** 32 × 64 = 2048 transfers; 64 stays within the pool's future-nonce window. */
const SENDERS = 32;
const PER_SENDER = 64;

async function extrinsicThroughput(echoUrl: string): Promise<string[]> {
  const keyring = new Keyring({ type: 'sr25519' });
  const senders: KeyringPair[] = Array.from({ length: SENDERS }, (_, i) => keyring.addFromUri(`//Bench//${i}`));
  const dest = u8aToHex(keyring.addFromUri('//Bob').publicKey);
  const net = await startLocalnet({
    port: 0,
    blockTimeMs: 0,
    genesis: { balances: senders.map((s) => [u8aToHex(s.publicKey) as AccountId, 10n ** 15n] as const) },
  });
  try {
    const { registry } = net.chain.runtime.meta;
    const genesisHash = net.chain.genesisHash;
    const callIndex = net.chain.runtime.meta.callIndex('Balances', 'transfer_keep_alive');
    const signed: string[] = [];
    for (let n = 0; n < PER_SENDER; n++) {
      for (const s of senders) {
        const ext = registry.createType('Extrinsic', registry.createType('Call', { callIndex, args: { dest: { Id: dest }, value: 1_000_000n } }));
        ext.sign(s, { blockHash: genesisHash, genesisHash, nonce: n, runtimeVersion: { specVersion: 219, transactionVersion: 1 } as never, era: 0 as never });
        signed.push(ext.toHex());
      }
    }
    const total = signed.length;
    const client = await RpcClient.connect(net.url);
    const echo = await RpcClient.connect(echoUrl);
    const echoMs = await timeRequests(echo, total, (i) => ['author_submitExtrinsic', [signed[i]]]);
    const acceptMs = await timeRequests(client, total, (i) => ['author_submitExtrinsic', [signed[i]]]);
    const t0 = performance.now();
    let included = 0;
    let blocks = 0;
    while (net.chain.pendingExtrinsics().length > 0 && blocks < 1000) {
      const block = await net.chain.newBlock();
      included += block.extrinsics.length - 1;
      blocks++;
    }
    const includeMs = performance.now() - t0;
    client.close();
    echo.close();
    const acceptRate = (total / acceptMs) * 1000;
    const endToEnd = (included / (acceptMs + includeMs)) * 1000;
    return [
      `| signed transfers accepted (${total} from ${SENDERS} senders, pipelined over one socket) | ${fmt(acceptRate, 0)} tx/s | ${fmt((total / echoMs) * 1000, 0)} req/s | ${fmt(acceptMs / echoMs, 2)}× |`,
      `| …then included (${included} in ${blocks} blocks, executed and committed) | ${fmt((included / includeMs) * 1000, 0)} tx/s | | |`,
      `| accepted + included, end to end | **${fmt(endToEnd, 0)} tx/s** (target ≥ 500) | | |`,
    ];
  } finally {
    await net.close();
  }
}

// ---- 2. blocks with 32 × 256-uid epochs ---------------------------------------------------------

const EPOCHS_PER_BLOCK = 32;
/** Twice as many subnets, all with tempo 1: netuid k runs when b + k is even, so every block runs 32 epochs. */
const SUBNETS = 2 * EPOCHS_PER_BLOCK;
const UIDS = 256;
const VALIDATORS = 64;
/** Measured blocks per chain, after `WARMUP_BLOCKS` unmeasured ones. */
const BLOCK_SAMPLES = 9;
const WARMUP_BLOCKS = 2;

/**
 * Genesis with 64 subnets of 256 registered uids (64 staked validators weighting every miner, with
 * bonds, emission accruing every block) and tempo `tempo` each: with 1, half of them run their Yuma
 * epoch in every block; with 0, none ever does (the same state, the baseline).
 */
function epochGenesis(tempo: number) {
  return (state: StateOverlay, runtime: Runtime): void => {
    const s = st();
    const keyring = new Keyring({ type: 'sr25519' });
    const ctx = runtime.context(state, { number: 0, parentHash: `0x${'00'.repeat(32)}` });
    const owner = u8aToHex(keyring.addFromUri('//Alice').publicKey) as AccountId;
    const hotkeys = Array.from({ length: UIDS }, (_, u) => benchAccount(`hot${u}`));
    for (let k = 1; k <= SUBNETS; k++) {
      initNewNetwork(state, k, tempo);
      s.SubnetOwner.set(state, k, owner);
      s.MaxAllowedValidators.set(state, k, VALIDATORS);
      s.PendingEmission.set(state, k, 1_000_000_000_000n);
      s.EmissionValues.set(state, k, 1_000_000_000n / BigInt(SUBNETS));
      for (let u = 0; u < UIDS; u++) {
        if (k === 1) createAccountIfNonExistent(ctx, owner, hotkeys[u]!);
        appendNeuron(ctx, k, hotkeys[u]!);
      }
      const permits = Array.from({ length: UIDS }, (_, u) => u < VALIDATORS);
      s.ValidatorPermit.set(state, k, permits);
      for (let v = 0; v < VALIDATORS; v++) {
        const row: [number, number][] = [];
        for (let j = VALIDATORS; j < UIDS; j++) row.push([j, 1 + ((v * 7919 + j * 104729 + k) % 65535)]);
        s.Weights.set(state, k, v, row);
        s.Bonds.set(state, k, v, row.map(([j, w]) => [j, (w * 31) % 65536] as [number, number]));
      }
    }
    for (let v = 0; v < VALIDATORS; v++) {
      increaseStake(ctx, owner, hotkeys[v]!, BigInt(1000 + v) * 1_000_000_000n);
      s.TotalIssuance.set(state, s.TotalIssuance.get(state) + BigInt(1000 + v) * 1_000_000_000n);
    }
  };
}

/** Block times (ms) of a chain with `epochGenesis(tempo)`, and how many subnet epochs each measured block ran. */
async function blockTimes(tempo: number): Promise<{ first: number; samples: number[]; epochs: number[] }> {
  const net = await startLocalnet({ port: 0, blockTimeMs: 0, extendGenesis: epochGenesis(tempo) });
  try {
    const times: number[] = [];
    const epochs: number[] = [];
    for (let i = 0; i < WARMUP_BLOCKS + BLOCK_SAMPLES; i++) {
      const t = performance.now();
      const block = await net.chain.newBlock();
      times.push(performance.now() - t);
      const state = net.chain.stateAt();
      epochs.push(Array.from({ length: SUBNETS }, (_, k) => st().LastMechansimStepBlock.get(state, k + 1)).filter((b) => b === BigInt(block.number)).length);
    }
    return { first: times[0]!, samples: times.slice(WARMUP_BLOCKS), epochs: epochs.slice(WARMUP_BLOCKS) };
  } finally {
    await net.close();
  }
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function epochBlocks(): Promise<string[]> {
  const epoch = await blockTimes(1);
  const idle = await blockTimes(0);
  if (epoch.epochs.some((n) => n !== EPOCHS_PER_BLOCK) || idle.epochs.some((n) => n !== 0)) {
    throw new Error(`expected ${EPOCHS_PER_BLOCK} epochs in every measured block and none in the baseline, got ${epoch.epochs.join(',')} / ${idle.epochs.join(',')}`);
  }
  const [epochMs, idleMs] = [median(epoch.samples), median(idle.samples)];
  const range = (xs: readonly number[]) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
  return [
    `| block with ${EPOCHS_PER_BLOCK} subnet epochs of ${UIDS} uids (${VALIDATORS} validators each): median of ${BLOCK_SAMPLES} consecutive blocks (${range(epoch.samples)} ms; the chain's first block ${fmt(epoch.first)} ms) | **${fmt(epochMs)} ms** (target < ${DEV_BLOCK_MS} ms) | same state, no epoch due: ${fmt(idleMs)} ms (median, ${range(idle.samples)}) | ${fmt(epochMs / idleMs, 1)}× the baseline; ${fmt(epochMs / DEV_BLOCK_MS, 2)}× the --dev block time |`,
  ];
}

// ---- 3. metagraph read ---------------------------------------------------------------------------

const METAGRAPH_UIDS = 4096;
const METAGRAPH_VECTORS = ['Rank', 'Trust', 'Consensus', 'Incentive', 'Dividends', 'Emission', 'ValidatorTrust', 'ValidatorPermit', 'LastUpdate', 'Active', 'PruningScores', 'StakeWeight'] as const;

async function metagraphQuery(echoUrl: string): Promise<string[]> {
  const net: Localnet = await startLocalnet({
    port: 0,
    blockTimeMs: 0,
    extendGenesis: (state, runtime) => {
      const s = st();
      const ctx = runtime.context(state, { number: 0, parentHash: `0x${'00'.repeat(32)}` });
      initNewNetwork(state, 1, 360);
      s.MaxAllowedUids.set(state, 1, METAGRAPH_UIDS);
      for (let u = 0; u < METAGRAPH_UIDS; u++) appendNeuron(ctx, 1, benchAccount(`meta${u}`));
    },
  });
  try {
    const s = st() as unknown as Record<string, { key(...k: number[]): string }>;
    const keys = [...Array.from({ length: METAGRAPH_UIDS }, (_, u) => st().Keys.key(1, u)), ...METAGRAPH_VECTORS.map((name) => s[name]!.key(1))];
    const client = await RpcClient.connect(net.url);
    const echo = await RpcClient.connect(echoUrl);
    const rounds = 10;
    await client.call('state_queryStorageAt', [keys]);
    const echoMs = (await timeRequests(echo, rounds, () => ['state_queryStorageAt', [keys]])) / rounds;
    let t = performance.now();
    for (let i = 0; i < rounds; i++) await client.call('state_queryStorageAt', [keys]);
    const queryMs = (performance.now() - t) / rounds;
    t = performance.now();
    for (let i = 0; i < rounds; i++) await echo.call('state_queryStorageAt', [keys]);
    const echoSerialMs = (performance.now() - t) / rounds;
    client.close();
    echo.close();
    return [`| state_queryStorageAt, ${keys.length} keys (4096-uid metagraph) | **${fmt(queryMs)} ms** | echo ${fmt(echoSerialMs)} ms (pipelined ${fmt(echoMs)} ms) | ${fmt(queryMs / echoSerialMs, 2)}× |`];
  } finally {
    await net.close();
  }
}

async function runLocalnetBenchmark(): Promise<void> {
  await cryptoWaitReady();
  const step = (label: string) => process.stderr.write(`  localnet: ${label} …\n`);
  const echo = await echoServer();
  const rows: string[] = [];
  try {
    step('signed extrinsic throughput');
    rows.push(...(await extrinsicThroughput(echo.url)));
    step('blocks with 32 subnet epochs each, and the same chain with none due');
    rows.push(...(await epochBlocks()));
    step('4096-uid metagraph query');
    rows.push(...(await metagraphQuery(echo.url)));
  } finally {
    await echo.close();
  }
  process.stdout.write(`# localnet (node ${process.version}, ${process.arch})\n\n| measurement | localnet | no-op echo (same ws stack) | ratio |\n|---|---:|---:|---:|\n${rows.join('\n')}\n\n`);
}

export const localnetBenchmark: Benchmark = {
  name: 'localnet',
  description: 'localnet: extrinsic throughput, blocks with 32×256-uid epochs (median, vs no epoch due), a 4096-uid metagraph query',
  run: runLocalnetBenchmark,
};
