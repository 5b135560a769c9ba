import { TensornetError } from '../../common/errors';

/** Machine-readable causes of a {@link StateError}. */
export type StateErrorCode =
  /** The block is not (yet) in the store: newer than the head, or the store is empty. */
  | 'UnknownBlock'
  /** The block existed but its state fell out of the retention window. */
  | 'BlockPruned'
  /** `commitBlock` was given a block number other than head + 1. */
  | 'NonConsecutiveBlock'
  /** A key or prefix that is not 0x-prefixed lowercase hex (keys must also be whole bytes). */
  | 'InvalidKey'
  /** A value that is not a `Uint8Array`. */
  | 'InvalidValue'
  /** A committed or discarded overlay was used again. */
  | 'OverlayClosed'
  /** An overlay was written to (or given a second child) while a child overlay is open. */
  | 'OverlayBusy'
  /** `commit()` was called on a root overlay (commit the root with `VersionedStore.commitBlock`). */
  | 'NotAChildOverlay'
  /** A state restored from a snapshot does not hash to the recorded state root. */
  | 'StateRootMismatch'
  /** A bad constructor option or argument (retention window, block number, …). */
  | 'InvalidArgument';

/** An error raised by the state layer (`localnet/state`). */
export class StateError extends TensornetError<StateErrorCode> {}
