/**
 * Typed errors of the chain client. Callers branch on `err.code`, never on message text.
 */
import { TensornetError } from '../common/errors';

/**
 * - `InvalidNetwork`: the network is neither a known name nor a ws(s):// URL.
 * - `RequestTimeout`: a request (or the initial connection) got no answer in time; `details.method` names it.
 * - `ConnectionFailed`: the endpoint refused or dropped the connection before the API was ready.
 * - `ClientClosed`: the client was used after `close()`.
 * - `UnsupportedRuntime`: the connected runtime lacks the call or storage an operation needs;
 *   `details` name the pallet, the item and the runtime's spec version.
 * - `InvalidStorage`: the node answered a storage query with values that do not decode.
 * - `SubscriptionEnded`: a subscription ended because the socket dropped, the node closed it or the client closed.
 */
export type ChainClientErrorCode = 'InvalidNetwork' | 'RequestTimeout' | 'ConnectionFailed' | 'ClientClosed' | 'UnsupportedRuntime' | 'InvalidStorage' | 'SubscriptionEnded';

/** An error of the connection, the runtime or a chain query. */
export class ChainClientError<Code extends ChainClientErrorCode = ChainClientErrorCode> extends TensornetError<Code> {}

/** A request that got no answer within its timeout. */
export class RequestTimeoutError extends ChainClientError<'RequestTimeout'> {
  constructor(method: string, timeoutMs: number, url: string) {
    super('RequestTimeout', `${method}: no answer from ${url} within ${timeoutMs} ms`, { method, timeoutMs, url });
  }
}

/** The connected runtime cannot express an operation (a call or storage item is missing or has an unknown shape). */
export class UnsupportedRuntimeError extends ChainClientError<'UnsupportedRuntime'> {
  constructor(item: string, specVersion: number, reason: string) {
    super('UnsupportedRuntime', `${item} is not supported by runtime spec ${specVersion}: ${reason}`, { item, specVersion, reason });
  }
}
