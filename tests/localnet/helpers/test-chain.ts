/**
 * A localnet for runtime tests: real signed extrinsics (sr25519 over the real signing payload) go
 * through the real pool, block builder and runtime. Manual seal: each `send` builds one block.
 *
 * Two modes, same tests: in-process (default; `send` submits straight to the chain), or — with
 * `TENSORNET_TEST_VIA_RPC=1`, as the `rpc` jest project sets — through a real @polkadot/api
 * `ApiPromise` over WebSocket to the node's JSON-RPC server (`api.tx.<pallet>.<call>(…).signAndSend`).
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { startLocalnet, type Localnet } from '../../../localnet';
import { Chain, type ChainOptions } from '../../../localnet/chain/chain';
import { runtimeItems } from '../../../localnet/runtime/items';
import type { RuntimeContext } from '../../../localnet/runtime/context';
import type { AccountId, EventRecord } from '../../../localnet/runtime/primitives';
import type { StorageItem } from '../../../localnet/runtime/storage';
import { initNewNetwork } from '../../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../../localnet/runtime/pallets/subtensor/items';
import { StateOverlay } from '../../../localnet/state/overlay';

export interface SentResult {
  readonly blockNumber: number;
  /** `Pallet.Event` names of this extrinsic's events, in order. */
  readonly events: string[];
  /** The extrinsic's event records (decoded). */
  readonly records: EventRecord[];
  /** `Pallet.Error` (or e.g. `BadOrigin`, `Token.FundsUnavailable`) when the call failed, else null. */
  readonly error: string | null;
}

export class TestChain {
  readonly keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

  private constructor(
    readonly chain: Chain,
    private readonly rpc?: { readonly net: Localnet; readonly api: ApiPromise },
  ) {}

  static async start(options: ChainOptions = {}): Promise<TestChain> {
    if (process.env.TENSORNET_TEST_VIA_RPC === '1') {
      const net = await startLocalnet({ ...options, blockTimeMs: 0, port: 0 });
      const api = await ApiPromise.create({ provider: new WsProvider(net.url), noInitWarn: true });
      return new TestChain(net.chain, { net, api });
    }
    const chain = await Chain.start({ blockTimeMs: 0, ...options });
    return new TestChain(chain);
  }

  /** Whether calls go through @polkadot/api and JSON-RPC. */
  get viaRpc(): boolean {
    return this.rpc !== undefined;
  }

  async close(): Promise<void> {
    if (this.rpc) {
      await this.rpc.api.disconnect();
      await this.rpc.net.close();
    } else {
      await this.chain.close();
    }
  }

  /** A key pair from a dev URI (`//Alice`, `//Bob//hot1`, …). */
  pair(uri: string): KeyringPair {
    return this.keyring.addFromUri(uri);
  }

  /** The 0x account id of a dev URI. */
  account(uri: string): AccountId {
    return u8aToHex(this.pair(uri).publicKey) as AccountId;
  }

  get blockNumber(): number {
    return this.chain.bestBlock().number;
  }

  /** Builds `count` empty blocks. */
  async advance(count = 1): Promise<void> {
    for (let i = 0; i < count; i++) await this.chain.newBlock();
  }

  /** Advance until the best block is `number` (no-op when already there or past). */
  async advanceTo(number: number): Promise<void> {
    while (this.blockNumber < number) await this.chain.newBlock();
  }

  /** Reads a storage item at the best block. */
  query<K extends readonly unknown[], V>(item: StorageItem<K, V>, ...keys: K): V {
    return item.get(this.chain.stateAt(), ...keys);
  }

  /** The signed extrinsic `pallet.method(args)` from `uri` (args by metadata names, in metadata order). */
  extrinsic(uri: string, pallet: string, method: string, args: Record<string, unknown>, nonce?: number): Uint8Array {
    const { registry } = this.chain.runtime.meta;
    const signer = this.pair(uri);
    const call = registry.createType('Call', { callIndex: this.chain.runtime.meta.callIndex(pallet, method), args });
    const ext = registry.createType('Extrinsic', call);
    const genesisHash = this.chain.genesisHash;
    ext.sign(signer, {
      blockHash: genesisHash,
      genesisHash,
      nonce: nonce ?? this.chain.accountNextIndex(signer.address),
      runtimeVersion: { specVersion: 219, transactionVersion: 1 } as never,
      era: 0 as never,
    });
    return ext.toU8a();
  }

  /** Builds `api.tx.<pallet>.<method>(…args in metadata order)`, signs and submits it over RPC; returns its bytes. */
  private async submitViaApi(uri: string, pallet: string, method: string, args: Record<string, unknown>): Promise<Uint8Array> {
    const { api } = this.rpc!;
    const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const section = camel(pallet.charAt(0).toLowerCase() + pallet.slice(1));
    const creator = (api.tx as unknown as Record<string, Record<string, ((...a: unknown[]) => SubmittableExtrinsic<'promise'>) & { meta: { fields: Array<{ name: { unwrap(): { toString(): string } } }> } }>>)[section]?.[camel(method)];
    if (!creator) throw new Error(`api.tx.${section}.${camel(method)} does not exist`);
    const positional = creator.meta.fields.map((f) => {
      const value = args[f.name.unwrap().toString()];
      // Nested calls built with the chain's registry travel as their SCALE hex.
      return value !== null && typeof value === 'object' && 'toHex' in (value as object) ? (value as { toHex(): string }).toHex() : value;
    });
    const tx = creator(...positional);
    await tx.signAsync(this.pair(uri), { nonce: this.chain.accountNextIndex(this.pair(uri).address) });
    await tx.send();
    return tx.toU8a();
  }

