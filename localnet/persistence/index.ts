/** The localnet data dir: the append-only block log, snapshots, and the data-dir lock. */
export { BLOCK_LOG_FILE, BlockLog, encodeRecordFrame, type BlockLogOptions, type BlockLogRecord, type BlockLogRecovery, type OpenedBlockLog } from './block-log';
export { PersistenceError, type PersistenceErrorCode } from './errors';
export { DataDirLock, LOCK_FILE } from './lock';
export { listSnapshots, readSnapshot, snapshotFileName, writeSnapshot, type SnapshotData, type SnapshotFile, type SnapshotInput } from './snapshot';
