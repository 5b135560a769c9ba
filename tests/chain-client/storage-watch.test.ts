/**
 * The storage watch's mirror logic: which notifications it trusts, when it says it is at a block, and
 * how it grows and rebuilds its subscriptions. The node side is a recorded feed of `state_storage`
 * notifications (the real node's behaviour is covered in metagraph.test.ts / metagraph-watch.test.ts).
 */
import type { ChainClientError, RawSubscription, RawSubscriptionSpec } from '../../chain-client';
import { StorageWatch, type SubscriptionSource } from '../../chain-client';

const PARENT = '0xparent';
const NUMBER = '0xnumber';
const hash = (n: number): string => `0x${n.toString(16).padStart(64, '0')}`;
/** The mirrored value of `key` when the mirror is at block `n`, else undefined. */
const at = (watch: StorageWatch, n: number, key: string): string | null | undefined => (watch.tip?.hash === hash(n) && watch.has(key) ? watch.value(key) : undefined);
const u32 = (n: number): string => `0x${Buffer.from(new Uint32Array([n]).buffer).toString('hex')}`;

interface Recorded {
  readonly keys: readonly string[];
  readonly push: (block: number, changes: Array<[string, string | null]>, parent?: number) => void;
  readonly end: () => void;
  closed: boolean;
}

class RecordedSource implements SubscriptionSource {
  readonly subs: Recorded[] = [];

  async subscribe<T>(spec: RawSubscriptionSpec, onNotification: (value: T) => void, onEnd?: (reason: ChainClientError) => void): Promise<RawSubscription> {
    const keys = (spec.params[0] as string[]).slice();
    let active = true;
    const rec: Recorded = {
      keys,
      closed: false,
      push: (block, changes, parent = block - 1) =>
        onNotification({ block: hash(block), changes: [...changes, [PARENT, hash(parent)], [NUMBER, u32(block)]] } as T),
      end: () => {
        active = false;
        onEnd?.({ code: 'SubscriptionEnded' } as ChainClientError);
      },
    };
    this.subs.push(rec);
    return {
      get active() { return active; },
      close: async () => {
        active = false;
        rec.closed = true;
      },
    };
  }
}

function snapshot(rec: Recorded, block: number, values: Record<string, string | null>): void {
  rec.push(block, rec.keys.filter((k) => k !== PARENT && k !== NUMBER).map((k) => [k, values[k] ?? null]));
}

let source: RecordedSource;
let watch: StorageWatch;
beforeEach(() => {
  source = new RecordedSource();
  watch = new StorageWatch(source, { parentHash: PARENT, number: NUMBER });
});

test('default: a snapshot, then consecutive changes: the mirror is at each block in turn', async () => {
  expect(await watch.cover(['0xa', '0xb'])).toBe(1);
  const [feed] = source.subs;
  expect(feed!.keys).toEqual(['0xa', '0xb', PARENT, NUMBER]);
  expect(watch.tip).toBeUndefined();
  snapshot(feed!, 10, { '0xa': '0x01' });
  expect(watch.tip).toEqual({ hash: hash(10), number: 10 });
  expect(at(watch, 10, '0xa')).toBe('0x01');
  expect(watch.value('0xb')).toBeNull();
  feed!.push(11, [['0xb', '0x02']]);
  expect(at(watch, 10, '0xa')).toBeUndefined();
  expect(at(watch, 11, '0xb')).toBe('0x02');
  expect(watch.value('0xa')).toBe('0x01');
  expect(await watch.cover(['0xa', '0xb'])).toBe(0);
});

