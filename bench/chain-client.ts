/**
 * `npm run bench -- chain-client`: the chain client's metagraph sync of a 4096-uid subnet on localnet,
 * as a ratio to one raw `state_getStorage` round trip measured in the same run, through the same
 * client and socket:
 * 1. a full read (`metagraph()`: header, vectors, Keys, then Owner / TotalHotkeyStake / Axons per hotkey);
 * 2. `sync()` on an unchanged head (one request);
 * 3. an incremental `sync()` after a block in which //Alice added stake to 3 of the hotkeys, with the
 *    storage subscription (the default: the node pushes changed values) and without it (`watch: false`:
 *    every known key re-read). The subscription's notifications are handled when they arrive, before the
 *    timed sync, so their (small: only changed values) cost is not in that row.
 * The subnet is seeded through the genesis (deterministic blake2 account ids; hotkeys never sign).
 */
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { performance } from 'node:perf_hooks';
import { Metagraph, STORAGE_CHUNK, connect, type ChainClient, type SyncStats } from '../chain-client';
import { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork, startLocalnet, subtensorItems as st, type AccountId, type Localnet } from '../localnet';
import type { Benchmark } from './run';

const NETUID = 1;
const UIDS = 4096;
/** Hotkeys //Alice owns (so she may stake to them in the incremental rounds). */
const ALICE_OWNED = 8;
const CHANGED_PER_BLOCK = 3;
const RTT_ROUNDS = 500;
const FULL_ROUNDS = 10;
const SYNC_ROUNDS = 10;

