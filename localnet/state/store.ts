/**
 * The committed chain state at the last N blocks (by default 257: the head and the 256 before it).
 *
 * Layout:
 * - `head`: a `Map` of the live state at the head block: `get` at the head is one hash lookup.
 * - `histories`: for each key changed by a retained block newer than the oldest one, its versions as
 *   one flat array `[-1, base, b1, v1, b2, v2, …]` (`vi` = the value block `bi` set, `null` =
 *   deleted; `base` = the value at the oldest retained block, before `b1`). A historical `get` is a
 *   binary search, O(log versions); keys without a history are unchanged since the oldest retained
 *   block and read from `head`. When a block becomes the oldest retained one, its versions fold into
 *   the bases (nothing can be asked about the blocks before it), and histories left with only a base
 *   are dropped.
 * - `index`: an ordered set (`SortedKeySet`) of every key live at the head or holding a history, i.e.
 *   every key that exists at some retained block. `keys(prefix, {startKey, limit})` at block b seeks
 *   to the bound in O(log n) and walks forward, skipping keys absent at b (at most the keys changed
 *   inside the window).
 * - `blockKeys`: the keys each retained block changed, to fold histories when the block becomes the
 *   oldest (and for `changedKeys`).
 *
 * Memory is the live state (about 360 bytes per key with ~40-byte keys and small values) plus, per
 * retained block, its changed keys and their new values (about 60 bytes per version plus the value,
 * and one small array per key with a history). `commitBlock` costs O(c log n) for c changes plus two
 * blake2 hashes per changed key (the state root); folding the new oldest block costs O(its changes).
 *
 * Values are stored by reference: they must not be mutated after `commitBlock`, and bytes returned by
 * readers must not be mutated.
 */
import type { HexKey, StateChanges, StateReader } from './types';
import type { KeysOptions } from './overlay';
import { StateError } from './errors';
import { assertHexKey, assertHexPrefix, bytesEqual } from './hex';
import { StateRootAccumulator, computeStateRootOfEntries } from './root';
import { SortedKeySet } from './sorted-keys';

/** Blocks retained by default: the head and the 256 before it. */
export const DEFAULT_RETAIN_BLOCKS = 257;

/** Options of {@link VersionedStore}. */
export interface VersionedStoreOptions {
  /** How many blocks (head included) stay queryable; at least 1. Default {@link DEFAULT_RETAIN_BLOCKS}. */
  readonly retainBlocks?: number;
}

/** A reader pinned to one block of a {@link VersionedStore}. */
export interface BlockStateReader extends StateReader {
  readonly blockNumber: number;
}

/** What `commitBlock` reports. */
export interface CommitResult {
  /** Keys whose value actually changed (no-op sets and deletions of absent keys are left out). */
  readonly changedKeys: readonly HexKey[];
  /** The state root after the block. */
  readonly stateRoot: Uint8Array;
}

/** Counters for monitoring memory. */
export interface StoreStats {
  readonly headBlock: number | undefined;
  readonly oldestBlock: number | undefined;
  readonly liveKeys: number;
  readonly indexedKeys: number;
  readonly keysWithHistory: number;
  /** Versions held in histories (bases not counted). */
  readonly historyVersions: number;
}

/** `[-1, base, b1, v1, b2, v2, …]`: even slots block numbers (ascending), odd slots values. */
type KeyHistory = Array<number | Uint8Array | null>;

const BEFORE_WINDOW = -1;

/** The value in `h` at block `n` (`n` >= the oldest retained block): a binary search over the blocks. */
function valueAt(h: KeyHistory, n: number): Uint8Array | null {
  // Find the last pair whose block is <= n; pair 0 (block -1) always qualifies.
  let lo = 0;
  let hi = h.length >>> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((h[2 * mid] as number) <= n) lo = mid + 1;
    else hi = mid;
  }
  return h[2 * lo - 1] as Uint8Array | null;
}

/** Versioned state of the last N blocks; see the module comment. */
export class VersionedStore {
  private readonly retain: number;
  private readonly headState = new Map<HexKey, Uint8Array>();
  private readonly histories = new Map<HexKey, KeyHistory>();
  private index = new SortedKeySet();
  private readonly blockKeys = new Map<number, HexKey[]>();
  private readonly roots = new Map<number, Uint8Array>();
  private acc: StateRootAccumulator;
  private headNum: number | undefined;
  private oldestNum: number | undefined;
  private versionCount = 0;

  constructor(options: VersionedStoreOptions = {}) {
    const retain = options.retainBlocks ?? DEFAULT_RETAIN_BLOCKS;
    if (!Number.isSafeInteger(retain) || retain < 1) throw new StateError('InvalidArgument', `retainBlocks must be an integer >= 1, got ${retain}`);
    this.retain = retain;
    this.acc = new StateRootAccumulator();
  }

