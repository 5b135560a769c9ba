/**
 * An interface-level fake of `ChainBackend` for the RPC tests: a deterministic chain of blocks with
 * real SCALE headers (built with a default `TypeRegistry`, hashed with blake2-256 as the node does),
 * Map-backed state per block, a transaction pool, runtime calls and subtensor custom RPCs that return
 * real SCALE encodings. No runtime logic: storage writes come from `setStorage`, and the pool accepts
 * every extrinsic except those registered in `rejections`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TypeRegistry } from '@polkadot/types';
import { compactAddLength, u8aConcat, u8aToHex, hexToU8a, stringToU8a } from '@polkadot/util';
import { blake2AsHex, blake2AsU8a, xxhashAsHex } from '@polkadot/util-crypto';
import type {
  BlockRecord,
  ChainBackend,
  ChainEvents,
  ChainProperties,
  HexString,
  RuntimeVersion,
  TransactionStatus,
} from '../../../localnet/chain/backend';
import { ChainError } from '../../../localnet/chain/errors';
import type { RpcBackendExtensions } from '../../../localnet/rpc/backend';
import type { HexKey, StateReader } from '../../../localnet/state/types';

export const registry = new TypeRegistry();

/** twox128(pallet) ++ twox128(item). */
export function plainStorageKey(pallet: string, item: string): HexKey {
  return `${xxhashAsHex(pallet, 128)}${xxhashAsHex(item, 128).slice(2)}` as HexKey;
}

export const SYSTEM_NUMBER_KEY = plainStorageKey('System', 'Number');
/** A prefix with a handful of keys under it, for key listing and paging tests. */
export const TEST_PREFIX = plainStorageKey('Tensornet', 'TestMap');
export const TEST_KEYS: readonly HexKey[] = [0, 1, 2, 3, 4].map((i) => `${TEST_PREFIX}${i.toString(16).padStart(8, '0')}` as HexKey);

/** The metadata files the fake can serve (localnet's spec 219; the dynamic-TAO testnet runtime, spec 233). */
export const METADATA_FILES = {
  219: join(__dirname, '..', '..', '..', 'localnet', 'metadata', 'subtensor-spec219-finney.scale'),
  233: join(__dirname, '..', '..', '..', 'localnet', 'metadata', 'subtensor-spec224-testnet.scale'),
} as const;

function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function u64le(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

class MapStateReader implements StateReader {
  constructor(private readonly map: ReadonlyMap<HexKey, Uint8Array>) {}

  get(key: HexKey): Uint8Array | null {
    return this.map.get(key) ?? null;
  }

  keys(prefix: HexKey, options: { readonly startKey?: HexKey; readonly limit?: number } = {}): HexKey[] {
    const { startKey, limit } = options;
    const keys = [...this.map.keys()].filter((key) => key.startsWith(prefix) && (startKey === undefined || key > startKey)).sort();
    return limit === undefined ? keys : keys.slice(0, limit);
  }
}

interface PoolEntry {
  readonly bytes: Uint8Array;
  readonly hash: HexString;
  readonly onStatus: ((status: TransactionStatus) => void) | undefined;
}

const API_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['Core', 4],
  ['Metadata', 2],
  ['BlockBuilder', 6],
  ['TaggedTransactionQueue', 3],
  ['AccountNonceApi', 1],
  ['TransactionPaymentApi', 4],
];

