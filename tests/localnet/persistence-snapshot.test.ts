/** Restart from a data dir with periodic snapshots: same best block, same state, bounded replay. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeStateRootFromScratch } from '../../localnet/state/root';
import { runtimeItems } from '../../localnet/runtime/items';
import { TestChain } from './helpers/test-chain';

const dir = mkdtempSync(join(tmpdir(), 'tensornet-snap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('behavior: a restart resumes from the newest usable snapshot and replays only the blocks after it', async () => {
  const first = await TestChain.start({ dataDir: dir, snapshotInterval: 40 });
  const bob = first.account('//Bob');
  for (let b = 0; b < 330; b++) {
    if (b % 25 === 0) await first.send('//Alice', 'Balances', 'transfer_keep_alive', { dest: { Id: bob }, value: 1_000_000n });
    else await first.advance();
  }
  const best = first.chain.bestBlock();
  const bobFree = first.query(runtimeItems().System.Account, bob).data.free;
  await first.close();

  const second = await TestChain.start({ dataDir: dir, snapshotInterval: 40 });
  try {
    expect(second.chain.bestBlock().hash).toBe(best.hash);
    expect(second.query(runtimeItems().System.Account, bob).data.free).toBe(bobFree);
    // Replay starts at least 257 blocks back (the query window) but not from genesis.
    expect(second.chain.resumed.snapshotBlock).not.toBeNull();
    expect(second.chain.resumed.replayedBlocks).toBeGreaterThanOrEqual(257);
    expect(second.chain.resumed.replayedBlocks).toBeLessThan(best.number);
    // The state root in the header equals a from-scratch hash of the restored state.
    const header = second.chain.runtime.meta.registry.createType('Header', best.header);
    expect(Buffer.from(computeStateRootFromScratch(second.chain.stateAt())).toString('hex')).toBe(header.stateRoot.toHex().slice(2));
    await second.advance(2);
    expect(second.chain.bestBlock().number).toBe(best.number + 2);
  } finally {
    await second.close();
  }
}, 60_000);
