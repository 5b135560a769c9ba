/**
 * Buffered, nestable write layers over a read-only state.
 *
 * A block is built in one root `StateOverlay` over the parent block's state; each extrinsic runs in a
 * `child()` of it, which is `commit()`ted into the block overlay when the call succeeds and
 * `discard()`ed when it fails, so a failed call changes no state. The root overlay's `changes()` is
 * what `VersionedStore.commitBlock` takes.
 *
 * Costs (n = keys written in this layer, d = nesting depth, k = keys returned):
 * - `get`: O(1) hash lookup per layer, O(d) overall (d is 1–3 in practice).
 * - `set` / `delete`: O(1) amortized; new keys enter the ordered index lazily, on the next `keys`.
 * - `keys(prefix, {startKey, limit})`: O(log n + k + skipped) on this layer merged with the parent's
 *   own ordered scan, fetched in pages, so a narrow prefix never scans the whole state.
 * - `clearPrefix(prefix)`: O(keys under prefix): every visible key under it becomes an explicit
 *   deletion, because `StateChanges` (and the store) only know per-key changes.
 * - `commit()`: O(n) into the parent layer.
 *
 * Values are not copied: after `set(key, value)` the overlay owns `value`, and bytes returned by
 * `get` must not be mutated by the caller.
 */
import type { HexKey, StateChanges, StateReader, StateWriter } from './types';
import { StateError } from './errors';
import { SortedKeySet } from './sorted-keys';

/** Options accepted by `StateReader.keys`. */
export interface KeysOptions {
  readonly startKey?: HexKey;
  readonly limit?: number;
}

/** The empty state (e.g. the parent of the genesis overlay). */
export const EMPTY_STATE: StateReader = Object.freeze({
  get: (): Uint8Array | null => null,
  keys: (): HexKey[] => [],
});

/** Smallest page the overlay asks its parent for while merging keys with a limit. */
const MIN_PARENT_PAGE = 64;

type OverlayStatus = 'open' | 'committed' | 'discarded';

/** A buffered write layer over a parent {@link StateReader}; see the module comment. */
export class StateOverlay implements StateWriter {
  private readonly writes = new Map<HexKey, Uint8Array | null>();
  /** Ordered index of `writes`' keys, minus `pending` (added on the next `keys`/`clearPrefix`). */
  private index = new SortedKeySet();
  private pending: HexKey[] = [];
  private status: OverlayStatus = 'open';
  private openChild: StateOverlay | null = null;
  private owner: StateOverlay | null = null;
  private nesting = 0;

  /** @param parent the state this overlay reads through to (a store reader, or another overlay). */
  constructor(private readonly parent: StateReader) {}

  /** 0 for a root overlay, 1 for its child, and so on. */
  get depth(): number {
    return this.nesting;
  }

  /** Number of keys written (set or deleted) in this layer. */
  get size(): number {
    return this.writes.size;
  }

  /** Whether this overlay can still be used (not committed or discarded). */
  get isOpen(): boolean {
    return this.status === 'open';
  }

  get(key: HexKey): Uint8Array | null {
    this.assertOpen();
    const v = this.writes.get(key);
    if (v !== undefined) return v;
    return this.parent.get(key);
  }

  set(key: HexKey, value: Uint8Array): void {
    this.assertWritable();
    if (!(value instanceof Uint8Array)) throw new StateError('InvalidValue', `value for ${key} is not a Uint8Array`, { key });
    this.write(key, value);
  }

  delete(key: HexKey): void {
    this.assertWritable();
    this.write(key, null);
  }

  clearPrefix(prefix: HexKey): void {
    this.assertWritable();
    // Deletions of the parent's visible keys under the prefix (explicit, so `changes()` carries them)…
    for (const key of this.parent.keys(prefix)) this.write(key, null);
    // …and of this layer's own live keys under it.
    this.flushIndex();
    const cursor = this.index.cursor(prefix);
    for (let k = cursor.peek() as HexKey | undefined; k !== undefined && k.startsWith(prefix); cursor.next(), k = cursor.peek() as HexKey | undefined) {
      if (this.writes.get(k) !== null) this.writes.set(k, null);
    }
  }

