/**
 * Typed access to FRAME storage items over a {@link StateReader} / {@link StateWriter}: raw keys
 * as Substrate builds them (`twox128(pallet) ++ twox128(item) ++ hasher(key)…`) and SCALE values
 * through the compiled codecs of `localnet/scale`. Stateless: every call reads or writes the view.
 *
 * @example
 * const Tempo = storageItem<[netuid: number], number>(meta, 'SubtensorModule', 'Tempo');
 * Tempo.get(view, 1); // 99 (the metadata default) until set
 * Tempo.set(view, 1, 360);
 * const Axons = storageItem<[netuid: number, hotkey: string], AxonInfo | null>(meta, 'SubtensorModule', 'Axons');
 */
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { TensornetError } from '../../common/errors';
import type { RuntimeMetadata, StorageEntryInfo, StorageHasherName } from '../metadata';
import { ScaleError, hexDigits, hexToBytes } from '../scale';
import type { ScaleCodec } from '../scale';
import type { HexKey, StateReader, StateWriter } from '../state/types';

/**
 * - `KeyArity`: the number of map keys passed does not match the item's hashers.
 * - `OpaqueHasher`: a key cannot be recovered from its hash (`Blake2_128`, `Blake2_256`, `Twox128`, `Twox256`).
 * - `InvalidKey`: a raw key does not belong to the item or does not decode.
 * - `InvalidValue`: the stored bytes do not decode as the item's value type.
 */
export type StorageErrorCode = 'KeyArity' | 'OpaqueHasher' | 'InvalidKey' | 'InvalidValue';

/** A storage access that cannot be carried out (see {@link StorageErrorCode}). */
export class StorageError extends TensornetError<StorageErrorCode> {}

/** The prefixes of a key tuple: `[a, b]` → `[] | [a] | [a, b]`. */
export type KeyPrefix<K extends readonly unknown[]> = K extends readonly [...infer Head, unknown] ? K | KeyPrefix<Head> : K;

/**
 * One storage item. `K` is the tuple of map keys (`[]` for a plain value), `V` the value; both
 * are the caller's assertion. For items with the `Optional` modifier declare `V` as `T | null`:
 * `get` returns null for absent keys and `set(…, null)` deletes.
 */
export interface StorageItem<K extends readonly unknown[], V> {
  readonly entry: StorageEntryInfo;
  /** The codec of the stored value type. */
  readonly valueCodec: ScaleCodec<V>;
  /** The full raw key of one entry. Throws `StorageError` (`KeyArity`) for a wrong number of keys. */
  key(...keys: K): HexKey;
  /** The raw key prefix shared by all entries whose first keys are `partialKeys` (none: the whole item). */
  prefix(...partialKeys: KeyPrefix<K>): HexKey;
  /** The decoded value, or the metadata default when absent (`null` for `Optional` items). */
  get(view: StateReader, ...keys: K): V;
  /** Whether a value is stored (`contains_key`). */
  has(view: StateReader, ...keys: K): boolean;
  /** Store a value (the keys, then the value). `null` deletes on `Optional` items. */
  set(view: StateWriter, ...keysAndValue: [...K, V]): void;
  /** Delete one entry. */
  remove(view: StateWriter, ...keys: K): void;
  /**
   * The stored entries under `partialKeys`, in raw-key order, with their decoded keys. Throws
   * `StorageError` (`OpaqueHasher`) when a key not given in `partialKeys` uses an opaque hasher.
   */
  entries(view: StateReader, ...partialKeys: KeyPrefix<K>): Array<[K, V]>;
  /** The decoded keys of the stored entries under `partialKeys` (as {@link entries}, without values). */
  keys(view: StateReader, ...partialKeys: KeyPrefix<K>): K[];
  /** Delete every entry under `partialKeys` (none: the whole item). */
  clear(view: StateWriter, ...partialKeys: KeyPrefix<K>): void;
  /** Recover the map keys from a full raw key of this item (see {@link entries} for opaque hashers). */
  decodeKey(key: HexKey): K;
}

/** Byte length of the hash a hasher puts before (concat hashers) or instead of (opaque hashers) the key. */
const HASH_LENGTH: Readonly<Record<StorageHasherName, number>> = {
  Identity: 0,
  Twox64Concat: 8,
  Blake2_128Concat: 16,
  Twox128: 16,
  Twox256: 32,
  Blake2_128: 16,
  Blake2_256: 32,
};

const OPAQUE: ReadonlySet<StorageHasherName> = new Set(['Twox128', 'Twox256', 'Blake2_128', 'Blake2_256']);

/** Hash an encoded key as `hasher` does, as hex digits (no `0x`). */
function hashKey(hasher: StorageHasherName, encoded: Uint8Array): string {
  switch (hasher) {
    case 'Identity':
      return hexDigits(encoded);
    case 'Twox64Concat':
      return hexDigits(xxhashAsU8a(encoded, 64)) + hexDigits(encoded);
    case 'Blake2_128Concat':
      return hexDigits(blake2AsU8a(encoded, 128)) + hexDigits(encoded);
    case 'Twox128':
      return hexDigits(xxhashAsU8a(encoded, 128));
    case 'Twox256':
      return hexDigits(xxhashAsU8a(encoded, 256));
    case 'Blake2_128':
      return hexDigits(blake2AsU8a(encoded, 128));
    case 'Blake2_256':
      return hexDigits(blake2AsU8a(encoded, 256));
  }
}

/** `twox128(pallet prefix) ++ twox128(item name)` of a storage entry. */
export function storagePrefix(entry: StorageEntryInfo): HexKey {
  const enc = new TextEncoder();
  return `0x${hexDigits(xxhashAsU8a(enc.encode(entry.prefix), 128))}${hexDigits(xxhashAsU8a(enc.encode(entry.name), 128))}`;
}

