/**
 * Bittensor keypairs (sr25519, SS58 format 42) and the keyfile JSON that stores them
 * (docs/wallets.md): from BIP39 mnemonics, 32-byte seeds, 64-byte private keys and dev URIs.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, encodeAddress, keyExtractSuri, keyFromPath, mnemonicGenerate, mnemonicToMiniSecret, mnemonicValidate, sr25519PairFromSeed } from '@polkadot/util-crypto';
import { RistrettoPoint, ed25519 } from '@noble/curves/ed25519';
import { WalletError } from './errors';

/** Substrate's development phrase, which bare `//Name` URIs derive from. */
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

/** Bittensor's SS58 address format. */
export const SS58_FORMAT = 42;

/** The plaintext content of a keyfile. Public files hold only `accountId`, `publicKey` and `ss58Address`. */
export interface KeyfileData {
  /** `0x` + hex of the 32-byte public key. */
  readonly accountId: string;
  /** Same as `accountId`. */
  readonly publicKey: string;
  readonly ss58Address: string;
  /** `0x` + hex of the 64-byte sr25519 secret (schnorrkel `SecretKey::to_bytes`: scalar ‖ nonce). */
  readonly privateKey?: string | null;
  /** The BIP39 mnemonic, when the key came from one. */
  readonly secretPhrase?: string | null;
  /** `0x` + hex of the 32-byte mini-secret, when known. */
  readonly secretSeed?: string | null;
}

/** A loaded key: the signing pair (absent for public-only files) and its keyfile data. */
export interface Keypair {
  readonly address: string;
  readonly publicKey: Uint8Array;
  /** The signing pair; undefined for a public-only key. */
  readonly pair: KeyringPair | undefined;
  readonly data: KeyfileData;
}

/** Resolves once the wasm crypto is ready (required before any key operation). */
export async function walletCryptoReady(): Promise<void> {
  await cryptoWaitReady();
}

/** A new BIP39 mnemonic. @default words 12 */
export function generateMnemonic(words: 12 | 15 | 18 | 21 | 24 = 12): string {
  return mnemonicGenerate(words);
}

/**
 * The keypair of a BIP39 mnemonic (substrate derivation, no password), as `sr25519::Pair::from_phrase`.
 * @throws WalletError `InvalidMnemonic`
 */
export function keypairFromMnemonic(mnemonic: string): Keypair {
  const phrase = mnemonic.trim().split(/\s+/).join(' ');
  if (!mnemonicValidate(phrase)) throw new WalletError('InvalidMnemonic', 'the mnemonic is not a valid BIP39 phrase');
  const seed = mnemonicToMiniSecret(phrase);
  return fromSeedBytes(seed, phrase);
}

/**
 * The keypair of a 32-byte mini-secret (`0x` hex or bytes).
 * @throws WalletError `InvalidSeed`
 */
export function keypairFromSeed(seed: string | Uint8Array): Keypair {
  const bytes = typeof seed === 'string' ? (isHex(seed) ? hexToU8a(seed) : new Uint8Array()) : seed;
  if (bytes.length !== 32) throw new WalletError('InvalidSeed', 'a seed must be 32 bytes (0x + 64 hex digits)');
  return fromSeedBytes(bytes, null);
}

/**
 * The keypair of a 64-byte sr25519 private key in schnorrkel's `to_bytes` form (canonical scalar ‖ nonce).
 * @throws WalletError `InvalidSeed`
 */
export function keypairFromPrivateKey(privateKey: string | Uint8Array): Keypair {
  const bytes = typeof privateKey === 'string' ? (isHex(privateKey) ? hexToU8a(privateKey) : new Uint8Array()) : privateKey;
  if (bytes.length !== 64) throw new WalletError('InvalidSeed', 'a private key must be 64 bytes (0x + 128 hex digits)');
  const secretKey = schnorrkelToEd25519Form(bytes);
  // The sr25519 public key is the Ristretto encoding of scalar·B (the scalar is the first 32 bytes, little-endian).
  const publicKey = RistrettoPoint.BASE.multiply(scalarOf(bytes)).toRawBytes();
  const pair = new Keyring({ type: 'sr25519', ss58Format: SS58_FORMAT }).addFromPair({ publicKey, secretKey });
  return { address: pair.address, publicKey, pair, data: { ...publicData(publicKey), privateKey: u8aToHex(bytes), secretPhrase: null, secretSeed: null } };
}

/**
 * The keypair of a dev URI (`//Alice`, `//Alice//hot1`, or a mnemonic with a derivation path), derived as
 * substrate does (a bare `//path` applies to the dev phrase). Its keyfile data carries the derived
 * 64-byte `privateKey` (no phrase or seed: a derived key has neither), which the reference tools load.
 * @throws WalletError `InvalidUri`
 */
