/**
 * localnet: an embedded subtensor (spec 219) node. `startLocalnet()` starts the chain and its JSON-RPC
 * endpoint (WebSocket + HTTP on one port) and returns the URL to point any Substrate client at.
 */
import { Chain, type ChainOptions } from './chain/chain';
import { assertDevChainNotExposed } from './exposure';
import { createRpcServer, type CorsPolicy, type RpcMethodsPolicy, type RpcServer } from './rpc';
import type { Logger } from './rpc/logger';

export interface LocalnetOptions extends ChainOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 9944 */
  readonly port?: number;
  readonly logger?: Logger;
  /** `--rpc-methods`: unsafe methods such as `dev_newBlock` are served on loopback only under `auto`. @default 'auto' */
  readonly rpcMethods?: RpcMethodsPolicy;
  /** `--rpc-cors`: the browser origins allowed to call. @default localhost pages (`DEFAULT_CORS_ORIGINS`) */
  readonly rpcCors?: CorsPolicy;
  /**
   * Listen on a non-loopback address even though the chain's sudo key is a public development key
   * (//Alice in the default genesis). @default false (refused with `DevGenesisExposedError`)
   */
  readonly allowDevGenesisOnNetwork?: boolean;
}

export interface Localnet {
  /** `ws://host:port` */
  readonly url: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly chain: Chain;
  /** Whether unsafe RPC methods (`dev_newBlock`, …) are refused. */
  readonly denyUnsafe: boolean;
  close(): Promise<void>;
}

export async function startLocalnet(options: LocalnetOptions = {}): Promise<Localnet> {
  const chain = await Chain.start(options);
  const host = options.host ?? '127.0.0.1';
  let server: RpcServer;
  try {
    await assertDevChainNotExposed(chain, host, options.allowDevGenesisOnNetwork ?? false);
    server = await createRpcServer({
      backend: chain,
      host,
      port: options.port ?? 9944,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.rpcMethods ? { rpcMethods: options.rpcMethods } : {}),
      ...(options.rpcCors ? { cors: options.rpcCors } : {}),
    });
  } catch (err) {
    await chain.close();
    throw err;
  }
  return {
    url: server.url,
    httpUrl: server.httpUrl,
    port: server.port,
    chain,
    denyUnsafe: server.denyUnsafe,
    close: async () => {
      await server.close();
      await chain.close();
    },
  };
}

export { Chain } from './chain/chain';
export type { ChainOptions } from './chain/chain';
export { DEFAULT_POOL_LIMITS, type PoolLimits, type PoolStatus } from './chain/pool';
export { DevGenesisExposedError } from './exposure';
export { DEFAULT_CORS_ORIGINS, RpcAccessError, parseRpcCors, parseRpcMethods, RPC_METHODS_POLICIES, type CorsPolicy, type RpcMethodsPolicy } from './rpc';
export { Runtime } from './runtime';

// Genesis files: parsed and applied by `tensornet localnet --genesis` and the economy simulator.
export { GENESIS_HYPERPARAMETERS, GenesisFileError, applyGenesisSubnets, genesisConfigOf, parseGenesisFile, resolveAccount, type GenesisFile } from './chain/genesis-file';

// State-level access for in-process tools that seed or inspect a chain without extrinsics (the economy
// simulator, the benchmarks): typed storage items and the subtensor pallet's own state helpers, so what
// they write is what a registration or stake would write.
export type { RuntimeContext } from './runtime/context';
export type { AccountId } from './runtime/primitives';
export type { StateOverlay } from './state/overlay';
export type { StateReader } from './state/types';
export { runtimeItems } from './runtime/items';
export { st as subtensorItems } from './runtime/pallets/subtensor/items';
export { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork, replaceNeuron, totalHotkeyStake } from './runtime/pallets/subtensor/common';