  keys(prefix: HexKey, options?: KeysOptions): HexKey[] {
    this.assertOpen();
    const limit = options?.limit ?? Infinity;
    const startKey = options?.startKey;
    const out: HexKey[] = [];
    if (limit <= 0) return out;
    this.flushIndex();

    const own = startKey !== undefined && startKey >= prefix ? this.index.cursor(startKey, true) : this.index.cursor(prefix, false);
    const page = limit === Infinity ? undefined : Math.max(MIN_PARENT_PAGE, limit);
    let batch = this.parent.keys(prefix, page === undefined ? (startKey === undefined ? undefined : { startKey }) : { startKey, limit: page });
    let bi = 0;
    let parentDone = page === undefined || batch.length < page;

    while (out.length < limit) {
      if (bi === batch.length && !parentDone) {
        batch = this.parent.keys(prefix, { startKey: batch[batch.length - 1]!, limit: page });
        bi = 0;
        parentDone = batch.length < page!;
      }
      const pk = bi < batch.length ? batch[bi] : undefined;
      let ok = own.peek() as HexKey | undefined;
      if (ok !== undefined && !ok.startsWith(prefix)) ok = undefined;
      if (ok === undefined && pk === undefined) break;
      if (ok !== undefined && (pk === undefined || ok <= pk)) {
        own.next();
        if (ok === pk) bi++;
        if (this.writes.get(ok) !== null) out.push(ok);
      } else {
        // pk < every remaining own key, so this layer never wrote it: the parent's key stands.
        bi++;
        out.push(pk!);
      }
    }
    return out;
  }

  /**
   * A nested overlay reading through this one. Until it is committed or discarded this overlay is
   * read-only (writes and a second `child()` throw `OverlayBusy`).
   */
  child(): StateOverlay {
    this.assertWritable();
    const c = new StateOverlay(this);
    c.owner = this;
    c.nesting = this.nesting + 1;
    this.openChild = c;
    return c;
  }

  /** Merges this child's writes into its parent overlay and closes it. */
  commit(): void {
    this.assertOpen();
    const owner = this.owner;
    if (owner === null) throw new StateError('NotAChildOverlay', 'commit() is for child overlays; commit a root overlay with VersionedStore.commitBlock(n, overlay.changes())');
    if (this.openChild !== null) throw new StateError('OverlayBusy', 'commit() while a child overlay is still open');
    owner.openChild = null;
    for (const [k, v] of this.writes) owner.write(k, v);
    this.close('committed');
  }

  /** Drops this overlay's writes and closes it (its parent becomes writable again). */
  discard(): void {
    this.assertOpen();
    if (this.openChild !== null) this.openChild.discard();
    if (this.owner !== null) this.owner.openChild = null;
    this.close('discarded');
  }

  /**
   * Runs `fn` in a child overlay: commits it when `fn` returns, discards it and rethrows when `fn`
   * throws. Returns what `fn` returned.
   */
  transaction<T>(fn: (tx: StateOverlay) => T): T {
    const tx = this.child();
    let result: T;
    try {
      result = fn(tx);
    } catch (err) {
      if (tx.isOpen) tx.discard();
      throw err;
    }
    if (tx.isOpen) tx.commit();
    return result;
  }

  /** This layer's writes (a copy): bytes for sets, `null` for deletions, in first-write order. */
  changes(): StateChanges {
    this.assertOpen();
    return new Map(this.writes);
  }

  private write(key: HexKey, value: Uint8Array | null): void {
    if (!this.writes.has(key)) this.pending.push(key);
    this.writes.set(key, value);
  }

  private flushIndex(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    if (pending.length > 64 && pending.length * 4 > this.index.size) {
      // Bulk path: re-sort everything this layer wrote (the index is exactly writes' keys).
      this.index = SortedKeySet.fromSorted([...this.writes.keys()].sort());
    } else {
      pending.sort();
      for (const k of pending) this.index.add(k);
    }
  }

  private close(status: OverlayStatus): void {
    this.status = status;
    this.writes.clear();
    this.index.clear();
    this.pending = [];
  }

  private assertOpen(): void {
    if (this.status !== 'open') throw new StateError('OverlayClosed', `overlay already ${this.status}`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.openChild !== null) throw new StateError('OverlayBusy', 'overlay has an open child overlay; commit or discard it first');
  }
}
