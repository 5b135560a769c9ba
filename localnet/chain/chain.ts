/**
 * The localnet chain: builds blocks from the pool on a timer or on demand, finalizes them instantly,
 * keeps the last 256 blocks queryable, persists every block before reporting it, and replays the
 * block log on restart.
 */
import type { Header } from '@polkadot/types/interfaces';
import { u8aConcat, compactToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, decodeAddress } from '@polkadot/util-crypto';
import { EventEmitter } from 'node:events';
import { BlockLog } from '../persistence/block-log';
import type { SnapshotData } from '../persistence/snapshot';
import { Runtime } from '../runtime';
import { runtimeApiCall } from '../runtime/api';
import type { RuntimeConfig, RuntimeContext } from '../runtime/context';
import { TransactionValidityError } from '../runtime/errors';
import { applyExtrinsic, transactionFee, validateSigned } from '../runtime/executive';
import { EXISTENTIAL_DEPOSIT } from '../runtime/pallets/balances';
import { runtimeItems } from '../runtime/items';
import { subtensorCustomRpc } from '../runtime/pallets/subtensor/rpc';
import type { AccountId, Hex } from '../runtime/primitives';
import { EMPTY_STATE, StateOverlay } from '../state/overlay';
import { VersionedStore } from '../state/store';
import type { HexKey, StateReader } from '../state/types';
import type { BlockRecord, ChainBackend, ChainEvents, ChainProperties, HexString, RuntimeVersion, TransactionStatus } from './backend';
import { ChainError } from './errors';
import { checkExtrinsic, type CheckedExtrinsic, type SignatureEnv } from './extrinsic';
import { writeGenesis, type GenesisConfig } from './genesis';
import { PoolError, TransactionPool, type PoolLimits, type PoolStatus } from './pool';

/** Blocks whose state stays queryable (the head and 256 before it). */
export const RETAINED_BLOCKS = 257;
/** Extrinsics per block at most (besides inherents). */
export const MAX_BLOCK_EXTRINSICS = 4096;
/** Blocks between state snapshots in the data dir (restart replays at most this + 256 blocks). */
export const DEFAULT_SNAPSHOT_INTERVAL = 1000;
/** The nominal slot length used for timestamps in manual-seal mode. */
export const NOMINAL_BLOCK_MS = 12_000;

export interface ChainOptions {
  /** ms between blocks; 0 = manual seal (blocks only through `newBlock()` / `dev_newBlock`). @default 12000 */
  readonly blockTimeMs?: number;
  /** Persist blocks here and resume from them on start; undefined keeps everything in memory. */
  readonly dataDir?: string;
  /** Write a full state snapshot every this many blocks. @default 1000 */
  readonly snapshotInterval?: number;
  readonly genesis?: GenesisConfig;
  /** Runtime settings (e.g. the tempo of new subnets). @default DEFAULT_RUNTIME_CONFIG */
  readonly runtimeConfig?: RuntimeConfig;
  /** Transaction pool bounds; unset ones take Substrate's defaults (see `DEFAULT_POOL_LIMITS`). */
  readonly pool?: Partial<PoolLimits>;
  /** Extra runtime setup (pallet registration) applied before genesis is built. */
  readonly configureRuntime?: (runtime: Runtime) => void;
  /** Called with the runtime context of the genesis state, after the base genesis is written. */
  readonly extendGenesis?: (state: StateOverlay, runtime: Runtime) => void;
}

interface StoredBlock extends BlockRecord {
  readonly timestamp: bigint;
}

