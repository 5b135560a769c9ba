/**
 * The chain state as Substrate stores it: a flat key-value map from raw storage keys
 * (twox128(pallet) ++ twox128(item) ++ hashed map keys) to SCALE-encoded values.
 */

/** A storage key (or key prefix) as 0x-prefixed lowercase hex. */
export type HexKey = `0x${string}`;

/** Read access to one version of the state. */
export interface StateReader {
  /** The SCALE bytes at `key`, or `null` when the key is absent. */
  get(key: HexKey): Uint8Array | null;
  /**
   * Keys that start with `prefix`, in ascending byte order (= ascending hex order), strictly after
   * `startKey` when given, at most `limit` of them when given.
   */
  keys(prefix: HexKey, options?: { readonly startKey?: HexKey; readonly limit?: number }): HexKey[];
}

/** Read-write access; writes are buffered by the implementation until committed. */
export interface StateWriter extends StateReader {
  set(key: HexKey, value: Uint8Array): void;
  delete(key: HexKey): void;
  /** Delete every key that starts with `prefix`. */
  clearPrefix(prefix: HexKey): void;
}

/** The writes a block (or an extrinsic) made: value bytes, or `null` for a deletion. */
export type StateChanges = ReadonlyMap<HexKey, Uint8Array | null>;
