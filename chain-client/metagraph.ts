/**
 * `metagraph(client, {netuid})`: a subnet's neurons and consensus outputs read from storage in a few
 * batched `state_queryStorageAt` round trips, normalized as the reference SDK exposes them (u16 → [0, 1],
 * rao → {@link Balance}), with an incremental `sync()`.
 *
 * Round trips of a full read: the block header, the per-subnet vectors (+ `SubnetworkN`), the uid →
 * hotkey keys, then the per-hotkey items (owner, stake, axon) with the weight/bond rows when asked.
 * `sync()` re-reads the vectors, the known keys and the per-hotkey items in one round trip, and reads
 * more only for what changed: new or replaced uids, weight rows of uids whose `LastUpdate` moved
 * (every weight-setting call moves it), and bond rows when an epoch ran (`LastMechansimStepBlock` moved).
 * An unchanged head costs one request.
 *
 * Watch: from the first `sync()` on, the metagraph also keeps a storage subscription over every key it
 * reads (`storage-watch.ts`), so the node pushes each block's changed values and a sync to the head reads
 * only keys that are new (new or replaced uids): one request (the header) when nothing new registered.
 * When the subscription is not at the head (broken, behind for longer than `watchWaitMs`, refused by the
 * node), sync reads as above — never a stale value. `close()` ends the subscription.
 */
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { Balance } from './balance';
import type { ChainClient } from './connect';
import { ChainClientError, RequestTimeoutError } from './errors';
import { readStorage, storageItem, type StorageItem } from './storage';
import { storageWatch, type StorageWatch } from './storage-watch';

const PALLET = 'SubtensorModule';
const ZERO_ACCOUNT = `0x${'00'.repeat(32)}`;
const U16_MAX = 65535;

/** Parameters of {@link metagraph}. */
export interface MetagraphParameters {
  readonly netuid: number;
  /** Read at this block number instead of the best block (the node must still hold its state). */
  readonly block?: number;
  /** Also read the weight rows. @default false */
  readonly weights?: boolean;
  /** Also read the bond rows. @default false */
  readonly bonds?: boolean;
  /** Keep a storage subscription from the first `sync()` on, so later syncs read only new keys. @default true */
  readonly watch?: boolean;
  /** How long a sync waits for the subscription to deliver the head block before reading instead. @default 1000 */
  readonly watchWaitMs?: number;
}

/** The default of {@link MetagraphParameters.watchWaitMs}. */
export const DEFAULT_WATCH_WAIT_MS = 1000;

/** A neuron's axon, as `AxonInfo` on chain, with the IP rendered. */
export interface AxonInfo {
  readonly block: number;
  readonly version: number;
  /** Dotted IPv4 or IPv6 text; `0.0.0.0` when the neuron never served. */
  readonly ip: string;
  readonly port: number;
  /** 4 or 6 (0 when never served). */
  readonly ipType: number;
  readonly protocol: number;
  readonly placeholder1: number;
  readonly placeholder2: number;
  /** Whether the neuron has served an axon (ip ≠ 0). */
  readonly isServing: boolean;
}

/** A sparse row of u16 values as stored: `[uid, value]` pairs. */
export type SparseRow = ReadonlyArray<readonly [number, number]>;

/** The metagraph's data at one block. Per-uid arrays have length `n`; u16 quantities are in [0, 1]. */
export interface MetagraphData {
  readonly netuid: number;
  readonly block: number;
  readonly blockHash: string;
  readonly n: number;
  readonly uids: readonly number[];
  /** SS58 addresses. */
  readonly hotkeys: readonly string[];
  /** SS58 addresses of the hotkeys' owners. */
  readonly coldkeys: readonly string[];
  /**
   * Stake on each hotkey: its total stake (`TotalHotkeyStake`) before dynamic TAO; its alpha on this
   * subnet (`TotalHotkeyAlpha`, the SDK's `alpha_stake`, in alpha's 10⁻⁹ units) on dynamic-TAO runtimes.
   */
  readonly stake: readonly Balance[];
  readonly ranks: readonly number[];
  readonly trust: readonly number[];
  readonly consensus: readonly number[];
  readonly incentive: readonly number[];
  readonly dividends: readonly number[];
  /** rao emitted to each uid at the last epoch. */
  readonly emission: readonly Balance[];
  readonly validatorTrust: readonly number[];
  readonly validatorPermit: readonly boolean[];
  readonly lastUpdate: readonly number[];
  readonly active: readonly boolean[];
  readonly pruningScores: readonly number[];
  readonly axons: readonly AxonInfo[];
  /** Raw u16 weight rows (as set on chain), when asked for. */
  readonly weights: readonly SparseRow[] | undefined;
  /** Raw u16 bond rows, when asked for. */
  readonly bonds: readonly SparseRow[] | undefined;
}