export function keypairFromUri(uri: string): Keypair {
  let publicKey: Uint8Array;
  let secretKey: Uint8Array;
  try {
    const { password, path, phrase } = keyExtractSuri(uri.startsWith('//') ? `${DEV_PHRASE}${uri}` : uri);
    if (password !== undefined) throw new Error('passwords in URIs are not supported');
    if (!mnemonicValidate(phrase)) throw new Error('the URI does not start with a valid mnemonic');
    ({ publicKey, secretKey } = keyFromPath(sr25519PairFromSeed(mnemonicToMiniSecret(phrase)), path, 'sr25519'));
  } catch (err) {
    throw new WalletError('InvalidUri', `not a valid secret URI: ${err instanceof Error ? err.message.split(uri).join('<uri>') : 'parse error'}`);
  }
  const pair = new Keyring({ type: 'sr25519', ss58Format: SS58_FORMAT }).addFromPair({ publicKey, secretKey });
  return { address: pair.address, publicKey, pair, data: { ...publicData(publicKey), privateKey: u8aToHex(ed25519FormToSchnorrkel(secretKey)), secretPhrase: null, secretSeed: null } };
}

/** A public-only keypair of an SS58 address or 0x public key. */
export function keypairFromPublic(data: Pick<KeyfileData, 'ss58Address'> | Pick<KeyfileData, 'publicKey'>): Keypair {
  const publicKey = 'publicKey' in data ? hexToU8a(data.publicKey) : new Keyring({ ss58Format: SS58_FORMAT }).decodeAddress(data.ss58Address);
  return { address: encodeAddress(publicKey, SS58_FORMAT), publicKey, pair: undefined, data: publicData(publicKey) };
}

/**
 * The keypair a keyfile's JSON describes, by the reference load priority: `secretPhrase` → `secretSeed`
 * → `privateKey` → `ss58Address`/`publicKey` (public only).
 * @throws WalletError `InvalidKeyfile` when none is usable
 */
export function keypairFromKeyfileData(data: Partial<KeyfileData>): Keypair {
  if (typeof data.secretPhrase === 'string' && data.secretPhrase.length > 0) {
    return data.secretPhrase.startsWith('//') ? keypairFromUri(data.secretPhrase) : keypairFromMnemonic(data.secretPhrase);
  }
  if (typeof data.secretSeed === 'string' && data.secretSeed.length > 0) return keypairFromSeed(data.secretSeed);
  if (typeof data.privateKey === 'string' && data.privateKey.length > 0) return keypairFromPrivateKey(data.privateKey);
  if (typeof data.ss58Address === 'string' && data.ss58Address.length > 0) return keypairFromPublic({ ss58Address: data.ss58Address });
  if (typeof data.publicKey === 'string' && isHex(data.publicKey, 256)) return keypairFromPublic({ publicKey: data.publicKey });
  throw new WalletError('InvalidKeyfile', 'the keyfile holds none of secretPhrase, secretSeed, privateKey, ss58Address');
}

/** The public part of a keyfile. */
export function publicData(publicKey: Uint8Array): KeyfileData {
  const hex = u8aToHex(publicKey);
  return { accountId: hex, publicKey: hex, ss58Address: encodeAddress(publicKey, SS58_FORMAT) };
}

function fromSeedBytes(seed: Uint8Array, phrase: string | null): Keypair {
  const { publicKey, secretKey } = sr25519PairFromSeed(seed);
  const pair = new Keyring({ type: 'sr25519', ss58Format: SS58_FORMAT }).addFromPair({ publicKey, secretKey });
  return {
    address: pair.address,
    publicKey,
    pair,
    data: { ...publicData(publicKey), privateKey: u8aToHex(ed25519FormToSchnorrkel(secretKey)), secretPhrase: phrase, secretSeed: u8aToHex(seed) },
  };
}

/**
 * schnorrkel's `SecretKey::to_bytes` (canonical scalar) from @polkadot/wasm-crypto's form, whose first
 * 32 bytes are the scalar multiplied by the cofactor 8 (`to_ed25519_bytes`): a 3-bit right shift.
 */
export function ed25519FormToSchnorrkel(secretKey: Uint8Array): Uint8Array {
  const out = Uint8Array.from(secretKey);
  let carry = 0;
  for (let i = 31; i >= 0; i--) {
    const byte = secretKey[i]!;
    out[i] = (byte >> 3) | carry;
    carry = (byte & 7) << 5;
  }
  return out;
}

/** The inverse of {@link ed25519FormToSchnorrkel}: a 3-bit left shift of the scalar. */
export function schnorrkelToEd25519Form(secretKey: Uint8Array): Uint8Array {
  const out = Uint8Array.from(secretKey);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const byte = secretKey[i]!;
    out[i] = ((byte << 3) & 0xff) | carry;
    carry = byte >> 5;
  }
  return out;
}

function scalarOf(schnorrkelSecret: Uint8Array): bigint {
  let k = 0n;
  for (let i = 31; i >= 0; i--) k = (k << 8n) | BigInt(schnorrkelSecret[i]!);
  if (k === 0n || k >= ed25519.CURVE.n) throw new WalletError('InvalidSeed', 'the private key is not a canonical sr25519 scalar');
  return k;
}
