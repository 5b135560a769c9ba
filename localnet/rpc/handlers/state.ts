/** `state_*`: metadata, runtime version, storage reads and subscriptions, runtime calls. */
import { z } from 'zod';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import type { HexKey } from '../../state/types';
import { runtimeVersionJson } from '../codec';
import { RpcError, unsafeRpcCalled } from '../errors';
import type { Json } from '../json';
import { method, param, subscription, unsafe, unsubscription, type RpcEntry } from '../method';
import { blockHash, hexBytes, optional, storageKey, u32 } from '../schemas';
import { blockAt, guardListener } from './shared';

/** The most keys `state_getKeysPaged` returns per call (Substrate's `STORAGE_KEYS_PAGED_MAX_COUNT`). */
export const STORAGE_KEYS_PAGED_MAX_COUNT = 1000;

const at = param('at', optional(blockHash));

const getMetadata = method([at], ({ backend }, [hash]) => {
  blockAt(backend, hash);
  return u8aToHex(backend.metadata());
});

const getRuntimeVersion = method([at], ({ backend }, [hash]) => {
  blockAt(backend, hash);
  return runtimeVersionJson(backend.runtimeVersion());
});

const subscribeRuntimeVersion = subscription({
  params: [],
  notification: 'state_runtimeVersion',
  unsubscribe: 'state_unsubscribeRuntimeVersion',
  start: ({ backend, logger }, _args, sink) => {
    let last = JSON.stringify(runtimeVersionJson(backend.runtimeVersion()));
    sink.notify(runtimeVersionJson(backend.runtimeVersion()));
    return backend.on(
      'newBlock',
      guardListener(logger, 'state_runtimeVersion', () => {
        const version = runtimeVersionJson(backend.runtimeVersion());
        const text = JSON.stringify(version);
        if (text !== last) {
          last = text;
          sink.notify(version);
        }
      }),
    );
  },
});

const getStorage = method([param('key', storageKey), at], ({ backend }, [key, hash]) => {
  const value = backend.stateAt(hash).get(key);
  return value === null ? null : u8aToHex(value);
});

const getStorageHash = method([param('key', storageKey), at], ({ backend }, [key, hash]) => {
  const value = backend.stateAt(hash).get(key);
  return value === null ? null : blake2AsHex(value, 256);
});

/**
 * The value's size; for a key with no value, the summed sizes of the values under it as a prefix
 * (as Substrate does), or null when there are none.
 */
const getStorageSize = method([param('key', storageKey), at], ({ backend }, [key, hash]) => {
  const reader = backend.stateAt(hash);
  const value = reader.get(key);
  if (value !== null) return value.length;
  const children = reader.keys(key);
  if (children.length === 0) return null;
  return children.reduce((sum, child) => sum + (reader.get(child)?.length ?? 0), 0);
});

const getKeysPaged = method(
  [param('prefix', optional(storageKey)), param('count', u32), param('startKey', optional(storageKey)), at],
  ({ backend }, [prefix, count, startKey, hash]) => {
    if (count > STORAGE_KEYS_PAGED_MAX_COUNT) {
      throw new RpcError('InvalidCount', `count exceeds maximum value. value: ${count}, max: ${STORAGE_KEYS_PAGED_MAX_COUNT}`);
    }
    return backend.stateAt(hash).keys(prefix ?? '0x', { startKey, limit: count });
  },
);

const queryStorageAt = method([param('keys', z.array(storageKey, 'expected an array of storage keys')), at], ({ backend }, [keys, hash]) => {
  const block = blockAt(backend, hash);
  const reader = backend.stateAt(block.hash);
  const changes = keys.map((key): Json => {
    const value = reader.get(key);
    return [key, value === null ? null : u8aToHex(value)];
  });
  return [{ block: block.hash, changes }];
});

/**
 * `state_queryStorage(keys, from, to = best)`, as Substrate answers it: one change set per block of the
 * range `from..=to` in which a key's value differs from the block before — the first block lists every
 * key (null when absent), blocks without changes are left out. Only keys the block wrote are compared,
 * so the cost is the first block's reads plus the range's changes.
 */
