/**
 * The fast sr25519 backend (chain-client/wallet/sr25519.ts) against @polkadot/wasm-crypto, the verifier it
 * replaces on the hot path: the same verdict on valid, tampered and malformed signatures, signatures that
 * each accepts from the other, and malformed input that never reaches (and so never breaks) the wasm.
 */
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sr25519Verify as jsSr25519Verify } from '@polkadot/util-crypto';
import { sr25519Verify as wasmCryptoVerify } from '@polkadot/wasm-crypto';
import { ed25519 } from '@noble/curves/ed25519';
import { keypairFromUri, signMessage, verifyMessage, type Keypair } from '../../chain-client/wallet';
import { fastBackendActive, fastVerify, isRistrettoPoint, isSchnorrkelSignature } from '../../chain-client/wallet/sr25519';

/** A seeded xorshift byte source. */
function bytes(seed: number, n: number): Uint8Array {
  let x = (seed * 2654435761) >>> 0 || 1;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

/** ℓ + delta as 32 little-endian bytes. */
function orderPlus(delta: bigint): Uint8Array {
  let n = ed25519.CURVE.n + delta;
  return Uint8Array.from({ length: 32 }, () => {
    const b = Number(n & 0xffn);
    n >>= 8n;
    return b;
  });
}

let keys: Keypair[];

beforeAll(async () => {
  await cryptoWaitReady();
  keys = ['//Alice', '//Bob', '//Fast1', '//Fast2'].map(keypairFromUri);
});

describe('default: the fast backend verifies as @polkadot/wasm-crypto does', () => {
  test('valid, tampered (R, s, marker bit, message, other key) and foreign signatures get the same verdict', () => {
    expect(fastBackendActive()).toBe(true);
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const key = keys[i % keys.length]!;
      const message = bytes(i, 1 + (i % 90));
      const signature = hexToU8a(signMessage(key, message));
      let sig: Uint8Array = Uint8Array.from(signature);
      let msg: Uint8Array = message;
      let publicKey: Uint8Array = key.publicKey;
      switch (i % 6) {
        case 1: sig[i % 32] ^= 1 << (i % 8); break; // R
        case 2: sig[32 + (i % 31)] ^= 1 << (i % 8); break; // s
        case 3: sig[63] &= 0x7f; break; // marker bit
        case 4: msg = Uint8Array.from(message, (b, j) => (j === 0 ? b ^ 1 : b)); break;
        case 5: publicKey = keys[(i + 1) % keys.length]!.publicKey; break;
        default: sig = signature;
      }
      const expected = wasmCryptoVerify(sig, msg, publicKey);
      expect({ i, verdict: fastVerify(sig, msg, publicKey) }).toEqual({ i, verdict: expected });
      if (expected) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(400 / 6);
    expect(fastBackendActive()).toBe(true);
  });

  test('signatures of either backend verify on the other and on the pure-JS reference verifier', () => {
    const key = keys[0]!;
    const message = stringToU8a('1750000000000000000.5Grw.5FHn.1b4e28ba-2fa1-11d2-883f-0016d3cca427.' + 'ab'.repeat(32));
    const fast = hexToU8a(signMessage(key, message));
    expect(wasmCryptoVerify(fast, message, key.publicKey)).toBe(true);
    expect(jsSr25519Verify(message, fast, key.publicKey)).toBe(true);
    const reference = key.pair!.sign(message);
    expect(fastVerify(reference, message, key.publicKey)).toBe(true);
    expect(verifyMessage(message, u8aToHex(reference), key.address)).toBe(true);
  });
});

describe('error: malformed input never reaches the wasm', () => {
  test('the signature shape check: marker bit, and a scalar below the group order', () => {
    const sig = (s: Uint8Array, marker = true): Uint8Array => {
      const out = new Uint8Array(64);
      out.set(bytes(7, 32));
      out.set(s, 32);
      if (marker) out[63]! |= 0x80;
      return out;
    };
    expect(isSchnorrkelSignature(sig(orderPlus(-1n)))).toBe(true);
    expect(isSchnorrkelSignature(sig(new Uint8Array(32)))).toBe(true);
    expect(isSchnorrkelSignature(sig(orderPlus(0n)))).toBe(false);
    expect(isSchnorrkelSignature(sig(orderPlus(1n)))).toBe(false);
    expect(isSchnorrkelSignature(sig(new Uint8Array(32).fill(0x7f)))).toBe(false);
    expect(isSchnorrkelSignature(sig(new Uint8Array(32), false))).toBe(false);
    expect(isSchnorrkelSignature(new Uint8Array(63))).toBe(false);
  });

  test('thousands of unmarked, unreduced signatures and off-curve keys are refused without breaking the backend', () => {
    const key = keys[1]!;
    const message = stringToU8a('payload');
    const good = hexToU8a(signMessage(key, message));
    // More than the ~1,000 panics that corrupt the module's memory, were they to reach it.
    for (let i = 0; i < 1500; i++) {
      const unmarked = Uint8Array.from(good);
      unmarked[63]! &= 0x7f;
      expect(verifyMessage(message, unmarked, key.address)).toBe(false);
      const unreduced = Uint8Array.from(good);
      unreduced.set(orderPlus(BigInt(i)), 32);
      unreduced[63]! |= 0x80;
      expect(verifyMessage(message, unreduced, key.address)).toBe(false);
    }
    let offCurve = 0;
    for (let i = 0; i < 200; i++) {
      const publicKey = bytes(1000 + i, 32);
      if (isRistrettoPoint(publicKey)) continue;
      offCurve++;
      expect(verifyMessage(message, good, u8aToHex(publicKey))).toBe(false);
    }
    expect(offCurve).toBeGreaterThan(100);
    expect(fastBackendActive()).toBe(true);
    expect(verifyMessage(message, good, key.address)).toBe(true);
  });
});