/** What one read or sync did, for callers and tests that check incrementality. */
export interface SyncStats {
  readonly block: number;
  /** False when the block was the one already held (nothing re-read). */
  readonly changed: boolean;
  /** JSON-RPC requests sent. */
  readonly requests: number;
  /** Storage keys read. */
  readonly keysRead: number;
  /** Values taken from the storage subscription instead of being read. */
  readonly keysPushed: number;
}

/**
 * - `ChainClientError` `InvalidStorage`: the subnet does not exist or a value does not decode.
 * - `UnsupportedRuntimeError`: a storage item the metagraph reads is missing (a runtime with neither `TotalHotkeyStake` nor `TotalHotkeyAlpha`, …).
 * - `RequestTimeoutError`, `ChainClientError` `ClientClosed`.
 */
export type MetagraphErrorType = ChainClientError;

/**
 * Reads a subnet's metagraph.
 * @example
 * const mg = await metagraph(client, { netuid: 1, weights: true });
 * mg.incentive[3]; // 0.25
 * await mg.sync(); // cheap when nothing changed
 */
export async function metagraph(client: ChainClient, params: MetagraphParameters): Promise<Metagraph> {
  const graph = new Metagraph(client, params);
  await graph.sync(params.block === undefined ? {} : { block: params.block });
  return graph;
}

/** A storage value converted for the metagraph, with the raw hex it came from. */
interface Decoded {
  readonly hex: string | null;
  readonly value: unknown;
}

/** Vector items stored per subnet, in metadata names. */
const VECTORS = ['Rank', 'Trust', 'Consensus', 'Incentive', 'Dividends', 'Emission', 'ValidatorTrust', 'ValidatorPermit', 'LastUpdate', 'Active', 'PruningScores'] as const;
type VectorName = (typeof VECTORS)[number];

interface Items {
  readonly n: StorageItem;
  readonly step: StorageItem;
  readonly vectors: Readonly<Record<VectorName, StorageItem>>;
  readonly keys: StorageItem;
  readonly owner: StorageItem;
  readonly stake: StorageItem;
  /** The stake item's key arguments for a hotkey: `[hotkey]` (`TotalHotkeyStake`) or `[hotkey, netuid]` (`TotalHotkeyAlpha`). */
  readonly stakeArgs: (id: string) => readonly unknown[];
  readonly axons: StorageItem;
  readonly weights: StorageItem;
  readonly bonds: StorageItem;
}

interface State {
  readonly data: MetagraphData;
  /** Raw account ids (0x hex) per uid. */
  readonly hotkeyIds: readonly string[];
  readonly step: string | null;
}

/** A subnet's metagraph; `sync()` brings it to a newer (or given) block. */
export class Metagraph implements MetagraphData {
  private state: State | undefined;
  private items: Items | undefined;
  /**
   * Decoded values of the last sync by storage key, with the raw hex they came from: a value whose
   * bytes did not change is not decoded again (decoding, not transport, dominates a large read).
   */
  private decoded = new Map<string, Decoded>();
  /** Storage keys of a hotkey's per-hotkey items (hashing them is not free either). */
  private readonly hotkeyKeys = new Map<string, readonly string[]>();
  /** SS58 text of account ids (the checksum is a blake2b hash per address). */
  private ss58 = new Map<string, string>();
  private watch: StorageWatch | undefined;
  /** Set by `close()`, or when the node refused the subscription: syncs read everything. */
  private watchOff = false;
  /** The last sync started (they run one at a time). */
  private syncing: Promise<unknown> = Promise.resolve();

  /** @internal use {@link metagraph} */
  constructor(
    private readonly client: ChainClient,
    private readonly params: MetagraphParameters,
  ) {}

  private get d(): MetagraphData {
    if (!this.state) throw new ChainClientError('InvalidStorage', 'the metagraph has not been read yet');
    return this.state.data;
  }

