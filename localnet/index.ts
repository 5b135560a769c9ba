/**
 * localnet: an embedded subtensor (spec 219) node. `startLocalnet()` starts the chain and its JSON-RPC
 * endpoint (WebSocket + HTTP on one port) and returns the URL to point any Substrate client at.
 */
import { Chain, type ChainOptions } from './chain/chain';
import { createRpcServer, type RpcServer } from './rpc';
import type { Logger } from './rpc/logger';

export interface LocalnetOptions extends ChainOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 9944 */
  readonly port?: number;
  readonly logger?: Logger;
}

export interface Localnet {
  /** `ws://host:port` */
  readonly url: string;
  readonly httpUrl: string;
  readonly port: number;
  readonly chain: Chain;
  close(): Promise<void>;
}

export async function startLocalnet(options: LocalnetOptions = {}): Promise<Localnet> {
  const chain = await Chain.start(options);
  let server: RpcServer;
  try {
    server = await createRpcServer({ backend: chain, host: options.host ?? '127.0.0.1', port: options.port ?? 9944, ...(options.logger ? { logger: options.logger } : {}) });
  } catch (err) {
    await chain.close();
    throw err;
  }
  return {
    url: server.url,
    httpUrl: server.httpUrl,
    port: server.port,
    chain,
    close: async () => {
      await server.close();
      await chain.close();
    },
  };
}

export { Chain } from './chain/chain';
export type { ChainOptions } from './chain/chain';
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
