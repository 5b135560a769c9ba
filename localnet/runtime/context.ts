import type { StateOverlay } from '../state/overlay';
import type { EventRecord, Hex, Origin, Phase, RuntimeEvent } from './primitives';

/** Dispatches a nested call (sudo, utility) with the same context. */
export type NestedDispatch = (ctx: RuntimeContext, origin: Origin, call: unknown) => void;

/** Chain-level settings of this runtime instance (what a chain spec or build feature would fix). */
export interface RuntimeConfig {
  /** Tempo `register_network` gives a new subnet (the runtime's 360; dev chains use less). */
  readonly newSubnetTempo: number;
}

export const DEFAULT_RUNTIME_CONFIG: RuntimeConfig = Object.freeze({ newSubnetTempo: 360 });

/** Block-level facts every dispatch can read. */
export interface BlockEnv {
  readonly number: number;
  readonly parentHash: Hex;
}

/**
 * The mutable world a block executes in: the block's state overlay (replaced by a child layer inside
 * `transactional`) and the events deposited so far. Rolling back a layer also drops its events, as
 * Substrate's events are storage and roll back with it.
 */
export class RuntimeContext {
  private current: StateOverlay;
  private readonly eventLog: EventRecord[] = [];
  phase: Phase = { Initialization: null };

  constructor(
    state: StateOverlay,
    readonly block: BlockEnv,
    private readonly nested: NestedDispatch,
    readonly config: RuntimeConfig = DEFAULT_RUNTIME_CONFIG,
  ) {
    this.current = state;
  }

  /** Dispatch a call nested in the current one (e.g. `Sudo.sudo(call)`), transactionally. */
  dispatch(origin: Origin, call: unknown): void {
    this.transactional(() => this.nested(this, origin, call));
  }

  /** The innermost open storage layer. */
  get state(): StateOverlay {
    return this.current;
  }

  get events(): readonly EventRecord[] {
    return this.eventLog;
  }

  deposit(event: RuntimeEvent): void {
    this.eventLog.push({ phase: this.phase, event, topics: [] });
  }

  /** Runs `fn` in a nested storage layer: its writes and events are kept if it returns and dropped if it throws. */
  transactional<T>(fn: () => T): T {
    const outer = this.current;
    const layer = outer.child();
    const eventMark = this.eventLog.length;
    this.current = layer;
    try {
      const result = fn();
      layer.commit();
      return result;
    } catch (err) {
      layer.discard();
      this.eventLog.length = eventMark;
      throw err;
    } finally {
      this.current = outer;
    }
  }
}
