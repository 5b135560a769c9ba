/**
 * VersionedStore (history at the last N blocks, pruning, paged keys), its sorted key index, and the
 * incremental state root (== from-scratch recomputation on seeded random change sequences).
 */
import fc from 'fast-check';
import { StateError } from '../../localnet/state/errors';
import { SortedKeySet } from '../../localnet/state/sorted-keys';
import { StateRootAccumulator, computeStateRootFromScratch, computeStateRootOfEntries, entryHash } from '../../localnet/state/root';
import { VersionedStore } from '../../localnet/state/store';
import type { HexKey, StateChanges, StateReader } from '../../localnet/state/types';
import { expectThrownCode } from '../helpers/expect-code';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

function changes(entries: Record<string, number | null>): StateChanges {
  return new Map(Object.entries(entries).map(([k, v]) => [k as HexKey, v === null ? null : b(v)]));
}

const expectCode = (fn: () => unknown, code: string): StateError => expectThrownCode(fn, StateError, code);

function pagedKeys(r: StateReader, prefix: HexKey, pageSize: number): HexKey[] {
  const out: HexKey[] = [];
  let start: HexKey | undefined;
  for (;;) {
    const page = r.keys(prefix, { startKey: start, limit: pageSize });
    out.push(...page);
    if (page.length < pageSize) return out;
    start = page[page.length - 1];
  }
}

describe('SortedKeySet', () => {
  it('matches a sorted array under random adds/deletes (small chunks: splits and merges)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 })), { maxLength: 400 }), fc.integer({ min: 2, max: 5 }), (ops, load) => {
        const set = new SortedKeySet(load);
        const model = new Set<string>();
        for (const [add, i] of ops) {
          const k = `0x${i.toString(16).padStart(4, '0')}`;
          expect(add ? set.add(k) : set.delete(k)).toBe(add ? !model.has(k) : model.has(k));
          if (add) model.add(k);
          else model.delete(k);
          set.checkInvariants();
        }
        const sorted = [...model].sort();
        expect([...set]).toEqual(sorted);
        expect(set.size).toBe(sorted.length);
        for (const probe of ['0x', '0x0050', '0x0100', '0x0fff', '0xffff']) {
          const c1 = set.cursor(probe);
          expect(c1.peek()).toBe(sorted.find((k) => k >= probe));
          const c2 = set.cursor(probe, true);
          const rest: string[] = [];
          for (let k = c2.peek(); k !== undefined; c2.next(), k = c2.peek()) rest.push(k);
          expect(rest).toEqual(sorted.filter((k) => k > probe));
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('fromSorted builds a valid set', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `0x${i.toString(16).padStart(4, '0')}`);
    const set = SortedKeySet.fromSorted(keys, 16);
    set.checkInvariants();
    expect(set.has('0x03e7')).toBe(true);
    expect(set.add('0x03e8')).toBe(true);
    set.checkInvariants();
  });
});

describe('state root', () => {
  it('is zero for the empty state, order-independent, and remove inverts add', () => {
    const empty = new StateRootAccumulator().root();
    expect(empty).toEqual(new Uint8Array(32));
    const a = new StateRootAccumulator();
    a.add('0x01', b(1));
    a.add('0x0203', b(2, 3));
    const c = new StateRootAccumulator();
    c.add('0x0203', b(2, 3));
    c.add('0x01', b(1));
    expect(a.root()).toEqual(c.root());
    a.remove('0x01', b(1));
    a.remove('0x0203', b(2, 3));
    expect(a.root()).toEqual(empty);
    expect(new StateRootAccumulator(c.root()).root()).toEqual(c.root());
  });

  it('separates key and value bytes (key length prefix)', () => {
    expect(entryHash('0x0102', b(3))).not.toEqual(entryHash('0x01', b(2, 3)));
  });
});