  get netuid(): number { return this.params.netuid; }
  get block(): number { return this.d.block; }
  get blockHash(): string { return this.d.blockHash; }
  get n(): number { return this.d.n; }
  get uids(): readonly number[] { return this.d.uids; }
  get hotkeys(): readonly string[] { return this.d.hotkeys; }
  get coldkeys(): readonly string[] { return this.d.coldkeys; }
  get stake(): readonly Balance[] { return this.d.stake; }
  get ranks(): readonly number[] { return this.d.ranks; }
  get trust(): readonly number[] { return this.d.trust; }
  get consensus(): readonly number[] { return this.d.consensus; }
  get incentive(): readonly number[] { return this.d.incentive; }
  get dividends(): readonly number[] { return this.d.dividends; }
  get emission(): readonly Balance[] { return this.d.emission; }
  get validatorTrust(): readonly number[] { return this.d.validatorTrust; }
  get validatorPermit(): readonly boolean[] { return this.d.validatorPermit; }
  get lastUpdate(): readonly number[] { return this.d.lastUpdate; }
  get active(): readonly boolean[] { return this.d.active; }
  get pruningScores(): readonly number[] { return this.d.pruningScores; }
  get axons(): readonly AxonInfo[] { return this.d.axons; }
  get weights(): readonly SparseRow[] | undefined { return this.d.weights; }
  get bonds(): readonly SparseRow[] | undefined { return this.d.bonds; }

  /** Whether the storage subscription currently mirrors the metagraph's block (the next sync at a new head reads only new keys). */
  get watching(): boolean {
    return this.watch?.tip !== undefined;
  }

  /** Ends the storage subscription (later syncs read everything again). Idempotent. */
  async close(): Promise<void> {
    this.watchOff = true;
    const watch = this.watch;
    this.watch = undefined;
    await watch?.close();
  }

  /** The current data as a plain immutable object (safe to keep across syncs). */
  snapshot(): MetagraphData {
    return this.d;
  }

  /**
   * Brings the metagraph to the best block (or `block`), re-reading only what may have changed.
   * Concurrent calls run one after another (each sees the state the previous one left).
   * @throws see {@link MetagraphErrorType}
   */
  sync(options: { readonly block?: number } = {}): Promise<SyncStats> {
    const run = this.syncing.then(() => this.syncOnce(options));
    this.syncing = run.catch(() => undefined);
    return run;
  }

