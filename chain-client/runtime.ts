/**
 * Metadata-driven feature detection: which calls and storage items the connected runtime has, and
 * in which shape, so one operation works across runtime versions (pre- and post-dynamic-TAO).
 */
import type { Metadata } from '@polkadot/types';
import type { Registry } from '@polkadot/types/types';
import { UnsupportedRuntimeError } from './errors';

/** One argument of a call: its name and its type as @polkadot/types renders it (`u16`, `AccountId32`, `Vec<u16>` …). */
export interface CallArg {
  readonly name: string;
  readonly type: string;
}

/** A dispatchable call of the runtime. */
export interface CallInfo {
  readonly pallet: string;
  readonly call: string;
  /** The pallet index and the call index (the first two bytes of the encoded call). */
  readonly index: readonly [number, number];
  readonly args: readonly CallArg[];
}

/** The runtime's identity, read from the metadata's `System.Version` constant. */
export interface RuntimeIdentity {
  readonly specName: string;
  readonly specVersion: number;
  readonly transactionVersion: number;
}

/** How `add_stake` / `remove_stake` take their arguments. */
export type StakeCallShape = 'hotkey-amount' | 'hotkey-netuid-amount';

/** How root-network weights are set. */
export type RootWeightsShape = 'set_root_weights' | 'set_weights-netuid-0';

/**
 * A read-only view of a runtime's metadata for feature detection. Build it from a live client
 * (`client.runtime`) or from metadata bytes ({@link runtimeFromMetadata}).
 */
export class RuntimeView {
  /** @internal */
  constructor(
    readonly identity: RuntimeIdentity,
    private readonly calls: ReadonlyMap<string, CallInfo>,
    private readonly storage: ReadonlySet<string>,
  ) {}

  /** The call `pallet.call` (metadata names, e.g. `SubtensorModule`, `add_stake`), or undefined. */
  findCall(pallet: string, call: string): CallInfo | undefined {
    return this.calls.get(`${pallet}.${call}`);
  }

  /**
   * The call `pallet.call`.
   * @throws UnsupportedRuntimeError naming the call when the runtime lacks it
   */
  requireCall(pallet: string, call: string): CallInfo {
    const found = this.findCall(pallet, call);
    if (!found) throw new UnsupportedRuntimeError(`${pallet}.${call}`, this.identity.specVersion, 'the runtime has no such call');
    return found;
  }

  /** Whether the storage item `pallet.item` (metadata names, e.g. `SubtensorModule`, `Rank`) exists. */
  hasStorage(pallet: string, item: string): boolean {
    return this.storage.has(`${pallet}.${item}`);
  }

  /**
   * The shape of `SubtensorModule.add_stake`: `(hotkey, amount)` before dynamic TAO, `(hotkey, netuid, amount)` after.
   * @throws UnsupportedRuntimeError when the call is missing or has another shape
   */
  stakeCallShape(call: 'add_stake' | 'remove_stake' = 'add_stake'): StakeCallShape {
    const info = this.requireCall('SubtensorModule', call);
    const types = info.args.map((a) => a.type).join(',');
    if (types === 'AccountId32,u64') return 'hotkey-amount';
    if (types === 'AccountId32,u16,u64') return 'hotkey-netuid-amount';
    throw new UnsupportedRuntimeError(`SubtensorModule.${call}`, this.identity.specVersion, `unknown argument shape (${describeArgs(info)})`);
  }

  /**
   * How root weights are set: `set_root_weights(netuid, hotkey, dests, weights, version_key)` where the
   * runtime has it, else `set_weights` on netuid 0.
   * @throws UnsupportedRuntimeError when neither call exists
   */
  rootWeightsShape(): RootWeightsShape {
    if (this.findCall('SubtensorModule', 'set_root_weights')) return 'set_root_weights';
    if (this.findCall('SubtensorModule', 'set_weights')) return 'set_weights-netuid-0';
    throw new UnsupportedRuntimeError('SubtensorModule.set_root_weights', this.identity.specVersion, 'neither set_root_weights nor set_weights exists');
  }
}

/** Renders a call's arguments, e.g. `hotkey: AccountId32, amount_staked: u64`. */
export function describeArgs(info: CallInfo): string {
  return info.args.map((a) => `${a.name}: ${a.type}`).join(', ');
}

/**
 * A {@link RuntimeView} of metadata already set on `registry` (as `ApiPromise` does, or after
 * `registry.setMetadata(metadata)`).
 */
export function runtimeFromMetadata(registry: Registry, metadata: Metadata): RuntimeView {
  const latest = metadata.asLatest;
  const calls = new Map<string, CallInfo>();
  const storage = new Set<string>();
  let identity: RuntimeIdentity = { specName: 'unknown', specVersion: 0, transactionVersion: 0 };
  for (const pallet of latest.pallets) {
    const palletName = pallet.name.toString();
    if (pallet.calls.isSome) {
      const variants = registry.lookup.getSiType(pallet.calls.unwrap().type).def.asVariant.variants;
      for (const v of variants) {
        const args = v.fields.map((f, i) => ({ name: f.name.isSome ? f.name.unwrap().toString() : `arg${i}`, type: registry.lookup.getTypeDef(f.type).type }));
        calls.set(`${palletName}.${v.name.toString()}`, { pallet: palletName, call: v.name.toString(), index: [pallet.index.toNumber(), v.index.toNumber()], args });
      }
    }
    if (pallet.storage.isSome) for (const item of pallet.storage.unwrap().items) storage.add(`${palletName}.${item.name.toString()}`);
    if (palletName === 'System') {
      const version = pallet.constants.find((c) => c.name.toString() === 'Version');
      if (version) {
        const decoded = registry.createType(registry.createLookupType(version.type), version.value.toU8a(true)) as unknown as {
          specName: { toString(): string };
          specVersion: { toNumber(): number };
          transactionVersion: { toNumber(): number };
        };
        identity = { specName: decoded.specName.toString(), specVersion: decoded.specVersion.toNumber(), transactionVersion: decoded.transactionVersion.toNumber() };
      }
    }
  }
  return new RuntimeView(identity, calls, storage);
}
