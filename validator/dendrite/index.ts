/** The dendrite: signed, bounded, typed queries to axons. */
export { DEFAULT_MAX_RESPONSE_BYTES, Dendrite, type DendriteOptions, type QueryOptions, type QueryResult, type QueryStatus } from './dendrite';
export { HttpTransport, TransportError, type DendriteTransport, type HttpTransportOptions, type TransportErrorCode, type TransportRequest, type TransportResponse } from './transport';