function isImmutable(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

/**
 * Bind storage item `pallet.item` of the metadata. Throws `MetadataError` (`UnknownPallet`,
 * `UnknownStorage`) when the metadata has no such item. Declare each item once (in a table) and
 * reuse it: construction compiles codecs and hashes the prefix.
 */
export function storageItem<K extends readonly unknown[], V>(meta: RuntimeMetadata, pallet: string, item: string): StorageItem<K, V> {
  const entry = meta.storageEntry(pallet, item);
  const { hashers, modifier } = entry;
  const arity = hashers.length;
  const itemName = `${pallet}.${item}`;
  const valueCodec = meta.codecs.codecFor<V>(entry.valueTypeId);
  const keyCodecs = entry.keyTypeIds.map((id) => meta.codecs.codecFor<unknown>(id));
  const itemPrefix = storagePrefix(entry);
  const optional = modifier === 'Optional';

  // A default of an immutable JS type (number, bigint, string, …) is decoded once; objects fresh per read.
  const defaultValue = optional ? null : valueCodec.decodeAll(entry.fallback);
  const sharedDefault = isImmutable(defaultValue);
  const readDefault = (): V => (optional ? (null as V) : sharedDefault ? (defaultValue as V) : valueCodec.decodeAll(entry.fallback));

  const buildKey = (keys: readonly unknown[], exact: boolean): HexKey => {
    if (exact ? keys.length !== arity : keys.length > arity) {
      throw new StorageError('KeyArity', `${itemName} takes ${arity} key(s), got ${keys.length}`, { item: itemName, arity, given: keys.length });
    }
    let hex: string = itemPrefix;
    for (let i = 0; i < keys.length; i++) hex += hashKey(hashers[i]!, keyCodecs[i]!.encode(keys[i]));
    return hex as HexKey;
  };

  const decodeValue = (key: HexKey, bytes: Uint8Array): V => {
    try {
      return valueCodec.decodeAll(bytes);
    } catch (cause) {
      const reason = cause instanceof ScaleError ? cause.message : String(cause);
      throw new StorageError('InvalidValue', `${itemName} at ${key}: ${reason}`, { item: itemName, key }, { cause });
    }
  };

  /** Decode the map keys of a raw key; positions below `given.length` may come from `given` (for opaque hashers). */
  const decodeKeyWith = (key: HexKey, given: readonly unknown[]): K => {
    if (!key.startsWith(itemPrefix)) {
      throw new StorageError('InvalidKey', `${key} is not a key of ${itemName}`, { item: itemName, key });
    }
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(key);
    } catch (cause) {
      throw new StorageError('InvalidKey', `${key} is not a hex key`, { item: itemName, key }, { cause });
    }
    const out = new Array<unknown>(arity);
    let offset = 32;
    for (let i = 0; i < arity; i++) {
      const hasher = hashers[i]!;
      const codec = keyCodecs[i]!;
      if (OPAQUE.has(hasher)) {
        if (i >= given.length) {
          throw new StorageError('OpaqueHasher', `${itemName} key ${i} uses ${hasher}, which cannot be decoded back; pass it as a partial key`, {
            item: itemName,
            position: i,
            hasher,
          });
        }
        out[i] = codec.decodeAll(codec.encode(given[i]));
        offset += HASH_LENGTH[hasher];
        continue;
      }
      offset += HASH_LENGTH[hasher];
      try {
        const d = codec.decode(bytes, offset);
        out[i] = d.value;
        offset = d.offset;
      } catch (cause) {
        throw new StorageError('InvalidKey', `${key}: key ${i} of ${itemName} does not decode`, { item: itemName, key, position: i }, { cause });
      }
    }
    if (offset !== bytes.length) {
      throw new StorageError('InvalidKey', `${key}: ${bytes.length - offset} trailing byte(s) after the keys of ${itemName}`, { item: itemName, key });
    }
    return out as unknown as K;
  };

  return {
    entry,
    valueCodec,
    key: (...keys) => buildKey(keys, true),
    prefix: (...partialKeys) => buildKey(partialKeys, false),
    get(view, ...keys) {
      const key = buildKey(keys, true);
      const bytes = view.get(key);
      return bytes === null ? readDefault() : decodeValue(key, bytes);
    },
    has: (view, ...keys) => view.get(buildKey(keys, true)) !== null,
    set(view, ...keysAndValue) {
      if (keysAndValue.length !== arity + 1) {
        throw new StorageError('KeyArity', `${itemName}.set takes ${arity} key(s) and a value, got ${keysAndValue.length} argument(s)`, {
          item: itemName,
          arity,
          given: keysAndValue.length - 1,
        });
      }
      const value = keysAndValue[arity] as V;
      const key = buildKey(keysAndValue.slice(0, arity), true);
      if (optional && value === null) view.delete(key);
      else view.set(key, valueCodec.encode(value));
    },
    remove(view, ...keys) {
      view.delete(buildKey(keys, true));
    },
    entries(view, ...partialKeys) {
      const prefix = buildKey(partialKeys, false);
      const out: Array<[K, V]> = [];
      for (const key of view.keys(prefix)) {
        const bytes = view.get(key);
        if (bytes === null) continue;
        out.push([decodeKeyWith(key, partialKeys), decodeValue(key, bytes)]);
      }
      return out;
    },
    keys(view, ...partialKeys) {
      const prefix = buildKey(partialKeys, false);
      return view.keys(prefix).map((key) => decodeKeyWith(key, partialKeys));
    },
    clear(view, ...partialKeys) {
      view.clearPrefix(buildKey(partialKeys, false));
    },
    decodeKey: (key) => decodeKeyWith(key, []),
  };
}