describe('VersionedStore', () => {
  it('serves every retained block and reports pruned/unknown blocks with typed errors', () => {
    const store = new VersionedStore({ retainBlocks: 3 });
    expectCode(() => store.head(), 'UnknownBlock');
    store.commitBlock(10, changes({ '0x01': 1, '0x02': 2 }));
    store.commitBlock(11, changes({ '0x01': 11, '0x03': 3 }));
    const pinned11 = store.at(11);
    store.commitBlock(12, changes({ '0x02': null, '0x04': 4 }));
    expect(store.at(10).get('0x01')).toEqual(b(1));
    expect(store.at(11).get('0x01')).toEqual(b(11));
    expect(store.at(12).get('0x02')).toBeNull();
    expect(store.at(11).get('0x02')).toEqual(b(2));
    expect(store.at(10).keys('0x')).toEqual(['0x01', '0x02']);
    expect(store.at(11).keys('0x')).toEqual(['0x01', '0x02', '0x03']);
    expect(store.at(12).keys('0x')).toEqual(['0x01', '0x03', '0x04']);
    expect(store.head().blockNumber).toBe(12);

    store.commitBlock(13, changes({ '0x03': null }));
    expect(store.oldestNumber).toBe(11);
    expectCode(() => store.at(10), 'BlockPruned');
    expectCode(() => store.at(14), 'UnknownBlock');
    expectCode(() => store.stateRoot(10), 'BlockPruned');
    expect(pinned11.get('0x03')).toEqual(b(3));
    store.commitBlock(14, changes({}));
    expectCode(() => pinned11.get('0x01'), 'BlockPruned'); // a pinned reader fails once its block is pruned
    expect(store.at(12).keys('0x')).toEqual(['0x01', '0x03', '0x04']);
    expect(store.at(14).keys('0x')).toEqual(['0x01', '0x04']);
  });

  it('rejects non-consecutive blocks and invalid keys without changing anything', () => {
    const store = new VersionedStore();
    store.commitBlock(0, changes({ '0x01': 1 }));
    const root = store.stateRoot(0);
    expectCode(() => store.commitBlock(2, changes({})), 'NonConsecutiveBlock');
    expectCode(() => store.commitBlock(1, changes({ '0x02': 2, '0xABCD': 1 })), 'InvalidKey');
    expectCode(() => store.commitBlock(1, changes({ '0x123': 1 })), 'InvalidKey');
    expectCode(() => store.commitBlock(1, new Map([['0x05' as HexKey, [1] as unknown as Uint8Array]])), 'InvalidValue');
    expectCode(() => store.head().keys('0xZZ' as HexKey), 'InvalidKey');
    expect(store.headNumber).toBe(0);
    expect(store.head().get('0x02')).toBeNull();
    expect(store.stateRoot(0)).toEqual(root);
    expectCode(() => new VersionedStore({ retainBlocks: 0 }), 'InvalidArgument');
  });

  it('reports only effective changes (no-op sets and deletions of absent keys are dropped)', () => {
    const store = new VersionedStore();
    store.commitBlock(0, changes({ '0x01': 1, '0x02': 2 }));
    const r = store.commitBlock(1, changes({ '0x01': 1, '0x02': 3, '0x09': null }));
    expect(r.changedKeys).toEqual(['0x02']);
    expect(store.changedKeys(1)).toEqual(['0x02']);
    expect(r.stateRoot).toEqual(store.stateRoot(1));
  });

  it('pages keys of an old block consistently while new blocks are committed', () => {
    const store = new VersionedStore({ retainBlocks: 50 });
    const key = (i: number): HexKey => `0xaa${i.toString(16).padStart(4, '0')}` as HexKey;
    const init = new Map<HexKey, Uint8Array>();
    for (let i = 0; i < 200; i++) init.set(key(i), b(i & 0xff));
    init.set('0xbb00', b(1));
    store.commitBlock(0, init);
    const expected = store.at(0).keys('0xaa');
    const r0 = store.at(0);
    const got: HexKey[] = [];
    let start: HexKey | undefined;
    for (let n = 1; ; n++) {
      const page = r0.keys('0xaa', { startKey: start, limit: 9 });
      got.push(...page);
      if (page.length < 9) break;
      start = page[page.length - 1];
      // Each new block deletes some keys and inserts others around the cursor.
      const ch = new Map<HexKey, Uint8Array | null>();
      for (let i = 0; i < 200; i += 7) ch.set(key((i + n) % 200), null);
      ch.set(`${key(n)}00` as HexKey, b(n));
      store.commitBlock(n, ch);
    }
    expect(got).toEqual(expected);
    expect(got).toHaveLength(200);
  });

  it('fromEntries restores a head block and checks the recorded root', () => {
    const src = new VersionedStore();
    src.commitBlock(0, changes({ '0x01': 1, '0x02': 2, '0x0203': 3 }));
    src.commitBlock(1, changes({ '0x01': null, '0x04': 4 }));
    const entries = [...src.entries()];
    expect(entries.map(([k]) => k)).toEqual(['0x02', '0x0203', '0x04']);
    const restored = VersionedStore.fromEntries(1, entries, { expectedRoot: src.stateRoot(1) });
    expect(restored.stateRoot(1)).toEqual(src.stateRoot(1));
    expect(restored.head().keys('0x02')).toEqual(['0x02', '0x0203']);
    restored.commitBlock(2, changes({ '0x05': 5 }));
    src.commitBlock(2, changes({ '0x05': 5 }));
    expect(restored.stateRoot(2)).toEqual(src.stateRoot(2));
    expectCode(() => restored.at(0), 'BlockPruned');
    expectCode(() => VersionedStore.fromEntries(1, entries, { expectedRoot: new Uint8Array(32) }), 'StateRootMismatch');
  });

  it('matches full per-block models on seeded random change sequences; incremental root == from scratch', () => {
    const keyArb = fc.integer({ min: 0, max: 40 }).map((i) => `0x${(i % 4).toString(16).padStart(2, '0')}${i.toString(16).padStart(2, '0')}` as HexKey);
    const blockArb = fc.array(fc.tuple(keyArb, fc.option(fc.uint8Array({ minLength: 0, maxLength: 3 }), { freq: 3 })), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (blocks, retain) => {
        const store = new VersionedStore({ retainBlocks: retain });
        const models: Map<HexKey, Uint8Array>[] = [];
        let model = new Map<HexKey, Uint8Array>();
        blocks.forEach((block, n) => {
          const ch = new Map<HexKey, Uint8Array | null>(block);
          model = new Map(model);
          for (const [k, v] of ch) {
            if (v === null) model.delete(k);
            else model.set(k, v);
          }
          models.push(model);
          const res = store.commitBlock(n, ch);
          expect(res.stateRoot).toEqual(computeStateRootOfEntries(model));
        });
        const head = blocks.length - 1;
        for (let n = 0; n <= head; n++) {
          if (n < head - retain + 1) {
            expectCode(() => store.at(n), 'BlockPruned');
            continue;
          }
          const m = models[n]!;
          const r = store.at(n);
          for (let i = 0; i <= 40; i++) {
            const k = `0x${(i % 4).toString(16).padStart(2, '0')}${i.toString(16).padStart(2, '0')}` as HexKey;
            expect(r.get(k)).toEqual(m.get(k) ?? null);
          }
          const sorted = [...m.keys()].sort();
          expect(r.keys('0x')).toEqual(sorted);
          expect(r.keys('0x01')).toEqual(sorted.filter((k) => k.startsWith('0x01')));
          expect(pagedKeys(r, '0x0', 3)).toEqual(sorted);
          expect(store.stateRoot(n)).toEqual(computeStateRootFromScratch(r));
        }
        // Memory bound: histories exactly for keys changed after the oldest retained block.
        const inWindow = new Set<HexKey>();
        for (let n = store.oldestNumber! + 1; n <= head; n++) for (const k of store.changedKeys(n)) inWindow.add(k);
        const stats = store.stats();
        expect(stats.keysWithHistory).toBe(inWindow.size);
        expect(stats.indexedKeys).toBe(new Set([...store.head().keys('0x'), ...inWindow]).size);
      }),
      { seed: 424242, numRuns: 120 },
    );
  });
});