export class Chain implements ChainBackend {
  readonly chainName = 'Bittensor localnet';
  readonly nodeName = 'tensornet-localnet';
  readonly nodeVersion = '0.1.0';
  readonly properties: ChainProperties = Object.freeze({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' });

  readonly runtime: Runtime;
  private store = new VersionedStore({ retainBlocks: RETAINED_BLOCKS });
  private readonly pool: TransactionPool;
  private readonly emitter = new EventEmitter();
  private readonly blocksByHash = new Map<HexString, StoredBlock>();
  private readonly blocksByNumber = new Map<number, StoredBlock>();
  private genesis!: StoredBlock;
  private best!: StoredBlock;
  private log: BlockLog | undefined;
  private timer: NodeJS.Timeout | undefined;
  private building: Promise<BlockRecord> | undefined;
  private closed = false;
  /** How the chain resumed from its data dir: the snapshot block it started from and the blocks replayed. */
  resumed: { readonly snapshotBlock: number | null; readonly replayedBlocks: number } = { snapshotBlock: null, replayedBlocks: 0 };

  private constructor(private readonly options: ChainOptions) {
    this.runtime = new Runtime(options.runtimeConfig);
    this.pool = new TransactionPool(options.pool);
    options.configureRuntime?.(this.runtime);
    this.emitter.setMaxListeners(0);
  }

  /** Creates the chain: genesis, then the persisted blocks of `dataDir` replayed, then block production. */
  static async start(options: ChainOptions = {}): Promise<Chain> {
    await cryptoWaitReady();
    const chain = new Chain(options);
    chain.buildGenesis();
    if (options.dataDir) chain.openLog(options.dataDir);
    chain.schedule();
    return chain;
  }

  get genesisHash(): HexString {
    return this.genesis.hash;
  }

  // ---- ChainBackend: blocks and state ------------------------------------------------------------

  bestBlock(): BlockRecord {
    return this.best;
  }

  finalizedBlock(): BlockRecord {
    return this.best;
  }

  blockByHash(hash: HexString): BlockRecord | undefined {
    return this.blocksByHash.get(hash.toLowerCase() as HexString);
  }

  blockByNumber(number: number): BlockRecord | undefined {
    return this.blocksByNumber.get(number);
  }

  stateAt(hash?: HexString): StateReader {
    const block = hash === undefined ? this.best : this.blockByHash(hash);
    if (!block) throw new ChainError('UnknownBlock', `unknown block ${hash}`);
    if (!this.store.has(block.number)) throw new ChainError('UnknownBlock', `the state of block ${block.number} (${block.hash}) has been pruned; only the last ${RETAINED_BLOCKS} blocks are kept`);
    return this.store.at(block.number);
  }

  changedKeys(hash: HexString): readonly HexKey[] {
    const block = this.blockByHash(hash);
    if (!block || !this.store.has(block.number)) return [];
    return this.store.changedKeys(block.number);
  }

  metadata(): Uint8Array {
    return this.runtime.meta.bytes;
  }

  runtimeVersion(): RuntimeVersion {
    return this.runtime.version;
  }

  runtimeCall(method: string, args: Uint8Array, at?: HexString): Uint8Array {
    return runtimeApiCall(this.runtime, method, args, { state: this.stateAt(at), signature: this.signatureEnv() });
  }

  customRpc(method: string, params: readonly unknown[], at?: HexString): Uint8Array | null {
    const block = at === undefined ? this.best : this.blockByHash(at);
    if (!block) throw new ChainError('UnknownBlock', `unknown block ${at}`);
    return subtensorCustomRpc(method, params, this.stateAt(block.hash), block.number);
  }

  // ---- ChainBackend: transactions ----------------------------------------------------------------

  accountNextIndex(address: string): number {
    let who: AccountId;
    try {
      who = u8aToHex(decodeAddress(address)) as AccountId;
    } catch {
      throw new ChainError('InvalidParams', `not an SS58 address or account id: ${address}`);
    }
    return this.pool.nextNonce(who, this.accountNonce(who));
  }

  async submitExtrinsic(bytes: Uint8Array, onStatus?: (status: TransactionStatus) => void): Promise<HexString> {
    if (this.closed) throw new ChainError('InvalidTransaction', 'the node is shutting down');
    const ext = this.check(bytes);
    if (!ext.signed) throw new ChainError('InvalidTransaction', `${ext.pallet}.${ext.method} cannot be submitted unsigned`, { reason: 'Call' });
    if (!this.runtime.dispatcher.supports(ext.pallet, ext.method)) {
      throw new ChainError('InvalidTransaction', `localnet does not implement ${ext.pallet}.${ext.method}`, { reason: 'Call' });
    }
    const account = runtimeItems().System.Account.get(this.store.head(), ext.signed.signer);
    const accountNonce = account.nonce;
    try {
      if (ext.signed.nonce < accountNonce) throw new TransactionValidityError('Stale', `Transaction is outdated: nonce ${ext.signed.nonce} < the account's next nonce ${accountNonce}`);
      if (ext.signed.nonce === accountNonce) this.withHeadContext((ctx) => validateSigned(ctx, ext));
      this.pool.add(
        { ext, ...(onStatus ? { onStatus } : {}) },
        { accountNonce, payable: account.data.free - EXISTENTIAL_DEPOSIT, fee: transactionFee(ext), blockNumber: this.best.number },
      );
    } catch (err) {
      if (err instanceof PoolError) {
        throw new ChainError('InvalidTransaction', err.message, { reason: err.reason, rpcCode: err.rpcCode, rpcMessage: err.rpcMessage, ...(err.rpcData === undefined ? {} : { rpcData: err.rpcData }) });
      }
      if (err instanceof TransactionValidityError) throw new ChainError('InvalidTransaction', err.message, { reason: err.reason });
      throw err;
    }
    return ext.hash;
  }

  /** How full the transaction pool is (transactions, ready/future, bytes). */
  poolStatus(): PoolStatus {
    return this.pool.status();
  }

  /** The bounds the transaction pool enforces. */
  get poolLimits(): PoolLimits {
    return this.pool.limits;
  }

  pendingExtrinsics(): Uint8Array[] {
    return this.pool.pending().map((e) => e.bytes);
  }

  // ---- block production --------------------------------------------------------------------------

  /** Builds, persists and announces one block (serialized with any block in progress). */
  newBlock(): Promise<BlockRecord> {
    if (this.closed) return Promise.reject(new ChainError('InvalidParams', 'the node is closed'));
    const run = (this.building ?? Promise.resolve()).then(() => this.produce());
    this.building = run.finally(() => {
      if (this.building === run) this.building = undefined;
    }) as Promise<BlockRecord>;
    return run;
  }

  /** Listeners currently attached (RPC subscriptions hold one each): lets tests see that none leaked. */
  listenerCount(event: keyof ChainEvents): number {
    return this.emitter.listenerCount(event);
  }

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.building?.catch(() => undefined);
    for (const tx of this.pool.pending()) this.pool.remove(tx.hash);
    this.log?.close();
    this.log = undefined;
    this.emitter.removeAllListeners();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private accountNonce(who: string): number {
    return runtimeItems().System.Account.get(this.store.head(), who as AccountId).nonce;
  }

  private signatureEnv(): SignatureEnv {
    return {
      genesisHash: this.genesis.hash,
      specVersion: this.runtime.version.specVersion,
      transactionVersion: this.runtime.version.transactionVersion,
      blockNumber: this.best.number + 1,
      blockHash: (n) => this.blocksByNumber.get(n)?.hash,
    };
  }

  private check(bytes: Uint8Array): CheckedExtrinsic {
    try {
      return checkExtrinsic(this.runtime.meta, bytes, this.signatureEnv());
    } catch (err) {
      if (err instanceof TransactionValidityError) throw new ChainError('InvalidTransaction', err.message, { reason: err.reason });
      throw err;
    }
  }

  /** Runs `fn` against a throwaway context on top of the head state (for validation). */
  private withHeadContext<T>(fn: (ctx: RuntimeContext) => T): T {
    const overlay = new StateOverlay(this.store.head());
    try {
      return fn(this.runtime.context(overlay, { number: this.best.number + 1, parentHash: this.best.hash }));
    } finally {
      overlay.discard();
    }
  }

  private buildGenesis(): void {
    const overlay = new StateOverlay(EMPTY_STATE);
    writeGenesis(overlay, this.options.genesis);
    this.options.extendGenesis?.(overlay, this.runtime);
    const { stateRoot } = this.store.commitBlock(0, overlay.changes());
    this.genesis = this.record(0, new Uint8Array(32), stateRoot, [], 0n);
    this.best = this.genesis;
  }

  private openLog(dir: string): void {
    const interval = this.options.snapshotInterval ?? DEFAULT_SNAPSHOT_INTERVAL;
    // Keep enough snapshots that one lies at least RETAINED_BLOCKS back, so the whole query window is replayed.
    const { log, snapshot, replay } = BlockLog.open(dir, { minReplayBlocks: RETAINED_BLOCKS, keepSnapshots: Math.ceil(RETAINED_BLOCKS / interval) + 1 });
    this.log = log;
    if (snapshot) this.restoreSnapshot(snapshot);
    this.resumed = { snapshotBlock: snapshot?.blockNumber ?? null, replayedBlocks: replay.length };
    for (const record of replay) {
      const timestamp = new DataView(record.payload.buffer, record.payload.byteOffset, 8).getBigUint64(0, true);
      const block = this.execute(record.extrinsics.slice(1), timestamp, { replay: true });
      if (u8aToHex(block.header) !== u8aToHex(record.header)) {
        throw new ChainError('UnknownBlock', `replaying block ${record.number} from ${dir} gave a different header: the data dir was written by a different genesis or runtime`);
      }
    }
  }

  /** Resumes from a snapshot: its state (root-checked) and its block as the new best block. */
  private restoreSnapshot(snapshot: SnapshotData): void {
    const timestamp = new DataView(snapshot.meta.buffer, snapshot.meta.byteOffset, 8).getBigUint64(0, true);
    const header = snapshot.meta.subarray(8);
    this.store = VersionedStore.fromEntries(snapshot.blockNumber, snapshot.entries, { retainBlocks: RETAINED_BLOCKS, expectedRoot: snapshot.stateRoot });
    const decoded = this.runtime.meta.registry.createType<Header>('Header', header);
    const block: StoredBlock = {
      hash: u8aToHex(blake2AsU8a(header, 256)) as HexString,
      number: snapshot.blockNumber,
      parentHash: decoded.parentHash.toHex() as HexString,
      header,
      extrinsics: this.log!.read(snapshot.blockNumber).extrinsics,
      timestamp,
    };
    this.blocksByHash.set(block.hash, block);
    this.blocksByNumber.set(block.number, block);
    this.best = block;
  }

  private maybeSnapshot(block: StoredBlock): void {
    const interval = this.options.snapshotInterval ?? DEFAULT_SNAPSHOT_INTERVAL;
    if (!this.log || interval <= 0 || block.number % interval !== 0) return;
    const meta = new Uint8Array(8 + block.header.length);
    new DataView(meta.buffer).setBigUint64(0, block.timestamp, true);
    meta.set(block.header, 8);
    this.log.writeSnapshot({ blockNumber: block.number, stateRoot: this.store.stateRoot(block.number), meta, entries: this.store.entries() });
  }

  private schedule(): void {
    const ms = this.options.blockTimeMs ?? NOMINAL_BLOCK_MS;
    if (ms <= 0 || this.closed) return;
    this.timer = setTimeout(() => {
      this.newBlock()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, ms);
  }

  private nextTimestamp(): bigint {
    const parent = this.best.timestamp;
    const manual = (this.options.blockTimeMs ?? NOMINAL_BLOCK_MS) <= 0;
    if (manual) return parent === 0n ? BigInt(NOMINAL_BLOCK_MS) : parent + BigInt(NOMINAL_BLOCK_MS);
    const now = BigInt(Date.now());
    return now > parent ? now : parent + 1n;
  }

  private async produce(): Promise<BlockRecord> {
    const timestamp = this.nextTimestamp();
    const candidates = this.pool.ready((s) => this.accountNonce(s)).slice(0, MAX_BLOCK_EXTRINSICS);
    const block = this.execute(
      candidates.map((t) => t.ext),
      timestamp,
      { replay: false },
    );
    const included = new Set(block.extrinsicHashes);
    const statuses: Array<[PooledStatus, TransactionStatus]> = [];
    for (const tx of candidates) {
      if (included.has(tx.ext.hash)) {
        this.pool.remove(tx.ext.hash);
        if (tx.onStatus) statuses.push([tx.onStatus, { type: 'inBlock', blockHash: block.hash }], [tx.onStatus, { type: 'finalized', blockHash: block.hash }]);
      } else if (block.rejected.has(tx.ext.hash)) {
        this.pool.remove(tx.ext.hash);
        tx.onStatus?.({ type: 'invalid', reason: block.rejected.get(tx.ext.hash)! });
      }
    }
    this.pool.prune((s) => this.accountNonce(s), block.number + 1);
    this.emitter.emit('newBlock', block);
    this.emitter.emit('finalized', block);
    for (const [notify, status] of statuses) notify(status);
    return block;
  }

  /**
   * Executes a block on top of the best block: inherents, then `extrinsics` in order (skipping any
   * that are no longer applicable), commits its state, persists and stores it.
   */
  private execute(extrinsics: readonly (CheckedExtrinsic | Uint8Array)[], timestamp: bigint, mode: { replay: boolean }): ExecutedBlock {
    const number = this.best.number + 1;
    const overlay = new StateOverlay(this.store.head());
    const ctx = this.runtime.context(overlay, { number, parentHash: this.best.hash });
    this.runtime.initializeBlock(ctx);
    const inherent = this.timestampInherent(timestamp);
    const body: Uint8Array[] = [inherent.bytes];
    const hashes: Hex[] = [];
    const rejected = new Map<Hex, string>();
    applyExtrinsic(ctx, this.runtime.dispatcher, inherent, 0);
    for (const item of extrinsics) {
      const ext = item instanceof Uint8Array ? this.check(item) : item;
      try {
        ctx.transactional(() => applyExtrinsic(ctx, this.runtime.dispatcher, ext, body.length));
        body.push(ext.bytes);
        hashes.push(ext.hash);
      } catch (err) {
        if (!(err instanceof TransactionValidityError)) throw err;
        if (mode.replay) throw new ChainError('InvalidTransaction', `a logged extrinsic is no longer applicable: ${err.message}`);
        if (err.reason !== 'Future') rejected.set(ext.hash, err.message);
      }
    }
    this.runtime.finalizeBlock(ctx);
    const { stateRoot } = this.store.commitBlock(number, overlay.changes());
    const block = this.record(number, decodeHash(this.best.hash), stateRoot, body, timestamp);
    const payload = new Uint8Array(8);
    new DataView(payload.buffer).setBigUint64(0, timestamp, true);
    if (!mode.replay) this.log?.append({ number, header: block.header, extrinsics: block.extrinsics, payload });
    this.best = block;
    if (!mode.replay) this.maybeSnapshot(block);
    return { ...block, extrinsicHashes: hashes, rejected };
  }

  private timestampInherent(now: bigint): CheckedExtrinsic {
    const { registry } = this.runtime.meta;
    const call = registry.createType('Call', { callIndex: this.runtime.meta.callIndex('Timestamp', 'set'), args: { now } });
    const bytes = registry.createType('Extrinsic', call).toU8a();
    return { bytes, hash: u8aToHex(blake2AsU8a(bytes, 256)) as Hex, signed: null, call: { Timestamp: { set: { now } } }, pallet: 'Timestamp', method: 'set' };
  }

  private record(number: number, parentHash: Uint8Array, stateRoot: Uint8Array, extrinsics: Uint8Array[], timestamp: bigint): StoredBlock {
    const extrinsicsRoot = blake2AsU8a(u8aConcat(compactToU8a(extrinsics.length), ...extrinsics), 256);
    const header = this.runtime.meta.registry
      .createType('Header', { parentHash, number, stateRoot, extrinsicsRoot, digest: { logs: [] } })
      .toU8a();
    const hash = u8aToHex(blake2AsU8a(header, 256)) as HexString;
    const block: StoredBlock = { hash, number, parentHash: u8aToHex(parentHash) as HexString, header, extrinsics, timestamp };
    this.blocksByHash.set(hash, block);
    this.blocksByNumber.set(number, block);
    const expired = this.blocksByNumber.get(number - RETAINED_BLOCKS);
    if (expired && expired.number !== 0) {
      this.blocksByNumber.delete(expired.number);
      this.blocksByHash.delete(expired.hash);
    }
    return block;
  }
}

type PooledStatus = (status: TransactionStatus) => void;

interface ExecutedBlock extends StoredBlock {
  readonly extrinsicHashes: readonly Hex[];
  readonly rejected: ReadonlyMap<Hex, string>;
}

function decodeHash(hash: HexString): Uint8Array {
  return Uint8Array.from(Buffer.from(hash.slice(2), 'hex'));
}
