/**
 * The subtensor runtime (spec 219) re-implemented in TypeScript: pallets, executive and runtime APIs,
 * over the real metadata so every call, event, error and storage item encodes as on the real chain.
 */
import type { RuntimeVersion, HexString } from '../chain/backend';
import { loadRuntimeMetadata, type RuntimeMetadata } from '../metadata';
import type { StateOverlay } from '../state/overlay';
import { DEFAULT_RUNTIME_CONFIG, RuntimeContext, type BlockEnv, type RuntimeConfig } from './context';
import { Dispatcher, type CallTable, type RuntimeCall } from './dispatch';
import { balancesCalls } from './pallets/balances';
import { sudoCalls } from './pallets/sudo';
import { finalizeBlock as finalizeSystem, initializeBlock as initializeSystem, systemCalls } from './pallets/system';
import { finalizeTimestamp, timestampCalls } from './pallets/timestamp';
import { utilityCalls } from './pallets/utility';
import { registerSubtensor } from './pallets/subtensor';
import type { Origin } from './primitives';

/** A pallet's hooks into the block lifecycle. */
export interface BlockHooks {
  onInitialize?(ctx: RuntimeContext): void;
  onFinalize?(ctx: RuntimeContext): void;
}

export class Runtime {
  readonly meta: RuntimeMetadata;
  readonly dispatcher = new Dispatcher();
  /** SCALE `RuntimeVersion` (the `System.Version` constant), what `Core_version` returns. */
  readonly versionBytes: Uint8Array;
  readonly version: RuntimeVersion;
  private readonly hooks: BlockHooks[] = [];

  constructor(readonly config: RuntimeConfig = DEFAULT_RUNTIME_CONFIG) {
    this.meta = loadRuntimeMetadata();
    this.register('System', systemCalls).register('Timestamp', timestampCalls).register('Balances', balancesCalls).register('Sudo', sudoCalls).register('Utility', utilityCalls);
    registerSubtensor(this);
    const { bytes, json } = systemVersionConstant(this.meta);
    this.versionBytes = bytes;
    this.version = json;
  }

  register(pallet: string, calls: CallTable, hooks?: BlockHooks): this {
    this.dispatcher.register(pallet, calls);
    if (hooks) this.hooks.push(hooks);
    return this;
  }

  /** A fresh execution context for a block built on `state`. */
  context(state: StateOverlay, block: BlockEnv): RuntimeContext {
    return new RuntimeContext(state, block, (ctx: RuntimeContext, origin: Origin, call: unknown) => this.dispatcher.dispatch(ctx, origin, call as RuntimeCall), this.config);
  }

  initializeBlock(ctx: RuntimeContext): void {
    ctx.phase = { Initialization: null };
    initializeSystem(ctx);
    for (const h of this.hooks) h.onInitialize?.(ctx);
  }

  finalizeBlock(ctx: RuntimeContext): void {
    ctx.phase = { Finalization: null };
    for (const h of this.hooks) h.onFinalize?.(ctx);
    finalizeTimestamp(ctx);
    finalizeSystem(ctx);
  }
}

function systemVersionConstant(meta: RuntimeMetadata): { bytes: Uint8Array; json: RuntimeVersion } {
  const system = meta.metadata.asLatest.pallets.find((p) => p.name.toString() === 'System');
  const constant = system?.constants.find((c) => c.name.toString() === 'Version');
  if (!constant) throw new Error('the metadata has no System.Version constant');
  const bytes = constant.value.toU8a(true);
  const v = meta.codecs.codecFor<{
    spec_name: string;
    impl_name: string;
    authoring_version: number;
    spec_version: number;
    impl_version: number;
    apis: [HexString, number][];
    transaction_version: number;
    state_version: number;
  }>(constant.type.toNumber()).decodeAll(bytes);
  return {
    bytes,
    json: {
      specName: v.spec_name,
      implName: v.impl_name,
      authoringVersion: v.authoring_version,
      specVersion: v.spec_version,
      implVersion: v.impl_version,
      apis: v.apis.map(([id, version]) => [id, version] as const),
      transactionVersion: v.transaction_version,
      stateVersion: v.state_version,
    },
  };
}