  /** Submits `pallet.method(args)` signed by `uri`, builds a block, and reports its outcome. */
  async send(uri: string, pallet: string, method: string, args: Record<string, unknown>): Promise<SentResult> {
    const bytes = this.rpc ? await this.submitViaApi(uri, pallet, method, args) : this.extrinsic(uri, pallet, method, args);
    if (!this.rpc) await this.chain.submitExtrinsic(bytes);
    const block = await this.chain.newBlock();
    const index = block.extrinsics.findIndex((x) => u8aToHex(x) === u8aToHex(bytes));
    if (index < 0) throw new Error(`${pallet}.${method} was not included in block ${block.number}`);
    return this.outcome(block.number, index);
  }

  /** `Sudo.sudo(call)` from //Alice; reports the inner call's error (from `Sudid`) as `error`. */
  async sudo(pallet: string, method: string, args: Record<string, unknown>): Promise<SentResult> {
    const { registry } = this.chain.runtime.meta;
    const call = registry.createType('Call', { callIndex: this.chain.runtime.meta.callIndex(pallet, method), args });
    const result = await this.send('//Alice', 'Sudo', 'sudo', { call });
    const sudid = result.records.find((r) => 'Sudo' in r.event) as EventRecord | undefined;
    const inner = (sudid?.event.Sudo as { Sudid?: { sudo_result: { Err?: unknown } } } | undefined)?.Sudid?.sudo_result;
    return { ...result, error: result.error ?? (inner && 'Err' in inner ? this.errorName(inner.Err) : null) };
  }

  /**
   * Writes storage through `Sudo.sudo(System.set_storage)` in one block — for tests that need a state
   * no short sequence of extrinsics produces (e.g. a long-past registration block).
   */
  async setStorage<K extends readonly unknown[], V>(item: StorageItem<K, V>, ...keysAndValue: [...K, V]): Promise<void> {
    const keys = keysAndValue.slice(0, -1) as unknown as K;
    const value = keysAndValue[keysAndValue.length - 1] as V;
    const r = await this.sudo('System', 'set_storage', { items: [[item.key(...keys), u8aToHex(item.valueCodec.encode(value))]] });
    if (r.error) throw new Error(`set_storage failed: ${r.error}`);
  }

  /**
   * Writes state in one block through root `System.set_storage`/`kill_storage` (batched under sudo):
   * `write` runs against an overlay of the best state with the next block's number. Returns that block.
   */
  async seed(write: (ctx: RuntimeContext) => void): Promise<number> {
    const block = this.blockNumber + 1;
    const overlay = new StateOverlay(this.chain.stateAt());
    write(this.chain.runtime.context(overlay, { number: block, parentHash: this.chain.bestBlock().hash }));
    const items: [string, string][] = [];
    const keys: string[] = [];
    for (const [key, value] of overlay.changes()) {
      if (value === null) keys.push(key);
      else items.push([key, u8aToHex(value)]);
    }
    const { meta } = this.chain.runtime;
    const call = (method: string, args: object): unknown => meta.registry.createType('Call', { callIndex: meta.callIndex('System', method), args });
    const r = await this.sudo('Utility', 'batch_all', { calls: [call('set_storage', { items }), call('kill_storage', { keys })] });
    if (r.error) throw new Error(`seed failed: ${r.error}`);
    if (r.blockNumber !== block) throw new Error(`seed landed in block ${r.blockNumber}, expected ${block}`);
    return block;
  }

  /**
   * Creates subnet `netuid` as `register_network` would initialize it (spec §4.4 step 4), owned by
   * `owner`, without the lock cost or rate limit, in one block.
   */
  async addNetwork(netuid: number, options: { tempo?: number; owner?: string } = {}): Promise<void> {
    await this.seed((ctx) => {
      initNewNetwork(ctx.state, netuid, options.tempo ?? 360);
      st().SubnetOwner.set(ctx.state, netuid, this.account(options.owner ?? '//Alice'));
      st().NetworkRegisteredAt.set(ctx.state, netuid, BigInt(ctx.block.number));
    });
  }

  /** The events of extrinsic `index` of the best block. */
  private outcome(blockNumber: number, index: number): SentResult {
    const all = runtimeItems().System.Events.get(this.chain.stateAt());
    const records = all.filter((r) => typeof r.phase === 'object' && 'ApplyExtrinsic' in r.phase && r.phase.ApplyExtrinsic === index);
    const events = records.map((r) => {
      const [pallet] = Object.keys(r.event);
      const inner = r.event[pallet!];
      return `${pallet}.${typeof inner === 'string' ? inner : Object.keys(inner as object)[0]}`;
    });
    const failed = records.find((r) => (r.event.System as Record<string, unknown> | undefined)?.ExtrinsicFailed);
    const error = failed ? this.errorName((failed.event.System as { ExtrinsicFailed: { dispatch_error: unknown } }).ExtrinsicFailed.dispatch_error) : null;
    return { blockNumber, events, records, error };
  }

  /** Readable name of a `DispatchError` value. */
  errorName(err: unknown): string {
    const e = err as Record<string, unknown>;
    const key = Object.keys(e)[0]!;
    if (key === 'Module') {
      const { index, error } = e.Module as { index: number; error: `0x${string}` };
      const { meta } = this.chain.runtime;
      const found = meta.registry.findMetaError(new Uint8Array([index, parseInt(error.slice(2, 4), 16)]));
      const pallet = meta.pallets.find((p) => p.index === index)?.name ?? found.section;
      return `${pallet}.${found.name}`;
    }
    const value = e[key];
    return typeof value === 'string' ? `${key}.${value}` : key;
  }
}
