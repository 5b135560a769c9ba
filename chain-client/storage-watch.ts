/**
 * A live mirror of storage values pushed by `state_subscribeStorage`: the node sends every watched key's
 * value once, then per block only the values that changed, so a reader that keeps syncing to the head
 * reads nothing it already has.
 *
 * Each subscription ("feed") also watches `System.ParentHash` and `System.Number`, which every block
 * writes: so every block produces a notification, and a notification whose parent is not the feed's last
 * block (a gap, a reorg, a dropped message) is detected instead of silently leaving a stale value. A
 * notification listing every key of its feed is a complete picture (the first one always is). The mirror
 * answers for block H only when every feed's last block is H; otherwise the reader falls back to reading.
 */
import type { ChainClient, RawSubscription } from './connect';
import { storageItem } from './storage';

/** What a watch needs of a client: raw subscriptions. */
export type SubscriptionSource = Pick<ChainClient, 'subscribe'>;

/** The storage keys of `System.ParentHash` and `System.Number`, which every block writes. */
export interface BlockKeys {
  readonly parentHash: string;
  readonly number: string;
}

/** A watch over `client`'s node, with the system keys from its metadata. */
export function storageWatch(client: ChainClient): StorageWatch {
  return new StorageWatch(client, { parentHash: storageItem(client, 'System', 'ParentHash').key(), number: storageItem(client, 'System', 'Number').key() });
}

/** One `state_storage` notification. */
interface StorageChangeSet {
  readonly block: string;
  readonly changes: ReadonlyArray<readonly [string, string | null]>;
}

interface Tip {
  readonly hash: string;
  readonly number: number;
}

interface Feed {
  readonly keys: ReadonlySet<string>;
  subscription: RawSubscription | undefined;
  /** The block the feed's values are at, or undefined while it has no complete, gap-free picture. */
  tip: Tip | undefined;
  /** Whether a notification arrived (before the first, an undefined tip is not a break). */
  started: boolean;
}

/** Feeds before the watch folds them into one subscription (each new batch of keys opens a feed). */
const MAX_FEEDS = 8;

/** A mirror of the values of a set of storage keys, kept current by storage subscriptions. */
export class StorageWatch {
  private readonly values = new Map<string, string | null>();
  private feeds: Feed[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly parentKey: string;
  private readonly numberKey: string;

  constructor(
    private readonly source: SubscriptionSource,
    blockKeys: BlockKeys,
  ) {
    this.parentKey = blockKeys.parentHash;
    this.numberKey = blockKeys.number;
  }

  /** Keys watched (in any feed, live or not). */
  get size(): number {
    let size = 0;
    for (const feed of this.feeds) size += feed.keys.size - 2;
    return size;
  }

  /** The block every feed is at, when they agree and all are live. */
  get tip(): Tip | undefined {
    let tip: Tip | undefined;
    for (const feed of this.feeds) {
      if (!feed.subscription?.active || feed.tip === undefined) return undefined;
      if (tip !== undefined && tip.hash !== feed.tip.hash) return undefined;
      tip = feed.tip;
    }
    return tip;
  }

  /** Whether `key` is mirrored (its value is at {@link tip}). */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** `key`'s mirrored value, at {@link tip} (check {@link has} and the tip first). */
  value(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /**
   * Waits until the mirror is at block `hash` (number `number`), for at most `waitMs` (a feed still waiting
   * for its first notification is waited for too). False when it cannot be (a feed is broken, or already
   * past that block) or does not get there in time.
   */
  async reach(hash: string, number: number, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.tip?.hash === hash) return true;
      const hopeless = (f: Feed): boolean =>
        !f.subscription?.active || (f.started && f.tip === undefined) || (f.tip !== undefined && (f.tip.number > number || (f.tip.number === number && f.tip.hash !== hash)));
      if (this.feeds.length === 0 || this.feeds.some(hopeless)) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
    }
  }

  /**
   * Makes the watch cover `keys`: keys not yet watched get a new feed; a watch that is broken, holds
   * mostly keys no longer wanted, or has too many feeds is replaced by one feed of exactly `keys`.
   * Costs one subscribe request when something is added, none otherwise.
   */
  async cover(keys: readonly string[]): Promise<number> {
    if (this.closed) return 0;
    const wanted = new Set(keys);
    const broken = this.feeds.some((f) => !f.subscription?.active || (f.started && f.tip === undefined));
    const watched = new Set<string>();
    for (const feed of this.feeds) for (const key of feed.keys) watched.add(key);
    const missing = keys.filter((key) => !watched.has(key));
    if (broken || this.feeds.length >= MAX_FEEDS || this.size > 2 * wanted.size + 64) {
      await this.reset();
      await this.open([...wanted]);
      return 1;
    }
    if (missing.length === 0) return 0;
    await this.open(missing);
    return 1;
  }

  /** Ends every subscription; the watch holds nothing afterwards. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.reset();
  }

  private async reset(): Promise<void> {
    const feeds = this.feeds;
    this.feeds = [];
    this.values.clear();
    await Promise.all(feeds.map((f) => f.subscription?.close()));
    this.wake();
  }

  private async open(keys: readonly string[]): Promise<void> {
    const feed: Feed = { keys: new Set([...keys, this.parentKey, this.numberKey]), subscription: undefined, tip: undefined, started: false };
    this.feeds.push(feed);
    try {
      feed.subscription = await this.source.subscribe<StorageChangeSet>(
        { subscribe: 'state_subscribeStorage', unsubscribe: 'state_unsubscribeStorage', notification: 'state_storage', params: [[...feed.keys]] },
        (set) => this.apply(feed, set),
        () => this.broken(feed),
      );
    } catch (err) {
      this.feeds = this.feeds.filter((f) => f !== feed);
      throw err;
    }
    if (this.closed || !this.feeds.includes(feed)) await feed.subscription.close();
  }

  private apply(feed: Feed, set: StorageChangeSet): void {
    if (!this.feeds.includes(feed)) return;
    feed.started = true;
    let complete = set.changes.length >= feed.keys.size;
    if (complete) {
      const listed = new Set<string>();
      for (const [key] of set.changes) listed.add(key);
      for (const key of feed.keys) if (!listed.has(key)) complete = false;
    }
    const number = decodeU32(set.changes.find(([key]) => key === this.numberKey)?.[1] ?? null);
    const parent = set.changes.find(([key]) => key === this.parentKey)?.[1] ?? null;
    if (number === undefined || (!complete && (feed.tip === undefined || parent?.toLowerCase() !== feed.tip.hash.toLowerCase()))) {
      feed.tip = undefined;
    } else {
      for (const [key, value] of set.changes) if (feed.keys.has(key)) this.values.set(key, value);
      feed.tip = { hash: set.block, number };
    }
    this.wake();
  }

  private broken(feed: Feed): void {
    feed.started = true;
    feed.tip = undefined;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A little-endian u32 from storage hex (`System.Number`). */
function decodeU32(hex: string | null): number | undefined {
  if (hex === null || hex.length !== 10) return undefined;
  const bytes = Buffer.from(hex.slice(2), 'hex');
  return bytes.readUInt32LE(0);
}
