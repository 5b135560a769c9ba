/** Plain-JS shapes of the runtime's SCALE types (see localnet/scale for the mapping rules). */

/** A 32-byte account id as 0x-prefixed lowercase hex. */
export type AccountId = `0x${string}`;

/** 0x-prefixed lowercase hex bytes. */
export type Hex = `0x${string}`;

/** Who dispatches a call. */
export type Origin = { readonly kind: 'signed'; readonly who: AccountId } | { readonly kind: 'root' } | { readonly kind: 'none' };

export const ROOT: Origin = Object.freeze({ kind: 'root' });
export const signed = (who: AccountId): Origin => ({ kind: 'signed', who });

/** `sp_weights::Weight` (v2). */
export interface Weight {
  readonly ref_time: bigint;
  readonly proof_size: bigint;
}

export type DispatchClass = 'Normal' | 'Operational' | 'Mandatory';
export type Pays = 'Yes' | 'No';

/** `frame_support::dispatch::DispatchInfo`. */
export interface DispatchInfo {
  readonly weight: Weight;
  readonly class: DispatchClass;
  readonly pays_fee: Pays;
}

/** `sp_runtime::DispatchError` as the scale codec maps it (field-less variants carry `null`). */
export type DispatchErrorValue =
  | { readonly Other: null }
  | { readonly CannotLookup: null }
  | { readonly BadOrigin: null }
  | { readonly ConsumerRemaining: null }
  | { readonly NoProviders: null }
  | { readonly TooManyConsumers: null }
  | { readonly Exhausted: null }
  | { readonly Corruption: null }
  | { readonly Unavailable: null }
  | { readonly RootNotAllowed: null }
  | { readonly Module: { readonly index: number; readonly error: Hex } }
  | { readonly Token: string }
  | { readonly Arithmetic: 'Underflow' | 'Overflow' | 'DivisionByZero' }
  | { readonly Transactional: 'LimitReached' | 'NoLayer' };

/** A runtime event: `{ [pallet]: { [event]: fields } }` or `{ [pallet]: 'UnitEvent' }`. */
export type RuntimeEvent = Readonly<Record<string, unknown>>;

/** `frame_system::Phase`. */
export type Phase = { readonly ApplyExtrinsic: number } | { readonly Finalization: null } | { readonly Initialization: null };

export interface EventRecord {
  readonly phase: Phase;
  readonly event: RuntimeEvent;
  readonly topics: readonly Hex[];
}
