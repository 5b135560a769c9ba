/**
 * Keyfile encryption (docs/wallets.md): `$NACL` ‖ 24-byte nonce ‖ `crypto_secretbox` (XSalsa20-Poly1305),
 * keyed by Argon2i (libsodium `argon2i13`) with the argon2i SENSITIVE limits and Bittensor's fixed salt.
 */
import sodium from 'libsodium-wrappers-sumo';
import { WalletError } from './errors';

/** The prefix of NaCl-encrypted keyfiles. */
export const NACL_PREFIX = '$NACL';
/** Bittensor's fixed Argon2i salt (16 bytes). */
export const NACL_SALT = Uint8Array.from([0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1]);

/**
 * Argon2i cost limits. The keyfile format fixes them to libsodium's *argon2i* SENSITIVE limits (8 passes,
 * 512 MiB), which is what every Bittensor keyfile uses; tests inject small limits to stay fast.
 */
export interface KdfLimits {
  readonly opsLimit: number;
  readonly memLimitBytes: number;
}

/**
 * libsodium's `crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE` / `crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE`: the
 * limits of the reference (PyNaCl `pwhash.argon2i.OPSLIMIT_SENSITIVE` in bittensor <= 7, sodiumoxide
 * `pwhash::argon2i13::OPSLIMIT_SENSITIVE` in bittensor-wallet). Not the generic `crypto_pwhash_*_SENSITIVE`
 * (4 passes, 1 GiB), which belong to argon2id: keys derived with those open no btcli keyfile.
 */
export const SENSITIVE_KDF_LIMITS: KdfLimits = Object.freeze({ opsLimit: 8, memLimitBytes: 512 * 1024 * 1024 });

/** How a keyfile's bytes are encrypted, named as the reference `keyfile_data_encryption_method` names them. */
export type EncryptionMethod = 'NaCl' | 'Ansible Vault' | 'legacy' | 'unknown';

/** Options of encryption and decryption. */
export interface EncryptionOptions {
  /** @default SENSITIVE_KDF_LIMITS */
  readonly kdf?: KdfLimits;
}

async function ready(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

/** The encryption method of keyfile bytes, or null when they are plaintext JSON. */
export function encryptionMethod(data: Uint8Array): EncryptionMethod | null {
  const head = Buffer.from(data.subarray(0, 16)).toString('latin1');
  if (head.startsWith(NACL_PREFIX)) return 'NaCl';
  if (head.startsWith('$ANSIBLE_VAULT')) return 'Ansible Vault';
  if (head.startsWith('gAAAAA')) return 'legacy';
  const text = head.trimStart();
  if (text.startsWith('{')) return null;
  return 'unknown';
}

/** Whether keyfile bytes are encrypted (in any known or unknown format). */
export function isEncrypted(data: Uint8Array): boolean {
  return encryptionMethod(data) !== null;
}

/** The 32-byte secretbox key of a password. */
export async function deriveKey(password: string, kdf: KdfLimits = SENSITIVE_KDF_LIMITS): Promise<Uint8Array> {
  const s = await ready();
  return s.crypto_pwhash(s.crypto_secretbox_KEYBYTES, Buffer.from(password, 'utf8'), NACL_SALT, kdf.opsLimit, kdf.memLimitBytes, s.crypto_pwhash_ALG_ARGON2I13);
}

/** Encrypts keyfile plaintext as `$NACL` ‖ nonce ‖ secretbox with a fresh random nonce. */
export async function encryptKeyfileData(plaintext: Uint8Array, password: string, options: EncryptionOptions = {}): Promise<Uint8Array> {
  const s = await ready();
  const key = await deriveKey(password, options.kdf);
  try {
    const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
    const box = s.crypto_secretbox_easy(plaintext, nonce, key);
    return Buffer.concat([Buffer.from(NACL_PREFIX, 'latin1'), nonce, box]);
  } finally {
    s.memzero(key);
  }
}

/**
 * Decrypts `$NACL` keyfile bytes.
 * @throws WalletError `WrongPassword` (authentication failed), `UnsupportedEncryption` (another format), `InvalidKeyfile` (truncated)
 */
export async function decryptKeyfileData(data: Uint8Array, password: string, options: EncryptionOptions = {}): Promise<Uint8Array> {
  const method = encryptionMethod(data);
  if (method !== 'NaCl') {
    throw new WalletError('UnsupportedEncryption', `keyfile encryption "${method ?? 'none'}" cannot be decrypted by tensornet (only NaCl); re-encrypt it with the reference tools`, { method });
  }
  const s = await ready();
  const start = NACL_PREFIX.length;
  const nonceEnd = start + s.crypto_secretbox_NONCEBYTES;
  if (data.length < nonceEnd + s.crypto_secretbox_MACBYTES) throw new WalletError('InvalidKeyfile', 'the encrypted keyfile is truncated');
  const key = await deriveKey(password, options.kdf);
  try {
    return s.crypto_secretbox_open_easy(data.subarray(nonceEnd), data.subarray(start, nonceEnd), key);
  } catch {
    throw new WalletError('WrongPassword', 'could not decrypt the keyfile: wrong password or corrupted file');
  } finally {
    s.memzero(key);
  }
}
