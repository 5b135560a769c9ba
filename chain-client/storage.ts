/**
 * Batched storage reads: keys built and values decoded from the connected runtime's metadata, read with
 * `state_queryStorageAt` in chunks sent together.
 */
import type { Codec } from '@polkadot/types/types';
import { hexToU8a } from '@polkadot/util';
import type { ChainClient } from './connect';
import { ChainClientError, UnsupportedRuntimeError } from './errors';

/** Keys per `state_queryStorageAt` request (chunks of one batch are sent concurrently). */
export const STORAGE_CHUNK = 1024;

/** One storage item of the runtime: its key builder and value decoder. */
export interface StorageItem {
  readonly name: string;
  key(...args: readonly unknown[]): string;
  /** Decodes a value; an absent value decodes to the item's default, or null for optional items. */
  decode(hex: string | null): Codec | null;
}

interface StorageEntryLike {
  key(...args: unknown[]): string;
  creator: { meta: { type: { isPlain: boolean; asPlain: { toNumber(): number }; asMap: { value: { toNumber(): number } } }; modifier: { isOptional: boolean }; fallback: { toU8a(bare?: boolean): Uint8Array } } };
}

/** Most memoized keys per storage item (a 4096-uid metagraph needs ~4k per item). */
const KEY_MEMO_LIMIT = 65_536;

/**
 * The storage item `pallet.item` (metadata names, e.g. `SubtensorModule`, `Rank`).
 * @throws UnsupportedRuntimeError when the runtime has no such item
 */
export function storageItem(client: ChainClient, pallet: string, item: string): StorageItem {
  const runtime = client.runtime;
  if (!runtime.hasStorage(pallet, item)) throw new UnsupportedRuntimeError(`${pallet}.${item}`, runtime.identity.specVersion, 'the runtime has no such storage item');
  const section = pallet.charAt(0).toLowerCase() + pallet.slice(1);
  const method = item.charAt(0).toLowerCase() + item.slice(1);
  const entry = (client.api.query as unknown as Record<string, Record<string, StorageEntryLike> | undefined>)[section]?.[method];
  if (!entry) throw new UnsupportedRuntimeError(`${pallet}.${item}`, runtime.identity.specVersion, 'the API exposes no such storage item');
  const meta = entry.creator.meta;
  const registry = client.api.registry;
  const typeName = registry.createLookupType((meta.type.isPlain ? meta.type.asPlain : meta.type.asMap.value).toNumber());
  const optional = meta.modifier.isOptional;
  const fallback = optional ? null : meta.fallback.toU8a(true);
  const name = `${pallet}.${item}`;
  // Building a key encodes and hashes its arguments through @polkadot/types (tens of µs); a metagraph
  // asks for the same ~16k keys on every sync, so keys are memoized per argument list (bounded).
  const keys = new Map<string, string>();
  return {
    name,
    key: (...args) => {
      const id = memoId(args);
      if (id === undefined) return entry.key(...args);
      let key = keys.get(id);
      if (key === undefined) {
        key = entry.key(...args);
        if (keys.size >= KEY_MEMO_LIMIT) keys.clear();
        keys.set(id, key);
      }
      return key;
    },
    decode: (hex) => {
      if (hex === null && fallback === null) return null;
      try {
        return registry.createType(typeName, hex === null ? fallback! : hexToU8a(hex));
      } catch (err) {
        throw new ChainClientError('InvalidStorage', `${name}: value does not decode as ${typeName}`, { item: name }, { cause: err });
      }
    },
  };
}

/** The memo id of a key's arguments (primitives only; undefined for anything else). */
function memoId(args: readonly unknown[]): string | undefined {
  let id = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string' && typeof a !== 'number' && typeof a !== 'bigint') return undefined;
    id = i === 0 ? String(a) : `${id}\u0000${a}`;
  }
  return id;
}

/** The result of a batched read: values by key (null when absent) and the number of requests sent. */
export interface StorageRead {
  readonly values: ReadonlyMap<string, string | null>;
  readonly requests: number;
}

/** Reads `keys` at block `hash` with `state_queryStorageAt`, chunked, concurrently. */
export async function readStorage(client: ChainClient, keys: readonly string[], hash: string): Promise<StorageRead> {
  const values = new Map<string, string | null>();
  if (keys.length === 0) return { values, requests: 0 };
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += STORAGE_CHUNK) chunks.push(keys.slice(i, i + STORAGE_CHUNK));
  const answers = await Promise.all(chunks.map((chunk) => client.rpc<Array<{ block: string; changes: Array<[string, string | null]> }>>('state_queryStorageAt', [chunk, hash])));
  for (const answer of answers) for (const set of answer) for (const [key, value] of set.changes) values.set(key, value);
  for (const key of keys) if (!values.has(key)) values.set(key, null);
  return { values, requests: chunks.length };
}
