/** Helpers the handler modules share. */
import { ChainError } from '../../chain/errors';
import type { BlockRecord, HexString } from '../../chain/backend';
import type { Logger } from '../logger';
import type { RpcBackend } from '../backend';

/**
 * The block `at` names (the best block when absent). Throws `ChainError(UnknownBlock)` for a hash
 * the node does not serve, as the backend's `stateAt` does.
 */
export function blockAt(backend: RpcBackend, at: HexString | undefined): BlockRecord {
  if (at === undefined) return backend.bestBlock();
  const block = backend.blockByHash(at);
  if (block === undefined) throw new ChainError('UnknownBlock', `Header was not found in the database: ${at}`, { hash: at });
  return block;
}

/**
 * Wraps a backend event listener so that a failure while building a notification is logged
 * instead of escaping into the chain's event emitter.
 */
export function guardListener<A extends unknown[]>(logger: Logger, what: string, listener: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      listener(...args);
    } catch (err) {
      logger.warn('subscription notification failed', { subscription: what, err });
    }
  };
}
