/**
 * The storage items the runtime touches, declared once with their JS shapes (per the localnet/scale
 * mapping). Handles are built from the metadata on first use.
 */
import { loadRuntimeMetadata } from '../metadata';
import { storageItem, type StorageItem } from './storage';
import type { AccountId, EventRecord, Hex, Weight } from './primitives';

export interface AccountData {
  readonly free: bigint;
  readonly reserved: bigint;
  readonly frozen: bigint;
  readonly flags: bigint;
}

export interface AccountInfo {
  readonly nonce: number;
  readonly consumers: number;
  readonly providers: number;
  readonly sufficients: number;
  readonly data: AccountData;
}

export interface PerDispatchClassWeight {
  readonly normal: Weight;
  readonly operational: Weight;
  readonly mandatory: Weight;
}

function defineItems() {
  const meta = loadRuntimeMetadata();
  const item = <K extends unknown[], V>(pallet: string, name: string): StorageItem<K, V> => storageItem<K, V>(meta, pallet, name);
  return {
    System: {
      Account: item<[AccountId], AccountInfo>('System', 'Account'),
      Number: item<[], number>('System', 'Number'),
      ParentHash: item<[], Hex>('System', 'ParentHash'),
      BlockHash: item<[number], Hex>('System', 'BlockHash'),
      Events: item<[], EventRecord[]>('System', 'Events'),
      EventCount: item<[], number>('System', 'EventCount'),
      ExtrinsicCount: item<[], number | null>('System', 'ExtrinsicCount'),
      AllExtrinsicsLen: item<[], number | null>('System', 'AllExtrinsicsLen'),
      BlockWeight: item<[], PerDispatchClassWeight>('System', 'BlockWeight'),
      Digest: item<[], { logs: unknown[] }>('System', 'Digest'),
      LastRuntimeUpgrade: item<[], { spec_version: number; spec_name: string } | null>('System', 'LastRuntimeUpgrade'),
      UpgradedToU32RefCount: item<[], boolean>('System', 'UpgradedToU32RefCount'),
      UpgradedToTripleRefCount: item<[], boolean>('System', 'UpgradedToTripleRefCount'),
    },
    Timestamp: {
      Now: item<[], bigint>('Timestamp', 'Now'),
      DidUpdate: item<[], boolean>('Timestamp', 'DidUpdate'),
    },
    Balances: {
      TotalIssuance: item<[], bigint>('Balances', 'TotalIssuance'),
    },
    TransactionPayment: {
      NextFeeMultiplier: item<[], bigint>('TransactionPayment', 'NextFeeMultiplier'),
    },
    Sudo: {
      Key: item<[], AccountId | null>('Sudo', 'Key'),
    },
    SubtensorModule: {
      TotalIssuance: item<[], bigint>('SubtensorModule', 'TotalIssuance'),
    },
  } as const;
}

export type RuntimeItems = ReturnType<typeof defineItems>;

let items: RuntimeItems | undefined;

/** The runtime's storage handles (built once). */
export function runtimeItems(): RuntimeItems {
  items ??= defineItems();
  return items;
}
