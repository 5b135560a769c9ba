/**
 * The localnet state commitment.
 *
 * `stateRoot = Σ blake2_256(u32le(len(key)) ‖ key ‖ value)  mod 2^256` over every live entry, each
 * hash read as a little-endian 256-bit integer, the sum written back as 32 little-endian bytes.
 * (The key length prefix makes `key ‖ value` unambiguous; the empty state's root is 32 zero bytes.)
 *
 * This is a multiset hash, NOT Substrate's base-16 Patricia–Merkle trie root:
 * - it is deterministic and order-independent, so a block's root depends only on the resulting state,
 *   and a from-scratch recomputation (`computeStateRootFromScratch`) must equal the incremental one;
 * - it updates in O(changed keys) per block (subtract the old entry's hash, add the new one), where a
 *   trie root needs the trie: rebuilding it per block would dominate block time, and maintaining one
 *   incrementally is a project of its own;
 * - clients of this node (polkadot.js, bittensor) read `stateRoot` from headers but never verify it
 *   or request storage proofs, so no client can tell the difference. Do not expect
 *   `state_getReadProof`-style proofs against it.
 *
 * Hashing runs through `@polkadot/util-crypto`'s `blake2AsU8a`, which uses WASM after
 * `cryptoWaitReady()` resolved (about 3× faster than its pure-JS fallback; both give equal bytes).
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import type { HexKey, StateReader } from './types';
import { hexKeyByteLength, writeHexKey } from './hex';

/** blake2_256(u32le(len(key)) ‖ key ‖ value): one live entry's contribution to the root. */
export function entryHash(key: HexKey, value: Uint8Array): Uint8Array {
  const klen = hexKeyByteLength(key);
  const buf = new Uint8Array(4 + klen + value.length);
  buf[0] = klen & 0xff;
  buf[1] = (klen >>> 8) & 0xff;
  buf[2] = (klen >>> 16) & 0xff;
  buf[3] = (klen >>> 24) & 0xff;
  writeHexKey(key, buf, 4);
  buf.set(value, 4 + klen);
  return blake2AsU8a(buf, 256);
}

/** acc += h (mod 2^256), or acc -= h when `subtract`; acc is 8 little-endian u32 limbs, h 32 LE bytes. */
function accumulate(acc: Uint32Array, h: Uint8Array, subtract: boolean): void {
  // a - b = a + ~b + 1 (mod 2^256)
  let carry = subtract ? 1 : 0;
  for (let i = 0, o = 0; i < 8; i++, o += 4) {
    let w = (h[o]! | (h[o + 1]! << 8) | (h[o + 2]! << 16) | (h[o + 3]! << 24)) >>> 0;
    if (subtract) w = ~w >>> 0;
    const s = acc[i]! + w + carry;
    acc[i] = s >>> 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

/** An incrementally maintained multiset-hash state root (see the module comment). */
export class StateRootAccumulator {
  private readonly limbs = new Uint32Array(8);

  /** Starts from the empty state, or from a previous `root()` value. */
  constructor(root?: Uint8Array) {
    if (root !== undefined) {
      if (root.length !== 32) throw new RangeError(`a state root is 32 bytes, got ${root.length}`);
      for (let i = 0; i < 8; i++) this.limbs[i] = (root[4 * i]! | (root[4 * i + 1]! << 8) | (root[4 * i + 2]! << 16) | (root[4 * i + 3]! << 24)) >>> 0;
    }
  }

  /** Accounts for a live entry `key = value` entering the state. */
  add(key: HexKey, value: Uint8Array): void {
    accumulate(this.limbs, entryHash(key, value), false);
  }

  /** Accounts for the live entry `key = value` leaving the state (exact inverse of `add`). */
  remove(key: HexKey, value: Uint8Array): void {
    accumulate(this.limbs, entryHash(key, value), true);
  }

  /** The current root: 32 bytes (a fresh copy). */
  root(): Uint8Array {
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const w = this.limbs[i]!;
      out[4 * i] = w & 0xff;
      out[4 * i + 1] = (w >>> 8) & 0xff;
      out[4 * i + 2] = (w >>> 16) & 0xff;
      out[4 * i + 3] = w >>> 24;
    }
    return out;
  }
}

/** The root of `reader`'s whole state, recomputed from every entry (for verification; O(state)). */
export function computeStateRootFromScratch(reader: StateReader): Uint8Array {
  const acc = new StateRootAccumulator();
  for (const key of reader.keys('0x')) {
    const value = reader.get(key);
    if (value !== null) acc.add(key, value);
  }
  return acc.root();
}

/** The root of a set of entries (e.g. a snapshot being restored). */
export function computeStateRootOfEntries(entries: Iterable<readonly [HexKey, Uint8Array]>): Uint8Array {
  const acc = new StateRootAccumulator();
  for (const [key, value] of entries) acc.add(key, value);
  return acc.root();
}
