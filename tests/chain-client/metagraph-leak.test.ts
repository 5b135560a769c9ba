/**
 * Repeated metagraph syncs keep heap and open handles bounded (measured after forced GC, not timed):
 * thousands of syncs over a live localnet producing blocks, with and without changes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connect, metagraph, type ChainClient } from '../../chain-client';
import type { Localnet } from '../../localnet';
import { activeResources, waitFor } from './helpers/tcp-proxy';
import { NETUID, seededGenesis, startSeededLocalnet } from './helpers/subnet';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let net: Localnet;
let client: ChainClient;

beforeAll(async () => {
  net = await startSeededLocalnet(seededGenesis(7, 8, 24));
  client = await connect({ network: net.url, timeoutMs: 10_000 });
}, 30_000);
afterAll(async () => {
  await client?.close();
  await net?.close();
}, 30_000);

/** Lets transient timers (rpc-core's 1.75 s delayed unsubscriptions, ws pings) run out before counting. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 2000));
}

function settledHeap(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

test('behavior: 10,000 syncs (a new block every 25th) keep heap, handles and node-side subscriptions bounded', async () => {
  const nodeSubscriptions = (): number => net.chain.listenerCount('newBlock');
  const mg = await metagraph(client, { netuid: NETUID, weights: true, bonds: true });
  // The API's own subscriptions (runtime version) are made by now; the metagraph has none yet.
  const baseline = nodeSubscriptions();
  const run = async (count: number): Promise<number> => {
    let changed = 0;
    for (let i = 0; i < count; i++) {
      if (i % 25 === 0) await net.chain.newBlock();
      if ((await mg.sync()).changed) changed++;
    }
    return changed;
  };
  expect(await run(2000)).toBe(80);
  await settle();
  const heapBefore = settledHeap();
  const handlesBefore = activeResources();
  expect(await run(8000)).toBe(320);
  await settle();
  const heapAfter = settledHeap();
  const handlesAfter = activeResources();
  expect(mg.n).toBe(32);
  // One storage subscription for the metagraph's whole life, however many syncs and blocks.
  expect(mg.watching).toBe(true);
  expect(nodeSubscriptions()).toBe(baseline + 1);
  // The localnet itself keeps the last 257 blocks in this process; 8000 syncs must not add more than a few MB on top.
  expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
  // Sockets and servers exactly as before; timers (which come and go) settle back to the count before.
  // A pending setImmediate is as transient as a timer: a snapshot may catch one on either side.
  const { Timeout: timersBefore = 0, Immediate: _immediateBefore, ...othersBefore } = handlesBefore;
  const { Timeout: _timersAfter, Immediate: _immediateAfter, ...othersAfter } = handlesAfter;
  void _timersAfter;
  void _immediateBefore;
  void _immediateAfter;
  expect(othersAfter).toEqual(othersBefore);
  await waitFor(() => (activeResources()['Timeout'] ?? 0) <= timersBefore, 3000);
  await mg.close();
  await waitFor(() => nodeSubscriptions() === baseline, 3000);
}, 60_000);
