/** `system_*`: node identity and status (a single-node development chain with no peers). */
import { base58Encode, blake2AsU8a } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aConcat } from '@polkadot/util';
import type { HexString } from '../../chain/backend';
import { propertiesJson } from '../codec';
import { method, param, unsafe, type RpcEntry } from '../method';
import { address } from '../schemas';

/** libp2p identity multihash header of an ed25519 public key (`0x00 0x24 0x08 0x01 0x12 0x20`). */
const ED25519_PEER_ID_PREFIX = new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]);

/**
 * A stable libp2p peer id ("12D3KooW…") for the node, derived from the genesis hash (the node has
 * no network identity; clients only display it).
 */
export function localPeerId(genesisHash: HexString): string {
  const pseudoKey = blake2AsU8a(u8aConcat(hexToU8a(genesisHash), stringToU8a('tensornet-localnet/peer-id')), 256);
  return base58Encode(u8aConcat(ED25519_PEER_ID_PREFIX, pseudoKey));
}

export const systemHandlers = {
  system_chain: method([], ({ backend }) => backend.chainName),
  system_name: method([], ({ backend }) => backend.nodeName),
  system_version: method([], ({ backend }) => backend.nodeVersion),
  system_properties: method([], ({ backend }) => propertiesJson(backend.properties)),
  system_chainType: method([], () => 'Development'),
  system_health: method([], () => ({ peers: 0, isSyncing: false, shouldHavePeers: false })),
  system_localPeerId: method([], ({ backend }) => localPeerId(backend.genesisHash)),
  system_localListenAddresses: method([], () => []),
  system_nodeRoles: method([], () => ['Authority']),
  // Unsafe on a Substrate node (it reveals the peer set); served the same way here.
  system_peers: unsafe(method([], () => [])),
  system_syncState: method([], ({ backend }) => {
    const best = backend.bestBlock().number;
    return { startingBlock: 0, currentBlock: best, highestBlock: best };
  }),
  system_accountNextIndex: method([param('account', address)], ({ backend }, [account]) => backend.accountNextIndex(account)),
} satisfies Record<string, RpcEntry>;
