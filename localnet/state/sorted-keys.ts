/**
 * An ordered set of strings kept as a list of sorted chunks (the "sorted list of lists" layout):
 * `add`/`delete`/`has` cost O(log n) comparisons plus an O(chunk size) array shift (a memmove of at
 * most 2 × `load` pointers), and ordered iteration from any bound costs O(log n) to seek and O(1)
 * per key. It is the ordered key index behind `StateOverlay.keys` and `VersionedStore.keys`.
 *
 * Strings compare with `<` (UTF-16 code units), which for lowercase hex keys is byte order.
 */

const DEFAULT_LOAD = 512;

/** Index of the first element of sorted `arr` that is `>= key` (`arr.length` when none). */
function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of sorted `arr` that is `> key` (`arr.length` when none). */
function upperBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A forward cursor over a {@link SortedKeySet}. It is invalidated by any mutation of the set: finish
 * (or drop) a cursor before adding or deleting keys.
 */
export class SortedKeyCursor {
  /** @internal */
  constructor(
    private readonly chunks: readonly (readonly string[])[],
    private ci: number,
    private i: number,
  ) {
    this.normalize();
  }

  private normalize(): void {
    while (this.ci < this.chunks.length && this.i >= this.chunks[this.ci]!.length) {
      this.ci++;
      this.i = 0;
    }
  }

  /** The key under the cursor, or `undefined` at the end. */
  peek(): string | undefined {
    return this.ci < this.chunks.length ? this.chunks[this.ci]![this.i] : undefined;
  }

  /** Moves to the next key. */
  next(): void {
    this.i++;
    if (this.i >= this.chunks[this.ci]!.length) {
      this.ci++;
      this.i = 0;
      this.normalize();
    }
  }
}

/** An ordered set of strings (see the module comment for costs). */
export class SortedKeySet {
  private chunks: string[][] = [];
  /** `maxes[i]` is the last (largest) key of `chunks[i]`. */
  private maxes: string[] = [];
  private count = 0;
  private readonly load: number;

  /** @param load target chunk size; a chunk splits at 2 × `load` keys. */
  constructor(load: number = DEFAULT_LOAD) {
    if (!Number.isInteger(load) || load < 2) throw new RangeError(`SortedKeySet load must be an integer >= 2, got ${load}`);
    this.load = load;
  }

  /** Builds a set from keys that are already strictly ascending (not checked beyond a debug assert). */
  static fromSorted(keys: readonly string[], load: number = DEFAULT_LOAD): SortedKeySet {
    const set = new SortedKeySet(load);
    for (let i = 0; i < keys.length; i += load) {
      const chunk = keys.slice(i, i + load);
      set.chunks.push(chunk);
      set.maxes.push(chunk[chunk.length - 1]!);
    }
    set.count = keys.length;
    return set;
  }

  /** Number of keys. */
  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose max is `>= key` (`chunks.length` when `key` is above all). */
  private chunkFor(key: string): number {
    return lowerBound(this.maxes, key);
  }

  has(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci === this.chunks.length) return false;
    const chunk = this.chunks[ci]!;
    return chunk[lowerBound(chunk, key)] === key;
  }

  /** Adds `key`; returns false when it was already present. */
  add(key: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.maxes.push(key);
      this.count = 1;
      return true;
    }
    let ci = this.chunkFor(key);
    let chunk: string[];
    if (ci === this.chunks.length) {
      ci--;
      chunk = this.chunks[ci]!;
      chunk.push(key);
      this.maxes[ci] = key;
    } else {
      chunk = this.chunks[ci]!;
      const i = lowerBound(chunk, key);
      if (chunk[i] === key) return false;
      chunk.splice(i, 0, key);
    }
    this.count++;
    if (chunk.length > 2 * this.load) {
      const tail = chunk.splice(this.load);
      this.chunks.splice(ci + 1, 0, tail);
      this.maxes[ci] = chunk[chunk.length - 1]!;
      this.maxes.splice(ci + 1, 0, tail[tail.length - 1]!);
    }
    return true;
  }

  /** Removes `key`; returns false when it was absent. */
  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    if (ci === this.chunks.length) return false;
    const chunk = this.chunks[ci]!;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(ci, 1);
      this.maxes.splice(ci, 1);
      return true;
    }
    if (i === chunk.length) this.maxes[ci] = chunk[chunk.length - 1]!;
    // Merge an underfull chunk into its right neighbour so chunks stay near `load` on average.
    if (chunk.length < this.load >>> 1 && ci + 1 < this.chunks.length) {
      const next = this.chunks[ci + 1]!;
      if (chunk.length + next.length <= 2 * this.load) {
        for (const k of next) chunk.push(k);
        this.maxes[ci] = next[next.length - 1]!;
        this.chunks.splice(ci + 1, 1);
        this.maxes.splice(ci + 1, 1);
      }
    }
    return true;
  }

  /** Removes every key. */
  clear(): void {
    this.chunks = [];
    this.maxes = [];
    this.count = 0;
  }

  /** A cursor at the first key `>= bound` (or `> bound` when `exclusive`). */
  cursor(bound: string, exclusive = false): SortedKeyCursor {
    const ci = exclusive ? upperBound(this.maxes, bound) : lowerBound(this.maxes, bound);
    if (ci === this.chunks.length) return new SortedKeyCursor(this.chunks, ci, 0);
    const chunk = this.chunks[ci]!;
    return new SortedKeyCursor(this.chunks, ci, exclusive ? upperBound(chunk, bound) : lowerBound(chunk, bound));
  }

  /** All keys in ascending order. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** Internal consistency check for tests: chunks sorted, non-empty, maxes right, count right. */
  checkInvariants(): void {
    let n = 0;
    let prev: string | undefined;
    if (this.chunks.length !== this.maxes.length) throw new Error('chunks/maxes length mismatch');
    this.chunks.forEach((chunk, ci) => {
      if (chunk.length === 0) throw new Error(`empty chunk ${ci}`);
      if (chunk.length > 2 * this.load) throw new Error(`oversized chunk ${ci}`);
      for (const k of chunk) {
        if (prev !== undefined && !(prev < k)) throw new Error(`order violated at ${k}`);
        prev = k;
        n++;
      }
      if (this.maxes[ci] !== chunk[chunk.length - 1]) throw new Error(`stale max for chunk ${ci}`);
    });
    if (n !== this.count) throw new Error(`count ${this.count} != ${n}`);
  }
}
