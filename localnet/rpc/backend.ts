/**
 * What the RPC layer can use beyond the `ChainBackend` contract. Every member is optional: the
 * server checks for it at call time and falls back to what a node with an empty view of it reports.
 */
import type { ChainBackend } from '../chain/backend';

export interface RpcBackendExtensions {
  /**
   * The SCALE-encoded extrinsics waiting in the pool (each with its length prefix), for
   * `author_pendingExtrinsics`. Without it the node reports an empty pool.
   */
  pendingExtrinsics(): readonly Uint8Array[];
}

/** The backend the RPC server adapts: the chain contract plus any of the optional extensions. */
export type RpcBackend = ChainBackend & Partial<RpcBackendExtensions>;