  private async syncOnce(options: { readonly block?: number }): Promise<SyncStats> {
    const client = this.client;
    let requests = 1;
    let hash: string;
    let number: number;
    if (options.block === undefined) {
      const header = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
      hash = header.hash.toHex();
      number = header.number.toNumber();
    } else {
      const blockHash = await client.rpc<string | null>('chain_getBlockHash', [options.block]);
      if (!blockHash) throw new ChainClientError('InvalidStorage', `block ${options.block} is not known to the node`, { block: options.block });
      hash = blockHash;
      number = options.block;
    }
    const prev = this.state;
    // A caller that syncs again is a repeated syncer: from here on the subscription is worth its cost.
    const useWatch = options.block === undefined && prev !== undefined && this.params.watch !== false && !this.watchOff;
    if (prev && prev.data.blockHash === hash) {
      if (useWatch && !this.watch && this.items) requests += await this.watchKeys(this.items, prev.data.n, prev.hotkeyIds);
      return { block: number, changed: false, requests, keysRead: 0, keysPushed: 0 };
    }
    const watch = useWatch ? this.watch : undefined;
    if (watch) await watch.reach(hash, number, this.params.watchWaitMs ?? DEFAULT_WATCH_WAIT_MS);

    const items = (this.items ??= loadItems(client, this.params.netuid));
    const netuid = this.params.netuid;
    let keysRead = 0;
    let keysPushed = 0;
    const read = async (keys: string[]): Promise<ReadonlyMap<string, string | null>> => {
      const out = new Map<string, string | null>();
      const missing: string[] = [];
      // One synchronous pass: the mirror cannot move to a later block in between.
      const mirror = watch !== undefined && watch.tip?.hash === hash ? watch : undefined;
      for (const key of keys) {
        if (mirror?.has(key)) out.set(key, mirror.value(key));
        else missing.push(key);
      }
      keysPushed += keys.length - missing.length;
      if (missing.length === 0) return out;
      const result = await readStorage(client, missing, hash);
      requests += result.requests;
      keysRead += missing.length;
      for (const [k, v] of result.values) out.set(k, v);
      return out;
    };

    // Round trip 1: the subnet's vectors, and (on sync) everything keyed by the uids and hotkeys already known.
    const nKey = items.n.key(netuid);
    const stepKey = items.step.key(netuid);
    const vectorKeys = VECTORS.map((v) => items.vectors[v].key(netuid));
    const knownUids = prev ? prev.data.n : 0;
    const first = [nKey, stepKey, ...vectorKeys];
    for (let uid = 0; uid < knownUids; uid++) first.push(items.keys.key(netuid, uid));
    const perHotkey = (id: string): readonly string[] => this.perHotkey(items, id);
    if (prev) for (const id of prev.hotkeyIds) first.push(...perHotkey(id));
    const values = new Map(await read(first));

    const n = num(items.n.decode(values.get(nKey) ?? null));
    if (n === 0 && !(await this.subnetExists(hash))) throw new ChainClientError('InvalidStorage', `subnet ${netuid} does not exist at block ${number}`, { netuid, block: number });

    // Round trip 2: the hotkeys of uids not known before.
    const newUidKeys: string[] = [];
    for (let uid = knownUids; uid < n; uid++) newUidKeys.push(items.keys.key(netuid, uid));
    if (newUidKeys.length > 0) for (const [k, v] of await read(newUidKeys)) values.set(k, v);
    const nextDecoded = new Map<string, Decoded>();
    /** A value converted for the metagraph, converted again only when its bytes changed since the last sync. */
    const derive = <T>(item: StorageItem, args: readonly unknown[], convert: (codec: Codec | null) => T): T => {
      const key = item.key(...args);
      const hex = values.get(key) ?? null;
      const cached = this.decoded.get(key);
      const entry = cached && cached.hex === hex ? cached : { hex, value: convert(item.decode(hex)) };
      nextDecoded.set(key, entry);
      return entry.value as T;
    };
    const accountHex = (codec: Codec | null): string => (codec === null ? ZERO_ACCOUNT : u8aToHex(codec.toU8a(true)));
    const hotkeyIds: string[] = [];
    for (let uid = 0; uid < n; uid++) hotkeyIds.push(derive(items.keys, [netuid, uid], accountHex));
    const changedUids = new Set<number>();
    for (let uid = 0; uid < n; uid++) if (!prev || uid >= prev.data.n || prev.hotkeyIds[uid] !== hotkeyIds[uid]) changedUids.add(uid);

    const vector = <T>(name: VectorName, convert: (codec: Codec | null) => T[], fill: T): readonly T[] => fit(derive(items.vectors[name], [netuid], convert), n, fill);
    const lastUpdate = vector('LastUpdate', u64Vector, 0);
    const step = values.get(stepKey) ?? null;
    const third: string[] = [];
    for (const uid of changedUids) third.push(...perHotkey(hotkeyIds[uid]!));
    const weightUids: number[] = [];
    if (this.params.weights) {
      for (let uid = 0; uid < n; uid++) {
        if (!prev?.data.weights || changedUids.has(uid) || prev.data.lastUpdate[uid] !== lastUpdate[uid]) weightUids.push(uid);
      }
      for (const uid of weightUids) third.push(items.weights.key(netuid, uid));
    }
    const bondUids: number[] = [];
    if (this.params.bonds) {
      const epochRan = !prev?.data.bonds || prev.step !== step;
      for (let uid = 0; uid < n; uid++) if (epochRan || changedUids.has(uid)) bondUids.push(uid);
      for (const uid of bondUids) third.push(items.bonds.key(netuid, uid));
    }
    // Round trip 3: per-hotkey items of new hotkeys, and the weight/bond rows that may have changed.
    if (third.length > 0) for (const [k, v] of await read(third)) values.set(k, v);

    const nextSs58 = new Map<string, string>();
    const address = (id: string): string => {
      let text = nextSs58.get(id) ?? this.ss58.get(id);
      if (text === undefined) text = encodeAddress(id, 42);
      nextSs58.set(id, text);
      return text;
    };
    const hotkeys = hotkeyIds.map(address);
    const coldkeys = hotkeyIds.map((id) => address(derive(items.owner, [id], accountHex)));
    const rows = (item: StorageItem, uids: readonly number[], previous: readonly SparseRow[] | undefined): SparseRow[] => {
      const out: SparseRow[] = [];
      for (let uid = 0; uid < n; uid++) out.push(previous?.[uid] ?? []);
      for (const uid of uids) out[uid] = derive(item, [netuid, uid], sparseRow);
      return out;
    };
    const data: MetagraphData = Object.freeze({
      netuid,
      block: number,
      blockHash: hash,
      n,
      uids: Array.from({ length: n }, (_, i) => i),
      hotkeys,
      coldkeys,
      stake: hotkeyIds.map((id) => derive(items.stake, items.stakeArgs(id), balance)),
      ranks: vector('Rank', u16Vector, 0),
      trust: vector('Trust', u16Vector, 0),
      consensus: vector('Consensus', u16Vector, 0),
      incentive: vector('Incentive', u16Vector, 0),
      dividends: vector('Dividends', u16Vector, 0),
      emission: vector('Emission', balanceVector, Balance.fromRao(0n)),
      validatorTrust: vector('ValidatorTrust', u16Vector, 0),
      validatorPermit: vector('ValidatorPermit', boolVector, false),
      lastUpdate,
      active: vector('Active', boolVector, false),
      pruningScores: vector('PruningScores', u16Vector, 0),
      axons: hotkeyIds.map((id) => derive(items.axons, [netuid, id], axonInfo)),
      weights: this.params.weights ? rows(items.weights, weightUids, prev?.data.weights) : undefined,
      bonds: this.params.bonds ? rows(items.bonds, bondUids, prev?.data.bonds) : undefined,
    });
    this.state = { data, hotkeyIds, step };
    this.decoded = nextDecoded;
    this.ss58 = nextSs58;
    const current = new Set(hotkeyIds);
    for (const id of this.hotkeyKeys.keys()) if (!current.has(id)) this.hotkeyKeys.delete(id);
    if (useWatch) requests += await this.watchKeys(items, n, hotkeyIds);
    return { block: number, changed: true, requests, keysRead, keysPushed };
  }

