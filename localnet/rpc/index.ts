/**
 * localnet's JSON-RPC layer: serves a `ChainBackend` over Substrate's JSON-RPC interface
 * (WebSocket + HTTP on one port) so that @polkadot/api and bittensor clients talk to it as to a node.
 */
export { createRpcServer, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION } from './server';
export type { RpcServer, RpcServerOptions } from './server';
export type { RpcBackend, RpcBackendExtensions } from './backend';
export { DEFAULT_CORS_ORIGINS, RPC_METHODS_POLICIES, RpcAccessError, isLoopbackAddress, listenScope, originAllowed, parseRpcCors, parseRpcMethods } from './access';
export type { CorsPolicy, RpcMethodsPolicy } from './access';
export { createHandlers } from './handlers';
export type { RpcMethodName } from './handlers';
export { RpcError, RpcErrorCodes, UNSAFE_RPC_MESSAGE, toErrorObject } from './errors';
export type { JsonRpcErrorObject, RpcErrorName } from './errors';
export { method, param, subscription, unsafe, unsubscription } from './method';
export type { RpcContext, RpcEntry, RpcHandlers, SubscriptionSink, Teardown, UnsafeMarker } from './method';
export type { Json } from './json';
export { silentLogger } from './logger';
export type { Logger } from './logger';