const queryStorage = method(
  [param('keys', z.array(storageKey, 'expected an array of storage keys')), param('fromBlock', blockHash), param('toBlock', optional(blockHash))],
  ({ backend }, [keys, fromHash, toHash]) => {
    const from = blockAt(backend, fromHash);
    const to = blockAt(backend, toHash);
    const range = (details: string): RpcError => new RpcError('InvalidBlockRange', `Invalid block range: ${from.hash}..${to.hash}: ${details}`);
    if (from.number > to.number) throw range(`from number > to number (${from.number} > ${to.number})`);
    if (backend.blockByNumber(from.number)?.hash !== from.hash || backend.blockByNumber(to.number)?.hash !== to.hash) throw range('the blocks are not on the canonical chain');
    const last = new Map<HexKey, string | null>();
    const first = backend.stateAt(from.hash);
    const sets: Json[] = [];
    const firstChanges = keys.map((key): Json => {
      const value = first.get(key);
      const hex = value === null ? null : u8aToHex(value);
      last.set(key, hex);
      return [key, hex];
    });
    sets.push({ block: from.hash, changes: firstChanges });
    for (let number = from.number + 1; number <= to.number; number++) {
      const block = backend.blockByNumber(number);
      if (block === undefined) throw range(`block ${number} is no longer served`);
      const reader = backend.stateAt(block.hash);
      const changes: Json[] = [];
      for (const key of backend.changedKeys(block.hash)) {
        if (!last.has(key)) continue;
        const value = reader.get(key);
        const hex = value === null ? null : u8aToHex(value);
        if (hex === last.get(key)) continue;
        last.set(key, hex);
        changes.push([key, hex]);
      }
      if (changes.length > 0) sets.push({ block: block.hash, changes });
    }
    return sets;
  },
);

/**
 * `state_storage` notifications: with keys, one with every key's current value (null when absent)
 * right away, then one per new block listing those of the keys it changed; without keys (or an
 * empty list), one per new block listing every key it changed (an unsafe call, as on Substrate).
 */
const subscribeStorage = subscription({
  params: [param('keys', optional(z.array(storageKey, 'expected an array of storage keys')))],
  notification: 'state_storage',
  unsubscribe: 'state_unsubscribeStorage',
  start: ({ backend, logger, denyUnsafe }, [keys], sink) => {
    const watched = keys === undefined || keys.length === 0 ? undefined : new Set<HexKey>(keys);
    // Substrate: subscribing to every key is unsafe.
    if (watched === undefined && denyUnsafe) throw unsafeRpcCalled();
    if (watched !== undefined) {
      const best = backend.bestBlock();
      const reader = backend.stateAt(best.hash);
      sink.notify({ block: best.hash, changes: [...watched].map((key): Json => valueChange(key, reader.get(key))) });
    }
    return backend.on(
      'newBlock',
      guardListener(logger, 'state_storage', (block) => {
        const changed = backend.changedKeys(block.hash).filter((key) => watched === undefined || watched.has(key));
        if (changed.length === 0) return;
        const reader = backend.stateAt(block.hash);
        sink.notify({ block: block.hash, changes: changed.map((key): Json => valueChange(key, reader.get(key))) });
      }),
    );
  },
});

function valueChange(key: HexKey, value: Uint8Array | null): Json {
  return [key, value === null ? null : u8aToHex(value)];
}

const call = method(
  [param('method', z.string('expected a runtime API method name, e.g. Core_version')), param('data', hexBytes), at],
  ({ backend }, [name, data, hash]) => u8aToHex(backend.runtimeCall(name, hexToU8a(data), hash)),
);

export const stateHandlers = {
  state_getMetadata: getMetadata,
  state_getRuntimeVersion: getRuntimeVersion,
  chain_getRuntimeVersion: getRuntimeVersion,
  state_subscribeRuntimeVersion: subscribeRuntimeVersion,
  chain_subscribeRuntimeVersion: subscribeRuntimeVersion,
  state_unsubscribeRuntimeVersion: unsubscription('state_runtimeVersion'),
  chain_unsubscribeRuntimeVersion: unsubscription('state_runtimeVersion'),

  state_getStorage: getStorage,
  state_getStorageAt: getStorage,
  state_getStorageHash: getStorageHash,
  state_getStorageHashAt: getStorageHash,
  state_getStorageSize: getStorageSize,
  state_getStorageSizeAt: getStorageSize,
  state_getKeys: method([param('prefix', storageKey), at], ({ backend }, [prefix, hash]) => backend.stateAt(hash).keys(prefix)),
  state_getKeysPaged: getKeysPaged,
  state_getKeysPagedAt: getKeysPaged,
  state_queryStorageAt: queryStorageAt,
  // Unsafe on a Substrate node (unbounded work per call), refused with the state module's 4003.
  state_queryStorage: unsafe(queryStorage, 'ClientError'),
  state_subscribeStorage: subscribeStorage,
  state_unsubscribeStorage: unsubscription('state_storage'),

  state_call: call,
  state_callAt: call,
} satisfies Record<string, RpcEntry>;