  /** Makes the subscription cover every key the next sync needs; a node that refuses it turns the watch off. */
  private perHotkey(items: Items, id: string): readonly string[] {
    let keys = this.hotkeyKeys.get(id);
    if (!keys) {
      keys = [items.owner.key(id), items.stake.key(...items.stakeArgs(id)), items.axons.key(this.params.netuid, id)];
      this.hotkeyKeys.set(id, keys);
    }
    return keys;
  }

  private async watchKeys(items: Items, n: number, hotkeyIds: readonly string[]): Promise<number> {
    const netuid = this.params.netuid;
    const keys = [items.n.key(netuid), items.step.key(netuid), ...VECTORS.map((v) => items.vectors[v].key(netuid))];
    for (let uid = 0; uid < n; uid++) keys.push(items.keys.key(netuid, uid));
    for (const id of hotkeyIds) keys.push(...this.perHotkey(items, id));
    if (this.params.weights) for (let uid = 0; uid < n; uid++) keys.push(items.weights.key(netuid, uid));
    if (this.params.bonds) for (let uid = 0; uid < n; uid++) keys.push(items.bonds.key(netuid, uid));
    try {
      this.watch ??= storageWatch(this.client);
      return await this.watch.cover(keys);
    } catch (err) {
      if (err instanceof ChainClientError && err.code === 'ClientClosed') throw err;
      await this.watch?.close();
      this.watch = undefined;
      // A node that refuses (method disabled, limits) is not asked again: reading every sync is correct,
      // only slower. A timeout or a dropped socket is transient: the next sync tries again.
      if (!(err instanceof RequestTimeoutError) && this.client.isConnected) this.watchOff = true;
      return 1;
    }
  }

  private async subnetExists(hash: string): Promise<boolean> {
    const added = storageItem(this.client, PALLET, 'NetworksAdded');
    const key = added.key(this.params.netuid);
    const result = await readStorage(this.client, [key], hash);
    const codec = added.decode(result.values.get(key) ?? null);
    return codec !== null && codec.toJSON() === true;
  }
}

