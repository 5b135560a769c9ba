/**
 * StateOverlay: buffered writes over a parent reader, clearPrefix, ordered key merging, nested
 * transactional layers. Checked against a plain Map model on seeded random operation sequences.
 */
import fc from 'fast-check';
import { EMPTY_STATE, StateOverlay } from '../../localnet/state/overlay';
import { StateError } from '../../localnet/state/errors';
import { VersionedStore } from '../../localnet/state/store';
import type { HexKey, StateReader } from '../../localnet/state/types';
import { expectThrownCode } from '../helpers/expect-code';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

/** A parent reader over a plain Map (independent of the store under test). */
function mapReader(entries: Record<string, number>): StateReader {
  const m = new Map<HexKey, Uint8Array>(Object.entries(entries).map(([k, v]) => [k as HexKey, b(v)]));
  return {
    get: (k) => m.get(k) ?? null,
    keys: (prefix, opts) => {
      const all = [...m.keys()].filter((k) => k.startsWith(prefix)).sort();
      const after = opts?.startKey === undefined ? all : all.filter((k) => k > opts.startKey!);
      return opts?.limit === undefined ? after : after.slice(0, opts.limit);
    },
  };
}

const expectCode = (fn: () => unknown, code: string): StateError => expectThrownCode(fn, StateError, code);

describe('StateOverlay basics', () => {
  const parent = mapReader({ '0x0100': 1, '0x0101': 2, '0x0102': 3, '0x0200': 4 });

  it('reads through to the parent and shadows it with its own writes', () => {
    const o = new StateOverlay(parent);
    expect(o.get('0x0100')).toEqual(b(1));
    o.set('0x0100', b(9));
    o.delete('0x0101');
    o.set('0x0103', b(7));
    expect(o.get('0x0100')).toEqual(b(9));
    expect(o.get('0x0101')).toBeNull();
    expect(o.get('0x0103')).toEqual(b(7));
    expect(parent.get('0x0100')).toEqual(b(1));
    expect(o.keys('0x01')).toEqual(['0x0100', '0x0102', '0x0103']);
    expect(o.keys('0x')).toEqual(['0x0100', '0x0102', '0x0103', '0x0200']);
    expect([...o.changes()]).toEqual([
      ['0x0100', b(9)],
      ['0x0101', null],
      ['0x0103', b(7)],
    ]);
  });

  it('clearPrefix hides parent keys; later sets under the prefix are visible', () => {
    const o = new StateOverlay(parent);
    o.set('0x0105', b(5));
    o.clearPrefix('0x01');
    expect(o.keys('0x01')).toEqual([]);
    expect(o.get('0x0100')).toBeNull();
    expect(o.get('0x0105')).toBeNull();
    expect(o.get('0x0200')).toEqual(b(4));
    o.set('0x0101', b(8));
    expect(o.keys('0x')).toEqual(['0x0101', '0x0200']);
    expect(o.get('0x0101')).toEqual(b(8));
    const changes = o.changes();
    expect(changes.get('0x0100')).toBeNull();
    expect(changes.get('0x0102')).toBeNull();
    expect(changes.get('0x0105')).toBeNull();
    expect(changes.get('0x0101')).toEqual(b(8));
  });

  it('keys honours startKey (strictly after), limit, and a startKey outside the prefix', () => {
    const o = new StateOverlay(parent);
    o.set('0x0101ff', b(1));
    o.delete('0x0102');
    expect(o.keys('0x01', { startKey: '0x0100' })).toEqual(['0x0101', '0x0101ff']);
    expect(o.keys('0x01', { startKey: '0x0101', limit: 1 })).toEqual(['0x0101ff']);
    expect(o.keys('0x01', { startKey: '0x00' })).toEqual(['0x0100', '0x0101', '0x0101ff']);
    expect(o.keys('0x01', { startKey: '0x05' })).toEqual([]);
    expect(o.keys('0x01', { limit: 0 })).toEqual([]);
    expect(o.keys('0x03')).toEqual([]);
  });

  it('a key equal to the prefix is included', () => {
    const o = new StateOverlay(EMPTY_STATE);
    o.set('0xaa', b(1));
    o.set('0xaabb', b(2));
    o.set('0xab', b(3));
    expect(o.keys('0xaa')).toEqual(['0xaa', '0xaabb']);
  });

  it('pages through a large parent with many deletions in the overlay', () => {
    const entries: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) entries[`0x77${i.toString(16).padStart(4, '0')}`] = i & 0xff;
    const o = new StateOverlay(mapReader(entries));
    for (let i = 0; i < 1000; i++) if (i % 3 !== 0) o.delete(`0x77${i.toString(16).padStart(4, '0')}` as HexKey);
    const expected = Object.keys(entries).filter((_, i) => i % 3 === 0);
    const paged: HexKey[] = [];
    let start: HexKey | undefined;
    for (;;) {
      const page = o.keys('0x77', { startKey: start, limit: 7 });
      paged.push(...page);
      if (page.length < 7) break;
      start = page[page.length - 1];
    }
    expect(paged).toEqual(expected);
  });
});