/** A deterministic account id that needs no key pair. */
function benchAccount(label: string): AccountId {
  return blake2AsHex(`tensornet-bench-chain-client-${label}`, 256) as AccountId;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

async function startSeeded(alice: AccountId): Promise<Localnet> {
  return startLocalnet({
    port: 0,
    blockTimeMs: 0,
    extendGenesis: (state, runtime) => {
      const s = st();
      const ctx = runtime.context(state, { number: 0, parentHash: `0x${'00'.repeat(32)}` });
      initNewNetwork(state, NETUID, 360);
      s.MaxAllowedUids.set(state, NETUID, UIDS);
      s.TargetStakesPerInterval.set(state, 1_000_000n);
      let issued = 0n;
      for (let u = 0; u < UIDS; u++) {
        const hotkey = benchAccount(`hot${u}`);
        const coldkey = u < ALICE_OWNED ? alice : benchAccount(`cold${u % 64}`);
        createAccountIfNonExistent(ctx, coldkey, hotkey);
        appendNeuron(ctx, NETUID, hotkey);
        const stake = BigInt(1 + ((u * 7919) % 1000)) * 1_000_000_000n;
        increaseStake(ctx, coldkey, hotkey, stake);
        issued += stake;
      }
      s.TotalIssuance.set(state, s.TotalIssuance.get(state) + issued);
    },
  });
}

/** Median ms of one raw `state_getStorage` through the client's socket. */
async function storageRoundTrip(client: ChainClient): Promise<number> {
  const key = st().Tempo.key(NETUID);
  for (let i = 0; i < 50; i++) await client.rpc<string | null>('state_getStorage', [key]);
  const times: number[] = [];
  for (let i = 0; i < RTT_ROUNDS; i++) {
    const t = performance.now();
    await client.rpc<string | null>('state_getStorage', [key]);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** The keys a full read fetches after the header: the subnet vectors + SubnetworkN, Keys, Owner / TotalHotkeyStake / Axons per hotkey. */
function metagraphKeys(): string[] {
  const s = st();
  const vectors = ['Rank', 'Trust', 'Consensus', 'Incentive', 'Dividends', 'Emission', 'ValidatorTrust', 'ValidatorPermit', 'LastUpdate', 'Active', 'PruningScores'] as const;
  const keys: string[] = [...vectors.map((name) => (s[name] as { key(netuid: number): string }).key(NETUID)), s.SubnetworkN.key(NETUID), s.LastMechansimStepBlock.key(NETUID)];
  for (let u = 0; u < UIDS; u++) keys.push(s.Keys.key(NETUID, u));
  for (let u = 0; u < UIDS; u++) {
    const hotkey = benchAccount(`hot${u}`);
    keys.push(s.Owner.key(hotkey), s.TotalHotkeyStake.key(hotkey), s.Axons.key(NETUID, hotkey));
  }
  return keys;
}

/** Median ms of the same keys as raw `state_queryStorageAt` requests (chunks of STORAGE_CHUNK, concurrent), nothing decoded. */
async function rawQueryStorageAt(client: ChainClient, keys: readonly string[]): Promise<number> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += STORAGE_CHUNK) chunks.push(keys.slice(i, i + STORAGE_CHUNK));
  const times: number[] = [];
  for (let round = 0; round < FULL_ROUNDS + 1; round++) {
    const t = performance.now();
    await Promise.all(chunks.map((chunk) => client.rpc<unknown>('state_queryStorageAt', [chunk])));
    if (round > 0) times.push(performance.now() - t);
  }
  return median(times);
}

async function timedSync(mg: Metagraph): Promise<{ ms: number; stats: SyncStats }> {
  const t = performance.now();
  const stats = await mg.sync();
  return { ms: performance.now() - t, stats };
}

/** Submits //Alice's add_stake to `count` of her hotkeys (explicit nonces), then seals one block. */
async function blockWithStakeChanges(net: Localnet, client: ChainClient, round: number): Promise<void> {
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const nonce = (await client.api.rpc.system.accountNextIndex(alice.address)).toNumber();
  for (let i = 0; i < CHANGED_PER_BLOCK; i++) {
    const hotkey = benchAccount(`hot${(round * CHANGED_PER_BLOCK + i) % ALICE_OWNED}`);
    await client.api.tx.subtensorModule.addStake(hotkey, 1_000_000_000n + BigInt(round)).signAndSend(alice, { nonce: nonce + i });
  }
  await net.chain.newBlock();
}

async function runChainClientBenchmark(): Promise<void> {
  await cryptoWaitReady();
  const step = (label: string) => process.stderr.write(`  chain-client: ${label} …\n`);
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  step(`seeding a ${UIDS}-uid subnet through the genesis`);
  const net = await startSeeded(u8aToHex(alice.publicKey) as AccountId);
  const client = await connect({ network: net.url, timeoutMs: 60_000, reconnectDelayMs: 0 });
  try {
    await net.chain.newBlock();
    step('raw state_getStorage round trip');
    const rttMs = await storageRoundTrip(client);

    step('raw state_queryStorageAt of the metagraph keys');
    const keys = metagraphKeys();
    const rawMs = await rawQueryStorageAt(client, keys);

    step('full metagraph reads');
    const full: number[] = [];
    let fullStats: SyncStats | undefined;
    let mg: Metagraph | undefined;
    for (let i = 0; i < FULL_ROUNDS + 1; i++) {
      const fresh = new Metagraph(client, { netuid: NETUID });
      const r = await timedSync(fresh);
      if (i > 0) full.push(r.ms); // the first read warms the codecs
      fullStats = r.stats;
      mg = fresh;
    }
    if (!mg || !fullStats || mg.n !== UIDS) throw new Error(`expected a ${UIDS}-uid metagraph, read ${mg?.n}`);

    step('opening the storage subscription (first sync)');
    const openStart = performance.now();
    const openStats = await mg.sync();
    while (!mg.watching) {
      if (performance.now() - openStart > 60_000) throw new Error('the storage subscription never delivered its first notification');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const openMs = performance.now() - openStart;

    step('sync on an unchanged head');
    const same: number[] = [];
    let sameStats: SyncStats | undefined;
    for (let i = 0; i < SYNC_ROUNDS; i++) {
      const r = await timedSync(mg);
      same.push(r.ms);
      sameStats = r.stats;
    }

    step(`incremental sync after a block changing ${CHANGED_PER_BLOCK} stakes, with and without the watch`);
    const plain = new Metagraph(client, { netuid: NETUID, watch: false });
    await plain.sync();
    const incremental: number[] = [];
    const unwatched: number[] = [];
    let incStats: SyncStats | undefined;
    let plainStats: SyncStats | undefined;
    for (let round = 0; round < SYNC_ROUNDS; round++) {
      const hot = (round * CHANGED_PER_BLOCK) % ALICE_OWNED;
      const before = mg.stake[hot]!.rao;
      await blockWithStakeChanges(net, client, round);
      const r = await timedSync(mg);
      const p = await timedSync(plain);
      for (const graph of [mg, plain]) if (graph.stake[hot]!.rao <= before) throw new Error('the incremental sync did not see the stake change');
      if (!r.stats.changed || r.stats.keysRead !== 0) throw new Error(`the watched sync read ${r.stats.keysRead} keys`);
      incremental.push(r.ms);
      unwatched.push(p.ms);
      incStats = r.stats;
      plainStats = p.stats;
    }
    await mg.close();

    const row = (label: string, ms: number, stats: SyncStats): string =>
      `| ${label} | **${fmt(ms)} ms** | ${fmt(ms / rttMs, 1)}× | ${stats.requests} | ${stats.keysRead} |`;
    process.stdout.write(
      `# chain-client (node ${process.version}, ${process.arch})\n\n` +
        `Metagraph of a ${UIDS}-uid subnet on localnet; medians; ratio to one raw \`state_getStorage\` round trip ` +
        `(**${fmt(rttMs, 3)} ms**, median of ${RTT_ROUNDS}, same client and socket).\n\n` +
        `| measurement | time | ratio to state_getStorage | requests | keys read |\n|---|---:|---:|---:|---:|\n` +
        `| state_getStorage round trip | ${fmt(rttMs, 3)} ms | 1.0× | 1 | 1 |\n` +
        `| raw state_queryStorageAt of the same ${keys.length} keys (${Math.ceil(keys.length / STORAGE_CHUNK)} concurrent chunks, not decoded) | ${fmt(rawMs)} ms | ${fmt(rawMs / rttMs, 1)}× | ${Math.ceil(keys.length / STORAGE_CHUNK)} | ${keys.length} |\n` +
        `${row(`full read (metagraph(), median of ${FULL_ROUNDS})`, median(full), fullStats)}\n` +
        `${row(`first sync(): opens the storage subscription, until its ${keys.length}-value first notification is applied`, openMs, openStats)}\n` +
        `${row(`sync() on an unchanged head (median of ${SYNC_ROUNDS})`, median(same), sameStats!)}\n` +
        `${row(`incremental sync() after a block changing ${CHANGED_PER_BLOCK} stakes, storage subscription (default; ${incStats!.keysPushed} values pushed; median of ${SYNC_ROUNDS})`, median(incremental), incStats!)}\n` +
        `${row(`incremental sync() after a block changing ${CHANGED_PER_BLOCK} stakes, watch: false (median of ${SYNC_ROUNDS})`, median(unwatched), plainStats!)}\n\n`,
    );
  } finally {
    await client.close();
    await net.close();
  }
}

/** The chain-client benchmark (`npm run bench -- chain-client`). */
export const chainClientBenchmark: Benchmark = {
  name: 'chain-client',
  description: 'chain-client: 4096-uid metagraph full read and incremental sync, against a raw state_getStorage round trip',
  run: runChainClientBenchmark,
};
