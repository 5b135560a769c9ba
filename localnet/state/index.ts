/** The localnet state layer: overlays for block building, the versioned store, the state root. */
export type { HexKey, StateChanges, StateReader, StateWriter } from './types';
export { StateError, type StateErrorCode } from './errors';
export { EMPTY_STATE, StateOverlay, type KeysOptions } from './overlay';
export { DEFAULT_RETAIN_BLOCKS, VersionedStore, type BlockStateReader, type CommitResult, type StoreStats, type VersionedStoreOptions } from './store';
export { StateRootAccumulator, computeStateRootFromScratch, computeStateRootOfEntries, entryHash } from './root';
export { SortedKeySet, SortedKeyCursor } from './sorted-keys';
export { assertHexKey, assertHexPrefix, bytesEqual, bytesToHexKey, hexKeyToBytes, isHexKey } from './hex';
