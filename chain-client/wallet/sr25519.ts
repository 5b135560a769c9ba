/**
 * sr25519 signing and verification on the fastest backend available here, for the two hot paths: an
 * axon verifies every request, a dendrite signs every one.
 *
 * @polkadot-labs/schnorrkel-wasm (schnorrkel 0.11 on curve25519-dalek 4) verifies in ≈0.13 ms and signs in
 * ≈0.07 ms on a 2-core EPYC, against ≈0.29 / 0.13 ms for @polkadot/wasm-crypto's older build. Same scheme,
 * same `substrate` signing context, each verifies the other's signatures.
 *
 * That build `expect`s well-formed input: a public key that is not a Ristretto point, or a signature
 * without schnorrkel's marker bit or with an unreduced scalar, makes it panic, and a wasm panic does not
 * unwind (after about a thousand its memory is corrupt). So nothing reaches it unchecked: a public key is
 * decoded here first (@noble/curves' RFC 9496 Ristretto decoding, once per key, cached), a signature is
 * checked for the marker bit and a canonical scalar, a secret key for a canonical scalar. Should the
 * module fail to load or throw all the same, it is not used again in this process and the callers fall
 * back to @polkadot/wasm-crypto.
 */
import { RistrettoPoint, ed25519 } from '@noble/curves/ed25519';
import type * as Schnorrkel from '@polkadot-labs/schnorrkel-wasm';

type Backend = typeof Schnorrkel;

/** undefined: not loaded yet; null: unavailable (failed to load, or threw once). */
let backend: Backend | null | undefined;

function fast(): Backend | null {
  if (backend === undefined) {
    try {
      backend = require('@polkadot-labs/schnorrkel-wasm') as Backend;
    } catch {
      backend = null;
    }
  }
  return backend;
}

/** Runs `call` on the fast backend; undefined when it is unavailable or throws (then it is retired). */
function onFast<T>(call: (b: Backend) => T): T | undefined {
  const b = fast();
  if (b === null) return undefined;
  try {
    return call(b);
  } catch {
    backend = null;
    return undefined;
  }
}

/** The group order ℓ, 32 bytes little-endian. */
const ORDER_LE: Uint8Array = (() => {
  const out = new Uint8Array(32);
  let n = ed25519.CURVE.n;
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
})();

/** Whether 32 little-endian bytes (from `offset`, top bit of the last one masked off when `maskTop`) are below ℓ. */
function belowOrder(bytes: Uint8Array, offset: number, maskTop: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const b = i === 31 && maskTop ? bytes[offset + i]! & 0x7f : bytes[offset + i]!;
    if (b !== ORDER_LE[i]) return b < ORDER_LE[i]!;
  }
  return false;
}

/** Whether 64 bytes have the shape schnorrkel accepts: the marker bit set, the scalar `s` reduced. */
export function isSchnorrkelSignature(signature: Uint8Array): boolean {
  return signature.length === 64 && (signature[63]! & 0x80) !== 0 && belowOrder(signature, 32, true);
}

/** Whether 32 bytes are the canonical encoding of a Ristretto point (an sr25519 public key). */
export function isRistrettoPoint(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  try {
    RistrettoPoint.fromBytes(publicKey);
    return true;
  } catch {
    return false;
  }
}

/**
 * `signature` by `publicKey` of `message` on the fast backend: true or false, or undefined when that
 * backend cannot answer (unavailable; the caller falls back). The key must have passed {@link isRistrettoPoint}.
 */
export function fastVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean | undefined {
  if (!isSchnorrkelSignature(signature)) return false;
  return onFast((b) => b.sr25519_verify(publicKey, message, signature));
}

/** Keypairs the fast backend may sign for (valid public key, reduced secret scalar), by public key hex. */
const signable = new Map<string, boolean>();

/**
 * Signs on the fast backend with a secret in the ed25519 form (`schnorrkelToEd25519Form`); undefined when
 * that backend is unavailable or the key is not one it can take (the caller falls back).
 */
export function fastSign(publicKey: Uint8Array, schnorrkelSecret: Uint8Array, ed25519Secret: Uint8Array, message: Uint8Array): Uint8Array | undefined {
  const id = Buffer.from(publicKey).toString('hex');
  let ok = signable.get(id);
  if (ok === undefined) {
    ok = schnorrkelSecret.length === 64 && ed25519Secret.length === 64 && belowOrder(schnorrkelSecret, 0, false) && isRistrettoPoint(publicKey);
    if (signable.size >= 1024) signable.clear();
    signable.set(id, ok);
  }
  if (!ok) return undefined;
  return onFast((b) => b.sr25519_sign(publicKey, ed25519Secret, message));
}

/** Whether the fast backend serves (loaded and never failed): false means @polkadot/wasm-crypto does. */
export function fastBackendActive(): boolean {
  return fast() !== null;
}
