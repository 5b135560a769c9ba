import { TensornetError } from '../../common/errors';

/** Machine-readable causes of a {@link PersistenceError}. */
export type PersistenceErrorCode =
  /** Another live process holds the data dir's lock file. */
  | 'DataDirLocked'
  /** The block log is damaged somewhere other than a torn tail (refusing to drop finalized blocks). */
  | 'BlockLogCorrupt'
  /** `append` was given a block number other than last + 1. */
  | 'NonConsecutiveBlock'
  /** A record field is out of range (block number, sizes). */
  | 'InvalidRecord'
  /** Writing or fsyncing failed; see `cause`. */
  | 'WriteFailed'
  /** The log was closed, or poisoned by a write failure it could not roll back. */
  | 'LogClosed'
  /** `read` asked for a block the log does not hold. */
  | 'UnknownRecord'
  /** A snapshot file failed its checksum or does not parse. */
  | 'SnapshotCorrupt';

/** An error raised by `localnet/persistence`. */
export class PersistenceError extends TensornetError<PersistenceErrorCode> {}