export class FakeChainBackend implements ChainBackend, RpcBackendExtensions {
  readonly chainName = 'Tensornet Localnet';
  readonly nodeName = 'tensornet-localnet';
  readonly nodeVersion = '0.1.0-test';
  readonly properties: ChainProperties = { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
  readonly genesisHash: HexString;

  /** `subnetInfo_getLockCost`'s value (rao). */
  lockCost = 1_000_000_000_000n;
  /** Subnets that exist (custom RPCs answer "absent" for others). */
  readonly subnets = new Set<number>([0, 1]);
  /** `accountNextIndex` answers, by address. */
  readonly nonces = new Map<string, number>();
  /** Extrinsics (hex) the pool refuses, with the reason. */
  readonly rejections = new Map<HexString, string>();
  /** When set, `submitExtrinsic` seals a block before it resolves (statuses arrive early). */
  autoSeal = false;
  /** Errors to throw from a backend method, to test the internal-error path. */
  readonly faults = new Map<'metadata' | 'runtimeCall' | 'customRpc', Error>();

  #specVersion: number;
  readonly #metadataFile: string;
  readonly #blocks: BlockRecord[] = [];
  readonly #byHash = new Map<HexString, BlockRecord>();
  readonly #states = new Map<HexString, ReadonlyMap<HexKey, Uint8Array>>();
  readonly #changes = new Map<HexString, readonly HexKey[]>();
  readonly #pendingWrites = new Map<HexKey, Uint8Array | null>();
  #pool: PoolEntry[] = [];
  readonly #listeners: { [E in keyof ChainEvents]: Set<ChainEvents[E]> } = { newBlock: new Set(), finalized: new Set() };

  /** `runtime`: which real runtime's metadata (and spec version) the fake reports. */
  constructor(options: { readonly runtime?: keyof typeof METADATA_FILES } = {}) {
    this.#specVersion = options.runtime ?? 219;
    this.#metadataFile = METADATA_FILES[options.runtime ?? 219];
    const state = new Map<HexKey, Uint8Array>([[SYSTEM_NUMBER_KEY, u32le(0)]]);
    TEST_KEYS.forEach((key, i) => state.set(key, new Uint8Array([i, i, i])));
    const genesis = this.#seal(0, `0x${'00'.repeat(32)}`, state, [], [...state.keys()]);
    this.genesisHash = genesis.hash;
  }

  /** Queues a storage write (`null` deletes) for the next block. */
  setStorage(key: HexKey, value: Uint8Array | null): void {
    this.#pendingWrites.set(key, value);
  }

  /** Total listeners registered through `on` (for leak checks). */
  listenerCount(): number {
    return this.#listeners.newBlock.size + this.#listeners.finalized.size;
  }

  /** Changes the reported spec version (a runtime upgrade) from the next call on. */
  setSpecVersion(version: number): void {
    this.#specVersion = version;
  }

  /** Drops every pooled transaction, reporting `dropped`. */
  dropPending(reason: string): void {
    const pool = this.#pool;
    this.#pool = [];
    for (const tx of pool) tx.onStatus?.({ type: 'dropped', reason });
  }

  bestBlock(): BlockRecord {
    const best = this.#blocks[this.#blocks.length - 1];
    if (best === undefined) throw new Error('no blocks');
    return best;
  }

  finalizedBlock(): BlockRecord {
    return this.bestBlock();
  }

  blockByHash(hash: HexString): BlockRecord | undefined {
    return this.#byHash.get(hash);
  }

  blockByNumber(number: number): BlockRecord | undefined {
    return this.#blocks[number];
  }

  stateAt(hash?: HexString): StateReader {
    const at = hash ?? this.bestBlock().hash;
    const state = this.#states.get(at);
    if (state === undefined) throw new ChainError('UnknownBlock', `State already discarded for ${at}`, { hash: at });
    return new MapStateReader(state);
  }

  changedKeys(hash: HexString): readonly HexKey[] {
    return this.#changes.get(hash) ?? [];
  }

  metadata(): Uint8Array {
    const fault = this.faults.get('metadata');
    if (fault !== undefined) throw fault;
    return new Uint8Array(readFileSync(this.#metadataFile));
  }

  runtimeVersion(): RuntimeVersion {
    return {
      specName: 'node-subtensor',
      implName: 'node-subtensor',
      authoringVersion: 1,
      specVersion: this.#specVersion,
      implVersion: 1,
      apis: API_NAMES.map(([name, version]) => [blake2AsHex(name, 64), version] as const),
      transactionVersion: 1,
      stateVersion: 1,
    };
  }

  accountNextIndex(address: string): number {
    return this.nonces.get(address) ?? 0;
  }

  async submitExtrinsic(extrinsic: Uint8Array, onStatus?: (status: TransactionStatus) => void): Promise<HexString> {
    const hex = u8aToHex(extrinsic);
    const reason = this.rejections.get(hex);
    if (reason !== undefined) throw new ChainError('InvalidTransaction', reason);
    const hash = blake2AsHex(extrinsic, 256);
    if (this.#pool.some((tx) => tx.hash === hash)) throw new ChainError('InvalidTransaction', 'Transaction Already Imported');
    this.#pool.push({ bytes: extrinsic, hash, onStatus });
    if (this.autoSeal) await this.newBlock();
    return hash;
  }

  pendingExtrinsics(): readonly Uint8Array[] {
    return this.#pool.map((tx) => tx.bytes);
  }

  runtimeCall(method: string, args: Uint8Array, at?: HexString): Uint8Array {
    this.stateAt(at);
    const fault = this.faults.get('runtimeCall');
    if (fault !== undefined) throw fault;
    switch (method) {
      case 'Core_version': {
        const v = this.runtimeVersion();
        return registry.createType('RuntimeVersion', { ...v, apis: v.apis.map(([id, version]) => [id, version]) }).toU8a();
      }
      case 'TransactionPaymentApi_query_info': {
        // (uxt, len: u32): the fee grows with the length the caller reports.
        const len = new DataView(args.buffer, args.byteOffset + args.length - 4, 4).getUint32(0, true);
        return registry
          .createType('RuntimeDispatchInfoV2', {
            weight: { refTime: 125_000_000 + len * 1_000, proofSize: 1_000 + len },
            class: 'Normal',
            partialFee: 2_000_000 + len * 1_000,
          })
          .toU8a();
      }
      default:
        throw new ChainError('UnknownRuntimeCall', `Exported method ${method} is not found`);
    }
  }

  customRpc(method: string, params: readonly unknown[], at?: HexString): Uint8Array | null {
    this.stateAt(at);
    const fault = this.faults.get('customRpc');
    if (fault !== undefined) throw fault;
    const [first, second] = params;
    const netuid = typeof first === 'number' ? first : -1;
    switch (method) {
      case 'subnetInfo_getLockCost':
        return u64le(this.lockCost);
      case 'subnetInfo_getSubnetInfo':
      case 'subnetInfo_getSubnetHyperparams':
        return this.subnets.has(netuid) ? registry.createType('(Compact<u16>, Compact<u16>)', [netuid, 360]).toU8a() : null;
      case 'subnetInfo_getSubnetsInfo':
        return registry.createType('Vec<Option<Compact<u16>>>', [...this.subnets]).toU8a();
      case 'neuronInfo_getNeuronsLite':
      case 'neuronInfo_getNeurons':
        return registry.createType('Vec<Compact<u16>>', this.subnets.has(netuid) ? [0, 1, 2] : []).toU8a();
      case 'neuronInfo_getNeuronLite':
      case 'neuronInfo_getNeuron':
        return this.subnets.has(netuid) && typeof second === 'number' && second < 3
          ? registry.createType('(Compact<u16>, Compact<u16>)', [netuid, second]).toU8a()
          : null;
      case 'delegateInfo_getDelegates':
        return registry.createType('Vec<AccountId>', []).toU8a();
      case 'delegateInfo_getDelegate':
      case 'delegateInfo_getDelegated': {
        const account = Uint8Array.from(Array.isArray(first) ? (first as number[]) : []);
        if (account.length !== 32) throw new ChainError('InvalidParams', 'delegate account: expected 32 bytes');
        return method === 'delegateInfo_getDelegate' ? null : registry.createType('Vec<AccountId>', [account]).toU8a();
      }
      default:
        throw new ChainError('UnknownRpc', method);
    }
  }

  async newBlock(): Promise<BlockRecord> {
    const parent = this.bestBlock();
    const parentState = this.#states.get(parent.hash) ?? new Map<HexKey, Uint8Array>();
    const state = new Map(parentState);
    const number = parent.number + 1;
    for (const [key, value] of this.#pendingWrites) {
      if (value === null) state.delete(key);
      else state.set(key, value);
    }
    this.#pendingWrites.clear();
    state.set(SYSTEM_NUMBER_KEY, u32le(number));
    const changed = [...new Set([...parentState.keys(), ...state.keys()])]
      .filter((key) => {
        const before = parentState.get(key);
        const after = state.get(key);
        return before === undefined || after === undefined ? before !== after : u8aToHex(before) !== u8aToHex(after);
      })
      .sort();
    const included = this.#pool;
    this.#pool = [];
    const block = this.#seal(number, parent.hash, state, included.map((tx) => tx.bytes), changed);
    for (const listener of [...this.#listeners.newBlock]) listener(block);
    for (const tx of included) tx.onStatus?.({ type: 'inBlock', blockHash: block.hash });
    for (const listener of [...this.#listeners.finalized]) listener(block);
    for (const tx of included) tx.onStatus?.({ type: 'finalized', blockHash: block.hash });
    return block;
  }

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): () => void {
    const set = this.#listeners[event] as Set<ChainEvents[E]>;
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  #seal(number: number, parentHash: HexString, state: Map<HexKey, Uint8Array>, extrinsics: readonly Uint8Array[], changed: readonly HexKey[]): BlockRecord {
    const sorted = [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const stateRoot = blake2AsU8a(u8aConcat(...sorted.flatMap(([key, value]) => [hexToU8a(key), value])), 256);
    const extrinsicsRoot = blake2AsU8a(u8aConcat(...extrinsics), 256);
    const slot = new Uint8Array(8);
    new DataView(slot.buffer).setBigUint64(0, BigInt(number) + 1_000n, true);
    const header = registry.createType('Header', {
      parentHash,
      number,
      stateRoot,
      extrinsicsRoot,
      digest: {
        logs: [
          { PreRuntime: [u8aToHex(stringToU8a('aura')), u8aToHex(slot)] },
          { Seal: [u8aToHex(stringToU8a('aura')), u8aToHex(blake2AsU8a(slot, 512))] },
        ],
      },
    });
    const block: BlockRecord = {
      hash: header.hash.toHex(),
      number,
      parentHash,
      header: header.toU8a(),
      extrinsics,
    };
    this.#blocks.push(block);
    this.#byHash.set(block.hash, block);
    this.#states.set(block.hash, state);
    this.#changes.set(block.hash, changed);
    return block;
  }
}

/** A SCALE `Vec<u8>`-style test extrinsic: a compact length prefix and `body`. */
export function testExtrinsic(body: string): Uint8Array {
  return compactAddLength(stringToU8a(body));
}
