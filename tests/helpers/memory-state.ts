/** An in-memory {@link StateWriter} for tests: a Map from raw keys to values, keys sorted on demand. */
import type { HexKey, StateWriter } from '../../localnet/state/types';

export class MemoryState implements StateWriter {
  readonly map = new Map<HexKey, Uint8Array>();

  get(key: HexKey): Uint8Array | null {
    return this.map.get(key) ?? null;
  }

  keys(prefix: HexKey, options: { readonly startKey?: HexKey; readonly limit?: number } = {}): HexKey[] {
    const out = [...this.map.keys()].filter((k) => k.startsWith(prefix) && (options.startKey === undefined || k > options.startKey)).sort();
    return options.limit === undefined ? out : out.slice(0, options.limit);
  }

  set(key: HexKey, value: Uint8Array): void {
    this.map.set(key, value);
  }

  delete(key: HexKey): void {
    this.map.delete(key);
  }

  clearPrefix(prefix: HexKey): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }
}
