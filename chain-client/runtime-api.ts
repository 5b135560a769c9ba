/**
 * Reads that a subtensor node answers more than one way, and the way this connection uses.
 *
 * The subtensor node serves its info structs and the lock cost through custom JSON-RPC methods
 * (`subnetInfo_getLockCost`, `neuronInfo_*`, …), which only the node binary has: chopsticks, light
 * clients and many RPC providers serve Substrate's standard methods alone. The runtime APIs behind
 * those methods are reachable everywhere through `state_call` (as the reference Python SDK queries
 * them), but only runtimes that declare them have them. What every runtime has is its storage. So each
 * read prefers the runtime API, then the custom RPC, then a plain storage read, detected once per
 * connection (again after a runtime upgrade): a runtime API is used when the runtime version lists it
 * (`apis`: blake2-64 of the trait name), a custom RPC when `rpc_methods` lists it.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import type { ChainClient } from './connect';
import { ChainClientError } from './errors';

/** How one value is read: `state_call` of a runtime API, the node's custom RPC, or storage. */
export type ReadPath = 'runtime-api' | 'custom-rpc' | 'storage';

/** The read path of each value that has more than one. */
export interface ReadPaths {
  /**
   * The subnet lock cost: `SubnetRegistrationRuntimeApi_get_network_registration_cost`, else
   * `subnetInfo_getLockCost`, else computed from `NetworkLastLockCost`, `NetworkMinLockCost`,
   * `NetworkLastRegistered` and `NetworkLockReductionInterval` as the runtime computes it.
   */
  readonly lockCost: ReadPath;
}

/** The runtime API (trait) and the custom RPC that answer each value, in order of preference before storage. */
const SOURCES: { readonly [K in keyof ReadPaths]: { readonly api: string; readonly rpc: string } } = {
  lockCost: { api: 'SubnetRegistrationRuntimeApi', rpc: 'subnetInfo_getLockCost' },
};

interface Detected {
  readonly specVersion: number;
  readonly paths: Promise<ReadPaths>;
}

const detected = new WeakMap<ChainClient, Detected>();

/** Whether the connected runtime declares the runtime API trait `name` (e.g. `NeuronInfoRuntimeApi`) in its version's `apis`. */
export function hasRuntimeApi(client: ChainClient, name: string): boolean {
  const id = blake2AsHex(name, 64);
  return client.api.runtimeVersion.apis.some(([apiId]) => apiId.toHex() === id);
}

/**
 * The read path of each value on this connection, detected on first use (one `rpc_methods` request)
 * and again after a runtime upgrade.
 * @throws RequestTimeoutError
 */
export function readPaths(client: ChainClient): Promise<ReadPaths> {
  const specVersion = client.runtime.identity.specVersion;
  const known = detected.get(client);
  if (known && known.specVersion === specVersion) return known.paths;
  const paths = detect(client);
  detected.set(client, { specVersion, paths });
  // A failed detection (a timeout) is not remembered: the next read tries again.
  paths.catch(() => {
    if (detected.get(client)?.paths === paths) detected.delete(client);
  });
  return paths;
}

async function detect(client: ChainClient): Promise<ReadPaths> {
  const methods = new Set(await rpcMethods(client));
  const pathOf = (source: { readonly api: string; readonly rpc: string }): ReadPath =>
    hasRuntimeApi(client, source.api) ? 'runtime-api' : methods.has(source.rpc) ? 'custom-rpc' : 'storage';
  return { lockCost: pathOf(SOURCES.lockCost) };
}

/** The JSON-RPC methods the node lists; empty when it does not answer `rpc_methods` (then no custom RPC is assumed). */
async function rpcMethods(client: ChainClient): Promise<string[]> {
  try {
    const answer = await client.rpc<{ methods?: unknown }>('rpc_methods', []);
    return Array.isArray(answer.methods) ? answer.methods.filter((m): m is string => typeof m === 'string') : [];
  } catch (err) {
    if (err instanceof ChainClientError) throw err;
    return [];
  }
}

/**
 * `state_call(method, args)` at block `at` (default: best): the SCALE bytes the runtime API returns.
 * @throws RequestTimeoutError; the node's error when the runtime has no such function
 */
export async function stateCall(client: ChainClient, method: string, args: Uint8Array, at?: string): Promise<Uint8Array> {
  const answer = await client.rpc<string>('state_call', at === undefined ? [method, u8aToHex(args)] : [method, u8aToHex(args), at]);
  return hexToU8a(answer);
}
