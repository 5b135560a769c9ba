/**
 * `GET /v1/network`: the chain-wide view the dashboard's overview shows — the best block, TAO issuance and
 * how the block emission is split among subnets — read from the chain through a validator's chain client.
 * The values are read together at one block hash (`state_queryStorageAt`), so shares and issuance agree.
 *
 * Issuance is `SubtensorModule.TotalIssuance`, the TAO the subtensor pallet has minted (what the block
 * emission halves on), not the Balances pallet's total. A subnet's share is its `EmissionValues` (rao per
 * block, set by the root epoch) over the sum of every subnet's; null while the sum is 0 (no root epoch yet).
 */
import { ChainClientError, getNetworks, readStorage, storageItem, type ChainClient, type StorageItem } from '../../chain-client';
import { ApiError } from './errors';
import type { NetworkBody } from './schemas';

/** Chain client failures that mean "the chain cannot be reached now" rather than a bug. */
const UNAVAILABLE = new Set(['RequestTimeout', 'ConnectionFailed', 'ClientClosed', 'SubscriptionEnded']);

function valueOf(item: StorageItem, values: ReadonlyMap<string, string | null>, key: string): bigint {
  const decoded = item.decode(values.get(key) ?? null);
  return decoded === null ? 0n : BigInt(decoded.toString());
}

/** Reads the network view at the best block. @throws ApiError `ChainUnavailable` when the chain cannot be read */
export async function readNetwork(client: ChainClient, served: ReadonlySet<number>): Promise<NetworkBody> {
  try {
    const header = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
    const hash = header.hash.toHex();
    const netuids = await getNetworks(client);
    const issuance = storageItem(client, 'SubtensorModule', 'TotalIssuance');
    const emission = storageItem(client, 'SubtensorModule', 'EmissionValues');
    const blockEmission = client.runtime.hasStorage('SubtensorModule', 'BlockEmission') ? storageItem(client, 'SubtensorModule', 'BlockEmission') : null;
    const keys = [issuance.key(), ...(blockEmission === null ? [] : [blockEmission.key()]), ...netuids.map((n) => emission.key(n))];
    const { values } = await readStorage(client, keys, hash);
    const perSubnet = netuids.map((netuid) => ({ netuid, emission: valueOf(emission, values, emission.key(netuid)) }));
    const total = perSubnet.reduce((sum, s) => sum + s.emission, 0n);
    return {
      block: header.number.toNumber(),
      blockHash: hash,
      totalIssuance: valueOf(issuance, values, issuance.key()).toString(),
      blockEmission: blockEmission === null ? null : valueOf(blockEmission, values, blockEmission.key()).toString(),
      subnets: perSubnet.map(({ netuid, emission: rao }) => ({
        netuid, emission: rao.toString(), share: total === 0n ? null : Number((rao * 1_000_000_000n) / total) / 1e9, served: served.has(netuid),
      })),
    };
  } catch (err) {
    if (err instanceof ChainClientError && UNAVAILABLE.has(err.code)) throw new ApiError('ChainUnavailable', `the chain could not be read: ${err.message}`);
    throw err;
  }
}

/**
 * `readNetwork` with concurrent callers sharing one read: a dashboard per browser tab polls this, and
 * each read is a few chain requests.
 */
export function sharedNetworkReader(client: ChainClient | null, served: ReadonlySet<number>): () => Promise<NetworkBody> {
  let inFlight: Promise<NetworkBody> | null = null;
  return () => {
    if (client === null) return Promise.reject(new ApiError('ChainUnavailable', 'this API serves no subnet, so it has no chain client to read the network with'));
    inFlight ??= readNetwork(client, served).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
