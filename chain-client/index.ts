/**
 * tensornet's chain client: connection, runtime feature detection, metagraph, wallets (`./wallet`).
 */
export { ChainClientError, RequestTimeoutError, UnsupportedRuntimeError, type ChainClientErrorCode } from './errors';
export { DEFAULT_NETWORK, NETWORK_ENDPOINTS, redactUrl, resolveNetwork, type NetworkName, type ResolvedNetwork } from './network';
export { DEFAULT_RECONNECT_DELAY_MS, DEFAULT_TIMEOUT_MS, connect, type ChainClient, type ConnectParameters } from './connect';
export { RuntimeView, describeArgs, runtimeFromMetadata, type CallArg, type CallInfo, type RootWeightsShape, type RuntimeIdentity, type StakeCallShape } from './runtime';
export { withTimeout } from './timeout';