test('behavior: a notification that does not follow the last block breaks the mirror until a complete one', async () => {
  await watch.cover(['0xa', '0xb']);
  const feed = source.subs[0]!;
  snapshot(feed, 10, { '0xa': '0x01', '0xb': '0x01' });
  feed.push(12, [['0xa', '0x03']], 11); // block 11 was never seen
  expect(watch.tip).toBeUndefined();
  expect(at(watch, 12, '0xa')).toBeUndefined();
  expect(await watch.reach(hash(12), 12, 1000)).toBe(false);
  snapshot(feed, 13, { '0xa': '0x04', '0xb': '0x04' });
  expect(watch.tip).toEqual({ hash: hash(13), number: 13 });
  // A reorg: a block 14 whose parent is not our 13.
  feed.push(14, [['0xa', '0x05']], 99);
  expect(watch.tip).toBeUndefined();
});

test('behavior: reach waits for the head, gives up when past it, when broken, or at the deadline', async () => {
  await watch.cover(['0xa']);
  const feed = source.subs[0]!;
  snapshot(feed, 5, { '0xa': '0x01' });
  expect(await watch.reach(hash(5), 5, 0)).toBe(true);
  const waiting = watch.reach(hash(6), 6, 5000);
  setTimeout(() => feed.push(6, [['0xa', '0x02']]), 20);
  expect(await waiting).toBe(true);
  expect(await watch.reach(hash(5), 5, 5000)).toBe(false); // already past block 5
  const started = Date.now();
  expect(await watch.reach(hash(7), 7, 50)).toBe(false);
  expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  const ending = watch.reach(hash(7), 7, 5000);
  feed.end();
  expect(await ending).toBe(false);
  expect(watch.tip).toBeUndefined();
});

test('behavior: new keys open a feed of their own; the mirror is at a block only when every feed is', async () => {
  await watch.cover(['0xa']);
  snapshot(source.subs[0]!, 5, { '0xa': '0x01' });
  expect(await watch.cover(['0xa', '0xc'])).toBe(1);
  const second = source.subs[1]!;
  expect(second.keys).toEqual(['0xc', PARENT, NUMBER]);
  expect(watch.tip).toBeUndefined();
  snapshot(second, 5, { '0xc': '0x0c' });
  expect(watch.tip?.number).toBe(5);
  source.subs[0]!.push(6, [['0xa', '0x02']]);
  expect(watch.tip).toBeUndefined(); // the second feed has not delivered block 6 yet
  second.push(6, []);
  expect(at(watch, 6, '0xc')).toBe('0x0c');
  expect(watch.size).toBe(2);
});

test('behavior: a feed still waiting for its first notification is not broken: covering again opens nothing, reach waits for it', async () => {
  await watch.cover(['0xa']);
  expect(await watch.cover(['0xa'])).toBe(0);
  expect(source.subs).toHaveLength(1);
  const waiting = watch.reach(hash(4), 4, 5000);
  setTimeout(() => snapshot(source.subs[0]!, 4, {}), 20);
  expect(await waiting).toBe(true);
  expect(watch.tip?.number).toBe(4);
});

test('behavior: a broken watch, or one mostly of unwanted keys, is rebuilt as one feed; close ends everything', async () => {
  await watch.cover(['0xa', '0xb']);
  source.subs[0]!.end();
  expect(await watch.cover(['0xa', '0xb'])).toBe(1);
  expect(source.subs[0]!.closed).toBe(true);
  expect(source.subs[1]!.keys).toEqual(['0xa', '0xb', PARENT, NUMBER]);
  snapshot(source.subs[1]!, 3, {});
  const many = Array.from({ length: 200 }, (_, i) => `0xk${i}`);
  await watch.cover(many);
  snapshot(source.subs[2]!, 3, {});
  expect(watch.size).toBe(202);
  expect(await watch.cover(['0xa'])).toBe(1); // 202 watched for 1 wanted: rebuilt
  expect(source.subs[1]!.closed && source.subs[2]!.closed).toBe(true);
  expect(source.subs[3]!.keys).toEqual(['0xa', PARENT, NUMBER]);
  await watch.close();
  expect(source.subs[3]!.closed).toBe(true);
  expect(watch.tip).toBeUndefined();
  expect(await watch.cover(['0xa'])).toBe(0);
});