/**
 * The storage items the metagraph reads. Stake: `TotalHotkeyStake[hotkey]` before dynamic TAO;
 * `TotalHotkeyAlpha[hotkey][netuid]` (the hotkey's alpha on the subnet, the SDK's `alpha_stake`) after.
 */
function loadItems(client: ChainClient, netuid: number): Items {
  const item = (name: string): StorageItem => storageItem(client, PALLET, name);
  const vectors = Object.fromEntries(VECTORS.map((v) => [v, item(v)])) as Record<VectorName, StorageItem>;
  const dynamic = !client.runtime.hasStorage(PALLET, 'TotalHotkeyStake') && client.runtime.hasStorage(PALLET, 'TotalHotkeyAlpha');
  return {
    n: item('SubnetworkN'),
    step: item('LastMechansimStepBlock'),
    vectors,
    keys: item('Keys'),
    owner: item('Owner'),
    stake: item(dynamic ? 'TotalHotkeyAlpha' : 'TotalHotkeyStake'),
    stakeArgs: dynamic ? (id) => [id, netuid] : (id) => [id],
    axons: item('Axons'),
    weights: item('Weights'),
    bonds: item('Bonds'),
  };
}

function num(codec: Codec | null): number {
  return codec === null ? 0 : Number((codec as unknown as { toNumber(): number }).toNumber());
}

function big(codec: Codec | null): bigint {
  return codec === null ? 0n : (codec as unknown as { toBigInt(): bigint }).toBigInt();
}

function elements(codec: Codec | null): Codec[] {
  return codec === null ? [] : [...(codec as unknown as Iterable<Codec>)];
}

/** A per-uid vector padded/truncated to n (the chain keeps them length n; a short one reads as defaults). Never mutates `values`. */
function fit<T>(values: readonly T[], n: number, fill: T): readonly T[] {
  if (values.length === n) return values;
  if (values.length > n) return values.slice(0, n);
  const out = values.slice();
  while (out.length < n) out.push(fill);
  return out;
}

function u16Vector(codec: Codec | null): number[] {
  return elements(codec).map((c) => num(c) / U16_MAX);
}

function u64Vector(codec: Codec | null): number[] {
  return elements(codec).map((c) => Number(big(c)));
}

function balanceVector(codec: Codec | null): Balance[] {
  return elements(codec).map((c) => Balance.fromRao(big(c)));
}

function boolVector(codec: Codec | null): boolean[] {
  return elements(codec).map((c) => c.toJSON() === true);
}

function balance(codec: Codec | null): Balance {
  return Balance.fromRao(big(codec));
}

function sparseRow(codec: Codec | null): SparseRow {
  return elements(codec).map((pair) => {
    const [uid, value] = elements(pair);
    return [num(uid ?? null), num(value ?? null)] as const;
  });
}

/** Renders an `AxonInfo` (or the SDK's default for a neuron that never served). */
function axonInfo(codec: Codec | null): AxonInfo {
  if (codec === null) return { block: 0, version: 0, ip: '0.0.0.0', port: 0, ipType: 0, protocol: 0, placeholder1: 0, placeholder2: 0, isServing: false };
  const struct = codec as unknown as { get(name: string): Codec | undefined };
  // @polkadot/types keys struct fields in camelCase (ip_type → ipType).
  const field = (name: string): Codec | null => struct.get(name) ?? struct.get(name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())) ?? null;
  const ip = big(field('ip'));
  const ipType = num(field('ip_type'));
  return {
    block: num(field('block')),
    version: num(field('version')),
    ip: ipToString(ip, ipType),
    port: num(field('port')),
    ipType,
    protocol: num(field('protocol')),
    placeholder1: num(field('placeholder1')),
    placeholder2: num(field('placeholder2')),
    isServing: ip !== 0n,
  };
}

/** An IP stored as u128 rendered as text: dotted quad for type 4, colon-hex groups for type 6. */
export function ipToString(ip: bigint, ipType: number): string {
  if (ipType === 6) {
    const groups: string[] = [];
    for (let i = 7; i >= 0; i--) groups.push(((ip >> BigInt(i * 16)) & 0xffffn).toString(16));
    return groups.join(':');
  }
  return [24, 16, 8, 0].map((shift) => ((ip >> BigInt(shift)) & 0xffn).toString()).join('.');
}
