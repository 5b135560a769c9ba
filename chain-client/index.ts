/**
 * tensornet's chain client: connection, runtime feature detection, metagraph, submission and nonces,
 * weight processing, operations as free functions `(client, params)`, wallets (`./wallet`).
 */
export { ChainClientError, RequestTimeoutError, UnsupportedRuntimeError, type ChainClientErrorCode } from './errors';
export { DEFAULT_NETWORK, NETWORK_ENDPOINTS, redactUrl, resolveNetwork, type NetworkName, type ResolvedNetwork } from './network';
export { DEFAULT_MAX_RECONNECT_DELAY_MS, DEFAULT_RECONNECT_DELAY_MS, DEFAULT_TIMEOUT_MS, connect, type ChainClient, type ConnectParameters, type RawSubscription, type RawSubscriptionSpec } from './connect';
export { Reconnector, backoffDelay, type BackoffPolicy } from './reconnect';
export { RuntimeView, describeArgs, runtimeFromMetadata, type CallArg, type CallInfo, type RootWeightsShape, type RuntimeIdentity, type StakeCallShape } from './runtime';
export { hasRuntimeApi, readPaths, stateCall, type ReadPath, type ReadPaths } from './runtime-api';
export { withTimeout } from './timeout';
export { Balance, RAO_PER_TAO } from './balance';
export { DEFAULT_WATCH_WAIT_MS, Metagraph, ipToString, metagraph, type AxonInfo, type MetagraphData, type MetagraphErrorType, type MetagraphParameters, type SparseRow, type SyncStats } from './metagraph';
export { STORAGE_CHUNK, readStorage, storageItem, type StorageItem, type StorageRead } from './storage';
export { StorageWatch, storageWatch, type BlockKeys, type SubscriptionSource } from './storage-watch';
export { submit, signingPair, describeDispatchError, type ChainEvent, type Signer, type SubmitErrorType, type SubmitParameters, type SubmitResult, type WaitFor } from './submit';
export { DEFAULT_NONCE_ATTEMPTS, NonceManager, nonceManager, type NonceRetryOptions } from './nonce';
export { U16_MAX, convertWeightsAndUidsForEmit, normalizeMaxWeight, processWeights, roundHalfEven, weightsCommitHash, type CommitHashParameters, type ProcessWeightsParameters, type UidWeights } from './weights';
export * from './operations';
