/**
 * Message signing as the reference `Keypair.sign` / `verify` (wire-protocol §1.2): strings are UTF-8
 * unless they start with `0x` (then hex-decoded); verification also accepts a signature over the
 * polkadot.js extension wrapping `<Bytes>` + data + `</Bytes>`. Signatures render as `0x` + 128 hex digits.
 */
import { hexToU8a, isHex, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { decodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { isReady as wasmReady, sr25519Sign as wasmSr25519Sign, sr25519Verify as wasmSr25519Verify } from '@polkadot/wasm-crypto';
import { WalletError } from './errors';
import { fastSign, fastVerify, isRistrettoPoint } from './sr25519';
import { schnorrkelToEd25519Form, type Keypair } from './keypair';

/** The bytes a message stands for: `0x…` strings are hex, other strings UTF-8, bytes as they are. */
export function messageBytes(data: string | Uint8Array): Uint8Array {
  if (typeof data !== 'string') return data;
  return data.startsWith('0x') && isHex(data) ? hexToU8a(data) : stringToU8a(data);
}

/**
 * Signs `data` with the keypair's sr25519 key; returns `0x` + 128 hex digits.
 * @throws WalletError `InvalidKeyfile` for a public-only keypair
 */
export function signMessage(keypair: Keypair, data: string | Uint8Array): string {
  if (!keypair.pair) throw new WalletError('InvalidKeyfile', `${keypair.address} is a public key only; it cannot sign`);
  const message = messageBytes(data);
  const secret = secretsOf(keypair);
  if (secret !== undefined) {
    // Wasm schnorrkel signs ~10-20× faster than the keyring's pure-JS signer (a dendrite signs every request).
    const signature = fastSign(keypair.publicKey, secret.schnorrkel, secret.ed25519, message);
    if (signature !== undefined) return u8aToHex(signature);
    if (wasmReady()) return u8aToHex(wasmSr25519Sign(keypair.publicKey, secret.ed25519, message));
  }
  return u8aToHex(keypair.pair.sign(message));
}

/**
 * Whether `signature` (0x hex or bytes) is `address`'s sr25519 signature of `data`, or of `<Bytes>data</Bytes>`.
 * sr25519 only, as the reference keypair (crypto type 1). An axon pays this on every request: the address
 * is decoded once (cached), and the wasm verifiers run ≈0.13 ms (sr25519.ts) or ≈0.3 ms (@polkadot/wasm-crypto)
 * against ≈2.3 ms for util-crypto's pure-JS one.
 */
export function verifyMessage(data: string | Uint8Array, signature: string | Uint8Array, address: string): boolean {
  const sig = typeof signature === 'string' ? (isHex(signature) ? hexToU8a(signature) : new Uint8Array()) : signature;
  if (sig.length !== 64) return false;
  const key = verifyKeyOf(address);
  if (key === null) return false;
  const bytes = messageBytes(data);
  return verifyBytes(sig, bytes, key) || verifyBytes(sig, u8aConcat(stringToU8a('<Bytes>'), bytes, stringToU8a('</Bytes>')), key);
}

/** A decoded address: its public key, and whether that is a Ristretto point (no signature verifies otherwise). */
interface VerifyKey {
  readonly publicKey: Uint8Array;
  readonly point: boolean;
}

/** Decoded addresses (an axon sees the same few validator hotkeys on every request); insertion-ordered, oldest dropped first. */
const verifyKeys = new Map<string, VerifyKey | null>();
const MAX_VERIFY_KEYS = 4096;

/** The key of an address, or null when it does not decode (SS58 or hex public key, as `decodeAddress`). */
function verifyKeyOf(address: string): VerifyKey | null {
  let key = verifyKeys.get(address);
  if (key === undefined) {
    try {
      const publicKey = decodeAddress(address);
      key = { publicKey, point: isRistrettoPoint(publicKey) };
    } catch {
      key = null;
    }
    if (verifyKeys.size >= MAX_VERIFY_KEYS) verifyKeys.delete(verifyKeys.keys().next().value!);
    verifyKeys.set(address, key);
  }
  return key;
}

function verifyBytes(signature: Uint8Array, message: Uint8Array, key: VerifyKey): boolean {
  if (!key.point) return false;
  const fast = fastVerify(signature, message, key.publicKey);
  if (fast !== undefined) return fast;
  try {
    return wasmReady() ? wasmSr25519Verify(signature, message, key.publicKey) : sr25519Verify(message, signature, key.publicKey);
  } catch {
    // Bytes that are not a schnorrkel signature (marker bit unset): util-crypto's verifier throws.
    return false;
  }
}

interface Secrets {
  /** The 64-byte schnorrkel secret (scalar ‖ nonce), as the keyfile holds it. */
  readonly schnorrkel: Uint8Array;
  /** The same in the ed25519 form the wasm signers take. */
  readonly ed25519: Uint8Array;
}

const secrets = new WeakMap<Keypair, Secrets>();

/** The keypair's secret in the forms the wasm signers take (undefined when its keyfile data holds none). */
function secretsOf(keypair: Keypair): Secrets | undefined {
  if (typeof keypair.data.privateKey !== 'string') return undefined;
  let secret = secrets.get(keypair);
  if (secret === undefined) {
    const schnorrkel = hexToU8a(keypair.data.privateKey);
    secret = { schnorrkel, ed25519: schnorrkelToEd25519Form(schnorrkel) };
    secrets.set(keypair, secret);
  }
  return secret;
}
