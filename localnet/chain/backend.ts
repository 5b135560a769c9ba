/**
 * What the JSON-RPC layer needs from the chain. The chain implements it; the RPC handlers are thin
 * adapters from JSON-RPC methods to these calls (hex/JSON encoding, subscriptions, errors).
 */
import type { HexKey, StateReader } from '../state/types';

export type HexString = `0x${string}`;

/** One block as the node keeps it. */
export interface BlockRecord {
  readonly hash: HexString;
  readonly number: number;
  readonly parentHash: HexString;
  /** SCALE-encoded `Header` (decodable with the runtime registry's `Header` type). */
  readonly header: Uint8Array;
  /** SCALE-encoded extrinsics, in block order (each is a full `Extrinsic` encoding with its length prefix). */
  readonly extrinsics: readonly Uint8Array[];
}

/** Transaction lifecycle as `author_submitAndWatchExtrinsic` reports it. */
export type TransactionStatus =
  | { readonly type: 'ready' }
  | { readonly type: 'inBlock'; readonly blockHash: HexString }
  | { readonly type: 'finalized'; readonly blockHash: HexString }
  | { readonly type: 'invalid'; readonly reason: string }
  | { readonly type: 'dropped'; readonly reason: string };

export interface RuntimeVersion {
  readonly specName: string;
  readonly implName: string;
  readonly authoringVersion: number;
  readonly specVersion: number;
  readonly implVersion: number;
  /** `[blake2_64(api name) as 0x hex, version]` pairs. */
  readonly apis: ReadonlyArray<readonly [HexString, number]>;
  readonly transactionVersion: number;
  readonly stateVersion: number;
}

export interface ChainProperties {
  readonly ss58Format: number;
  readonly tokenDecimals: number;
  readonly tokenSymbol: string;
}

/** A chain event the RPC layer forwards to subscribers. */
export interface ChainEvents {
  /** A new best block was imported (with instant finality it is also finalized right after). */
  newBlock(block: BlockRecord): void;
  finalized(block: BlockRecord): void;
}

export interface ChainBackend {
  readonly chainName: string;
  readonly nodeName: string;
  readonly nodeVersion: string;
  readonly properties: ChainProperties;
  readonly genesisHash: HexString;

  bestBlock(): BlockRecord;
  finalizedBlock(): BlockRecord;
  /** A block among those the node still serves (the last 256 and genesis), or undefined. */
  blockByHash(hash: HexString): BlockRecord | undefined;
  blockByNumber(number: number): BlockRecord | undefined;

  /**
   * The state after block `hash` (default: best). Throws a `ChainError` with code `UnknownBlock`
   * when the block is unknown or its state has been pruned.
   */
  stateAt(hash?: HexString): StateReader;
  /** Keys changed by block `hash` (for `state_subscribeStorage` notifications). */
  changedKeys(hash: HexString): readonly HexKey[];

  /** SCALE-encoded metadata (the `Metadata` type, magic + V14). */
  metadata(): Uint8Array;
  runtimeVersion(): RuntimeVersion;

  /** Next nonce for an SS58 address or 0x account id, counting transactions waiting in the pool. */
  accountNextIndex(address: string): number;

  /**
   * Validate and queue an extrinsic. Resolves with its hash; rejects with a `ChainError`
   * (code `InvalidTransaction`) carrying a readable reason when it can never be included.
   * `onStatus` receives the lifecycle after `ready` (which the resolved promise itself signals).
   */
  submitExtrinsic(extrinsic: Uint8Array, onStatus?: (status: TransactionStatus) => void): Promise<HexString>;

  /** `state_call`: a runtime API call by name (e.g. `Core_version`) with SCALE args, at a block. */
  runtimeCall(method: string, args: Uint8Array, at?: HexString): Uint8Array;

  /**
   * Subtensor's custom RPCs (`neuronInfo_getNeuronsLite`, `subnetInfo_getSubnetInfo`, …): the method name
   * and its JSON params (without the trailing block hash), at a block. Returns the SCALE bytes the real
   * node returns (the RPC layer sends them as a JSON array of numbers), or `null` for an absent Option.
   */
  customRpc(method: string, params: readonly unknown[], at?: HexString): Uint8Array | null;

  /** Build one block now (manual-seal / `dev_newBlock`). */
  newBlock(): Promise<BlockRecord>;

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): () => void;
}
