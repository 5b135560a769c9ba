/**
 * Many real signed extrinsics, fast, and a client that submits them the way a script flooding a node's
 * public RPC would: `author_submitExtrinsic` in JSON-RPC batches over one WebSocket.
 *
 * Extrinsics are assembled from their parts (the call encoded by the chain's registry, then the v4
 * signed-extrinsic layout of spec 219: immortal era, nonce, tip, CheckMetadataHash mode 0) and signed
 * over the real signing payload with the wasm sr25519 signer, ~20x faster than building each through
 * `registry.createType('Extrinsic').sign()`. The node verifies every signature, so a layout mistake
 * shows up as 1010 "bad signature", never as a pass.
 */
import { Keyring } from '@polkadot/keyring';
import { compactToU8a, u8aConcat, u8aToHex, hexToU8a, stringToU8a } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { sr25519KeypairFromSeed, sr25519Sign } from '@polkadot/wasm-crypto';
import type { Chain } from '../../../localnet';
import { RawWsClient, type JsonRpcResponse } from './rpc-clients';

/** A key that can sign: a dev URI pair (keyring) or a throw-away key (wasm). */
export interface SigningKey {
  readonly publicKey: Uint8Array;
  readonly address: string;
  sign(message: Uint8Array): Uint8Array;
}

export interface SignOptions {
  readonly nonce: number;
  readonly tip?: bigint;
}

function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });

/** A dev-URI key (`//Alice`): signs through the keyring (slower; for a handful of transactions). */
export function devKey(uri: string): SigningKey {
  const pair = keyring.addFromUri(uri);
  return { publicKey: pair.publicKey, address: pair.address, sign: (message) => pair.sign(message) };
}

/** A throw-away key from a name (its seed is blake2(name)), signing with the wasm signer. Needs `cryptoWaitReady()`. */
export function throwawayKey(name: string): SigningKey {
  const keypair = sr25519KeypairFromSeed(blake2AsU8a(stringToU8a(name), 256));
  const secret = keypair.slice(0, 64);
  const publicKey = keypair.slice(64);
  return { publicKey, address: keyring.encodeAddress(publicKey), sign: (message) => sr25519Sign(publicKey, secret, message) };
}

/** Signs extrinsics for one chain (its registry, genesis hash and runtime version). */
export class ExtrinsicSigner {
  constructor(private readonly chain: Chain) {}

  /** The SCALE call `pallet.method(args)` (args by metadata names). */
  call(pallet: string, method: string, args: Record<string, unknown>): Uint8Array {
    const { meta } = this.chain.runtime;
    return meta.registry.createType('Call', { callIndex: meta.callIndex(pallet, method), args }).toU8a();
  }

  /** `call` signed by `key` with an explicit nonce (and tip), immortal, as 0x hex. */
  signCall(key: SigningKey, call: Uint8Array, options: SignOptions): `0x${string}` {
    const { specVersion, transactionVersion } = this.chain.runtime.version;
    const genesis = hexToU8a(this.chain.genesisHash);
    // era (immortal), nonce, tip, CheckMetadataHash mode
    const extra = u8aConcat(new Uint8Array([0x00]), compactToU8a(options.nonce), compactToU8a(options.tip ?? 0n), new Uint8Array([0x00]));
    // spec version, tx version, genesis hash, birth block hash (genesis when immortal), metadata hash: None
    const additional = u8aConcat(u32le(specVersion), u32le(transactionVersion), genesis, genesis, new Uint8Array([0x00]));
    let payload = u8aConcat(call, extra, additional);
    if (payload.length > 256) payload = blake2AsU8a(payload, 256);
    const signature = key.sign(payload);
    // version 4 signed, MultiAddress::Id, MultiSignature::Sr25519
    const body = u8aConcat(new Uint8Array([0x84, 0x00]), key.publicKey, new Uint8Array([0x01]), signature, extra, call);
    return u8aToHex(u8aConcat(compactToU8a(body.length), body)) as `0x${string}`;
  }

  /** A `Balances.transfer_keep_alive` of `value` rao to `to`. */
  transfer(key: SigningKey, to: SigningKey, value: bigint, options: SignOptions): `0x${string}` {
    return this.signCall(key, this.call('Balances', 'transfer_keep_alive', { dest: { Id: to.publicKey }, value }), options);
  }
}

/** The error of a refused submission, or null when the pool accepted it. */
export type SubmitOutcome = JsonRpcResponse['error'] | null;

/**
 * Submits every extrinsic through `author_submitExtrinsic` over one WebSocket, `batchSize` requests
 * per JSON-RPC batch message, and answers each one's outcome in order.
 */
export async function submitAll(url: string, extrinsics: readonly string[], batchSize = 256): Promise<SubmitOutcome[]> {
  const ws = await RawWsClient.connect(url);
  const outcomes: SubmitOutcome[] = [];
  try {
    for (let start = 0; start < extrinsics.length; start += batchSize) {
      const chunk = extrinsics.slice(start, start + batchSize);
      const ids = chunk.map((_, i) => `submit-${start + i}`);
      const reply = ws.waitFor((m) => Array.isArray(m) && (m as JsonRpcResponse[]).some((r) => r.id === ids[0]), 60_000);
      ws.sendRaw(chunk.map((hex, i) => ({ jsonrpc: '2.0', id: ids[i], method: 'author_submitExtrinsic', params: [hex] })));
      const responses = new Map(((await reply) as JsonRpcResponse[]).map((r) => [r.id, r]));
      for (const id of ids) outcomes.push(responses.get(id)?.error ?? null);
    }
  } finally {
    await ws.close();
  }
  return outcomes;
}

/** How many outcomes carry each error code (`ok` for accepted ones). */
export function countByCode(outcomes: readonly SubmitOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = outcome ? String(outcome.code) : 'ok';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
