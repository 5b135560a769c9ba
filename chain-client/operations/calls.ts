/**
 * Metadata-driven call building: the operations' calls whose shape differs between runtime versions are
 * built from the target runtime's own metadata (any `Registry` carrying it), so they encode against it or
 * fail with `UnsupportedRuntimeError` naming the call.
 */
import type { Call } from '@polkadot/types/interfaces';
import type { Registry } from '@polkadot/types/types';
import { UnsupportedRuntimeError } from '../errors';
import { describeArgs, type RuntimeView } from '../runtime';
import { InvalidParametersError } from './errors';

/**
 * The call `pallet.call(...args)` of the runtime `runtime` describes (its registry must carry the same metadata).
 * @throws UnsupportedRuntimeError when the call is missing or takes another number of arguments
 */
export function buildCall(registry: Registry, runtime: RuntimeView, pallet: string, call: string, args: readonly unknown[]): Call {
  const info = runtime.requireCall(pallet, call);
  if (info.args.length !== args.length) throw new UnsupportedRuntimeError(`${pallet}.${call}`, runtime.identity.specVersion, `expects (${describeArgs(info)}), got ${args.length} arguments`);
  try {
    return registry.findMetaCall(new Uint8Array(info.index))(...args);
  } catch (err) {
    throw new UnsupportedRuntimeError(`${pallet}.${call}`, runtime.identity.specVersion, `arguments do not encode as (${describeArgs(info)}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Arguments of {@link stakeCall}. */
export interface StakeCallArgs {
  readonly hotkey: string;
  readonly amount: bigint;
  /** Needed by dynamic-TAO runtimes (`(hotkey, netuid, amount)`); ignored before. */
  readonly netuid?: number;
}

/**
 * `add_stake` / `remove_stake` in the runtime's shape: `(hotkey, amount)` pre-dTAO, `(hotkey, netuid, amount)` after.
 * @throws UnsupportedRuntimeError for another shape; InvalidParametersError when the runtime needs a netuid and none is given
 */
export function stakeCall(registry: Registry, runtime: RuntimeView, which: 'add_stake' | 'remove_stake', args: StakeCallArgs): Call {
  const shape = runtime.stakeCallShape(which);
  if (shape === 'hotkey-amount') return buildCall(registry, runtime, 'SubtensorModule', which, [args.hotkey, args.amount]);
  if (args.netuid === undefined) throw new InvalidParametersError(`this runtime's ${which} takes (hotkey, netuid, amount): pass netuid`, { call: which, specVersion: runtime.identity.specVersion });
  return buildCall(registry, runtime, 'SubtensorModule', which, [args.hotkey, args.netuid, args.amount]);
}

/** Arguments of {@link rootWeightsCall}. */
export interface RootWeightsCallArgs {
  readonly hotkey: string;
  readonly netuids: readonly number[];
  readonly values: readonly number[];
  readonly versionKey: bigint;
}

/**
 * Root weights in the runtime's shape: `set_root_weights(0, hotkey, dests, weights, version_key)` (signed by
 * the coldkey) where it exists, else `set_weights(0, dests, weights, version_key)` (signed by the hotkey).
 * @throws UnsupportedRuntimeError when neither exists
 */
export function rootWeightsCall(registry: Registry, runtime: RuntimeView, args: RootWeightsCallArgs): { call: Call; signedBy: 'coldkey' | 'hotkey' } {
  if (runtime.rootWeightsShape() === 'set_root_weights') {
    return { call: buildCall(registry, runtime, 'SubtensorModule', 'set_root_weights', [0, args.hotkey, [...args.netuids], [...args.values], args.versionKey]), signedBy: 'coldkey' };
  }
  return { call: buildCall(registry, runtime, 'SubtensorModule', 'set_weights', [0, [...args.netuids], [...args.values], args.versionKey]), signedBy: 'hotkey' };
}