  /**
   * A store whose head is `blockNumber` with exactly `entries` (e.g. a restored snapshot) and no
   * older history. When `expectedRoot` is given, the recomputed root must equal it
   * (`StateError('StateRootMismatch')` otherwise).
   */
  static fromEntries(
    blockNumber: number,
    entries: Iterable<readonly [HexKey, Uint8Array]>,
    options: VersionedStoreOptions & { readonly expectedRoot?: Uint8Array } = {},
  ): VersionedStore {
    assertBlockNumber(blockNumber);
    const store = new VersionedStore(options);
    const keys: HexKey[] = [];
    for (const [key, value] of entries) {
      assertHexKey(key);
      if (!(value instanceof Uint8Array)) throw new StateError('InvalidValue', `value for ${key} is not a Uint8Array`, { key });
      if (!store.headState.has(key)) keys.push(key);
      store.headState.set(key, value);
    }
    keys.sort();
    store.index = SortedKeySet.fromSorted(keys);
    const root = computeStateRootOfEntries(store.headState);
    if (options.expectedRoot !== undefined && !bytesEqual(root, options.expectedRoot)) {
      throw new StateError('StateRootMismatch', `state at block ${blockNumber} does not match its recorded state root`, { blockNumber });
    }
    store.acc = new StateRootAccumulator(root);
    store.headNum = blockNumber;
    store.oldestNum = blockNumber;
    store.blockKeys.set(blockNumber, []);
    store.roots.set(blockNumber, root);
    return store;
  }

  /** The head block number (`undefined` before the first commit). */
  get headNumber(): number | undefined {
    return this.headNum;
  }

  /** The oldest block still queryable (`undefined` before the first commit). */
  get oldestNumber(): number | undefined {
    return this.oldestNum;
  }

  /** How many blocks (head included) stay queryable. */
  get retainBlocks(): number {
    return this.retain;
  }

  /** Whether block `n`'s state is queryable. */
  has(n: number): boolean {
    return this.headNum !== undefined && n >= this.oldestNum! && n <= this.headNum && Number.isInteger(n);
  }

  /**
   * Applies `changes` as block `blockNumber` (head + 1; any number for the first commit), then
   * prunes blocks that fell out of the window. Validates every key and value first, so a rejected
   * commit changes nothing.
   */
  commitBlock(blockNumber: number, changes: StateChanges): CommitResult {
    assertBlockNumber(blockNumber);
    if (this.headNum !== undefined && blockNumber !== this.headNum + 1) {
      throw new StateError('NonConsecutiveBlock', `cannot commit block ${blockNumber} on top of head ${this.headNum}`, { blockNumber, head: this.headNum });
    }
    for (const [key, value] of changes) {
      assertHexKey(key);
      if (value !== null && !(value instanceof Uint8Array)) throw new StateError('InvalidValue', `value for ${key} is neither a Uint8Array nor null`, { key });
    }

    const newOldest = this.oldestNum === undefined ? blockNumber : Math.max(this.oldestNum, blockNumber - this.retain + 1);
    // A block that is itself the oldest retained one (the first commit, or retainBlocks = 1) needs no
    // versions: nothing before it can be asked for.
    const recordVersions = blockNumber > newOldest;
    const changed: HexKey[] = [];
    for (const [key, value] of changes) {
      const old = this.headState.get(key);
      if (value === null) {
        if (old === undefined) continue;
        this.headState.delete(key);
        this.acc.remove(key, old);
        // Without a version to keep, the key exists at no retained block any more.
        if (!recordVersions) this.index.delete(key);
      } else {
        if (old !== undefined) {
          if (bytesEqual(old, value)) continue;
          this.acc.remove(key, old);
        } else {
          this.index.add(key);
        }
        this.headState.set(key, value);
        this.acc.add(key, value);
      }
      if (recordVersions) {
        const h = this.histories.get(key);
        if (h === undefined) {
          this.histories.set(key, [BEFORE_WINDOW, old ?? null, blockNumber, value]);
        } else {
          h.push(blockNumber, value);
        }
        this.versionCount++;
      }
      changed.push(key);
    }

    const root = this.acc.root();
    this.headNum = blockNumber;
    this.blockKeys.set(blockNumber, changed);
    this.roots.set(blockNumber, root);
    if (this.oldestNum === undefined) {
      this.oldestNum = blockNumber;
    } else {
      while (this.oldestNum < newOldest) this.advanceOldest();
    }
    return { changedKeys: changed, stateRoot: root.slice() };
  }

