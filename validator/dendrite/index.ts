/** The dendrite: signed, bounded, typed queries to axons, streaming ones included. */
export { DEFAULT_MAX_RESPONSE_BYTES, Dendrite, type DendriteOptions, type QueryOptions, type QueryResult, type QueryStatus } from './dendrite';
export { ChunkQueue, lineDecoder, type StreamCall, type StreamDecoder, type StreamQueryOptions, type StreamResult } from './stream';
export {
  HttpTransport, TransportError, type DendriteTransport, type HttpTransportOptions, type TransportErrorCode, type TransportRequest, type TransportResponse, type TransportStream,
} from './transport';
