/**
 * The validator API: apps' requests routed to a subnet's best miners, read-only views, events, API keys, the dashboard.
 * See README.md in this folder.
 */
export { API_ERRORS, ApiError, ApiKeyError, ValidatorApiError, type ApiErrorBody, type ApiErrorCode, type ApiKeyErrorCode, type ValidatorApiErrorCode } from './errors';
export { EVENTS_PROTOCOL, EventHub, protocolKey, type EventHubOptions } from './events';
export {
  ApiKeyStore, createApiKey, defaultApiKeyFile, formatApiKeyList, listApiKeys, revokeApiKey,
  type ApiKeyLimits, type ApiKeyRecord, type ApiKeyStoreOptions, type CreatedApiKey,
} from './keys';
export { DEFAULT_REQUESTS_PER_MINUTE, KeyLimiter, type LimitRefusal, type RateLimitOptions } from './limits';
export { readNetwork, sharedNetworkReader } from './network';
export { buildOpenApi } from './openapi';
export { inferRequest, type InferOutcome, type InferResult } from './infer';
export { InferSocketHub, type InferSocketOptions, type InferSocketSession } from './infer-socket';
export {
  rankMiners, routeRequest, routeStream,
  type Attempt, type RankedMiner, type RouteOptions, type RouteOutcome, type RoutingView, type StreamAttempt, type StreamRouteOutcome, type StreamSink,
} from './routing';
export { type ApiEvent, type NetworkBody } from './schemas';
export {
  API_VERSION, DEFAULT_API_HOST, DEFAULT_API_MAX_BODY_BYTES, DEFAULT_API_PORT, DEFAULT_TOP_K, createValidatorApi,
  type ValidatorApi, type ValidatorApiOptions,
} from './server';
export { DEFAULT_STATS_WINDOW, UsageStats, percentile, type SubnetUsage } from './stats';
export { DASHBOARD_CSP, dashboardAssets, dashboardRouter, type DashboardAsset } from './dashboard';