describe('StateOverlay nesting', () => {
  it('commit merges a child into its parent; discard drops it', () => {
    const root = new StateOverlay(mapReader({ '0x01': 1, '0x02': 2 }));
    root.set('0x03', b(3));

    const ok = root.child();
    expect(ok.depth).toBe(1);
    ok.set('0x01', b(10));
    ok.delete('0x03');
    expect(ok.get('0x01')).toEqual(b(10));
    expect(root.get('0x01')).toEqual(b(1)); // not visible before commit
    ok.commit();
    expect(root.get('0x01')).toEqual(b(10));
    expect(root.get('0x03')).toBeNull();

    const failed = root.child();
    failed.set('0x02', b(20));
    failed.clearPrefix('0x0');
    expect(failed.keys('0x')).toEqual([]);
    failed.discard();
    expect(root.get('0x02')).toEqual(b(2));
    expect(root.keys('0x')).toEqual(['0x01', '0x02']);
  });

  it('grandchildren commit through their parents; discarding a middle layer drops everything under it', () => {
    const root = new StateOverlay(EMPTY_STATE);
    const a = root.child();
    a.set('0xaa', b(1));
    const c = a.child();
    c.set('0xcc', b(2));
    c.commit();
    expect(a.get('0xcc')).toEqual(b(2));
    const d = a.child();
    d.set('0xdd', b(3));
    a.discard(); // discards d too
    expect(d.isOpen).toBe(false);
    expect(root.keys('0x')).toEqual([]);
    root.set('0x01', b(1)); // writable again
  });

  it('guards misuse with typed errors', () => {
    const root = new StateOverlay(EMPTY_STATE);
    expectCode(() => root.commit(), 'NotAChildOverlay');
    const c = root.child();
    expectCode(() => root.set('0x01', b(1)), 'OverlayBusy');
    expectCode(() => root.child(), 'OverlayBusy');
    expect(root.get('0x01')).toBeNull(); // reads stay allowed
    const g = c.child();
    expectCode(() => c.commit(), 'OverlayBusy');
    g.discard();
    c.commit();
    expectCode(() => c.get('0x01'), 'OverlayClosed');
    expectCode(() => c.set('0x01', b(1)), 'OverlayClosed');
    expectCode(() => root.set('0x01', 5 as unknown as Uint8Array), 'InvalidValue');
  });

  it('transaction() commits on return and discards on throw', () => {
    const root = new StateOverlay(EMPTY_STATE);
    expect(root.transaction((tx) => (tx.set('0x01', b(1)), 'ok'))).toBe('ok');
    expect(() =>
      root.transaction((tx) => {
        tx.set('0x02', b(2));
        tx.transaction((inner) => inner.set('0x03', b(3)));
        throw new Error('call failed');
      }),
    ).toThrow('call failed');
    expect(root.keys('0x')).toEqual(['0x01']);
    root.set('0x04', b(4));
  });
});