  /**
   * Drops the oldest retained block and makes the next one the oldest: that block's versions become
   * the base values of their keys' histories.
   */
  private advanceOldest(): void {
    const dropped = this.oldestNum!;
    this.blockKeys.delete(dropped);
    this.roots.delete(dropped);
    const p = dropped + 1;
    this.oldestNum = p;
    for (const key of this.blockKeys.get(p) ?? []) {
      const h = this.histories.get(key);
      // With retainBlocks = 1 no block records versions.
      if (h === undefined) continue;
      if (h[2] !== p) throw new Error(`VersionedStore internal error: history of ${key} does not start at block ${p}`);
      // Older blocks are folded already, so p's version is the pair right after the base.
      h.splice(0, 2);
      h[0] = BEFORE_WINDOW;
      this.versionCount--;
      if (h.length === 2) {
        // Only the base is left, and it equals the head value: unchanged in the window.
        this.histories.delete(key);
        if (!this.headState.has(key)) this.index.delete(key);
      }
    }
  }

  /** A reader pinned to block `n` (throws `UnknownBlock` / `BlockPruned` when not retained). */
  at(n: number): BlockStateReader {
    this.assertRetained(n);
    return new PinnedReader(this, n);
  }

  /** A reader pinned to the current head block (it keeps reading that block after later commits). */
  head(): BlockStateReader {
    if (this.headNum === undefined) throw new StateError('UnknownBlock', 'the store has no committed block yet');
    return new PinnedReader(this, this.headNum);
  }

  /** The state root after block `n`. */
  stateRoot(n: number): Uint8Array {
    this.assertRetained(n);
    return this.roots.get(n)!.slice();
  }

  /** The keys block `n` changed (empty for a block restored by `fromEntries`). */
  changedKeys(n: number): readonly HexKey[] {
    this.assertRetained(n);
    return this.blockKeys.get(n)!;
  }

  /** The head state's entries in ascending key order (e.g. to write a snapshot). */
  *entries(): IterableIterator<[HexKey, Uint8Array]> {
    for (const key of this.index) {
      const v = this.headState.get(key as HexKey);
      if (v !== undefined) yield [key as HexKey, v];
    }
  }

  stats(): StoreStats {
    return {
      headBlock: this.headNum,
      oldestBlock: this.oldestNum,
      liveKeys: this.headState.size,
      indexedKeys: this.index.size,
      keysWithHistory: this.histories.size,
      historyVersions: this.versionCount,
    };
  }

  /** @internal */
  getAt(key: HexKey, n: number): Uint8Array | null {
    this.assertRetained(n);
    if (n !== this.headNum) {
      const h = this.histories.get(key);
      if (h !== undefined) return valueAt(h, n);
    }
    return this.headState.get(key) ?? null;
  }

  /** @internal */
  keysAt(n: number, prefix: HexKey, options?: KeysOptions): HexKey[] {
    this.assertRetained(n);
    assertHexPrefix(prefix);
    const limit = options?.limit ?? Infinity;
    const startKey = options?.startKey;
    const out: HexKey[] = [];
    if (limit <= 0) return out;
    const cursor = startKey !== undefined && startKey >= prefix ? this.index.cursor(startKey, true) : this.index.cursor(prefix, false);
    const atHead = n === this.headNum;
    for (let k = cursor.peek() as HexKey | undefined; k !== undefined && k.startsWith(prefix); cursor.next(), k = cursor.peek() as HexKey | undefined) {
      let live: boolean;
      if (atHead) {
        live = this.headState.has(k);
      } else {
        const h = this.histories.get(k);
        live = h === undefined ? this.headState.has(k) : valueAt(h, n) !== null;
      }
      if (live) {
        out.push(k);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  private assertRetained(n: number): void {
    if (this.headNum === undefined || !Number.isInteger(n) || n > this.headNum) {
      throw new StateError('UnknownBlock', `no state for block ${n}${this.headNum === undefined ? ' (empty store)' : ` (head is ${this.headNum})`}`, { blockNumber: n, head: this.headNum });
    }
    if (n < this.oldestNum!) {
      throw new StateError('BlockPruned', `the state of block ${n} has been pruned (oldest retained: ${this.oldestNum})`, { blockNumber: n, oldest: this.oldestNum });
    }
  }
}

function assertBlockNumber(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new StateError('InvalidArgument', `block number must be a non-negative integer, got ${n}`, { blockNumber: n });
}

class PinnedReader implements BlockStateReader {
  constructor(
    private readonly store: VersionedStore,
    readonly blockNumber: number,
  ) {}

  get(key: HexKey): Uint8Array | null {
    return this.store.getAt(key, this.blockNumber);
  }

  keys(prefix: HexKey, options?: KeysOptions): HexKey[] {
    return this.store.keysAt(this.blockNumber, prefix, options);
  }
}