describe('StateOverlay vs a Map model (seeded random operations)', () => {
  const keyArb = fc.constantFrom<HexKey>('0x', '0x00', '0x0000', '0x0001', '0x01', '0x0100', '0x0101', '0x010101', '0x02', '0xff', '0xff00');
  const prefixArb = fc.constantFrom<HexKey>('0x', '0x0', '0x00', '0x01', '0x010', '0x0101', '0xf', '0x02');
  const op = fc.oneof(
    fc.record({ t: fc.constant('set' as const), k: keyArb, v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ t: fc.constant('del' as const), k: keyArb }),
    fc.record({ t: fc.constant('clear' as const), p: prefixArb }),
    fc.record({ t: fc.constant('child' as const) }),
    fc.record({ t: fc.constant('commit' as const) }),
    fc.record({ t: fc.constant('discard' as const) }),
  );

  function modelKeys(m: Map<HexKey, number>, prefix: HexKey): HexKey[] {
    return [...m.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  it('matches the model for get, keys (paged) and changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.dictionary(keyArb, fc.integer({ min: 0, max: 255 })), (ops, base) => {
        // The parent is a real store block, to exercise the overlay on top of the store as well.
        const store = new VersionedStore();
        store.commitBlock(0, new Map(Object.entries(base).map(([k, v]) => [k as HexKey, b(v)])));
        const root = new StateOverlay(store.head());
        const layers: StateOverlay[] = [root];
        const models: Map<HexKey, number>[] = [new Map(Object.entries(base).map(([k, v]) => [k as HexKey, v]))];
        for (const o of ops) {
          const top = layers[layers.length - 1]!;
          const m = models[models.length - 1]!;
          switch (o.t) {
            case 'set':
              top.set(o.k, b(o.v));
              m.set(o.k, o.v);
              break;
            case 'del':
              top.delete(o.k);
              m.delete(o.k);
              break;
            case 'clear':
              top.clearPrefix(o.p);
              for (const k of [...m.keys()]) if (k.startsWith(o.p)) m.delete(k);
              break;
            case 'child':
              layers.push(top.child());
              models.push(new Map(m));
              break;
            case 'commit':
              if (layers.length > 1) {
                layers.pop()!.commit();
                models.pop();
                models[models.length - 1] = m;
              }
              break;
            case 'discard':
              if (layers.length > 1) {
                layers.pop()!.discard();
                models.pop();
              }
              break;
          }
          const cur = layers[layers.length - 1]!;
          const cm = models[models.length - 1]!;
          for (const p of ['0x', '0x0', '0x01', '0xff'] as HexKey[]) expect(cur.keys(p)).toEqual(modelKeys(cm, p));
          // paged with limit 2
          const paged: HexKey[] = [];
          let start: HexKey | undefined;
          for (;;) {
            const page = cur.keys('0x0', { startKey: start, limit: 2 });
            paged.push(...page);
            if (page.length < 2) break;
            start = page[page.length - 1];
          }
          expect(paged).toEqual(modelKeys(cm, '0x0'));
        }
        while (layers.length > 1) {
          layers.pop()!.commit();
          const m = models.pop()!;
          models[models.length - 1] = m;
        }
        const final = models[0]!;
        for (const k of ['0x', '0x00', '0x0001', '0x0101', '0xff00'] as HexKey[]) {
          const v = final.get(k);
          expect(root.get(k)).toEqual(v === undefined ? null : b(v));
        }
        // Applying the root overlay's changes to the store yields the model's state.
        store.commitBlock(1, root.changes());
        expect(store.head().keys('0x')).toEqual(modelKeys(final, '0x'));
        for (const [k, v] of final) expect(store.head().get(k)).toEqual(b(v));
      }),
      { seed: 20240601, numRuns: 150 },
    );
  });
});
