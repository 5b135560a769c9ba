/**
 * One keyfile on disk: plaintext or NaCl-encrypted JSON (docs/wallets.md), written with mode 0600.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decryptKeyfileData, encryptKeyfileData, encryptionMethod, type EncryptionMethod, type KdfLimits } from './encryption';
import { WalletError } from './errors';
import { keypairFromKeyfileData, type KeyfileData, type Keypair } from './keypair';
import { passwordFromEnv } from './password-env';

/** How to unlock an encrypted keyfile. */
export interface UnlockOptions {
  /** The password; when absent, the keyfile's `BT_PW_…` environment variable is used. */
  readonly password?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default SENSITIVE_KDF_LIMITS */
  readonly kdf?: KdfLimits;
}

/** How to write a keyfile. */
export interface WriteOptions {
  /** Encrypt with this password (NaCl); plaintext when absent. */
  readonly password?: string;
  /** Replace an existing file. @default false */
  readonly overwrite?: boolean;
  /** @default SENSITIVE_KDF_LIMITS */
  readonly kdf?: KdfLimits;
}

/** A keyfile at a path. Nothing is read until asked. */
export class Keyfile {
  constructor(readonly path: string) {}

  /** Whether the file exists. */
  get exists(): boolean {
    return existsSync(this.path);
  }

  /** The raw bytes. @throws WalletError `KeyfileNotFound` */
  readBytes(): Uint8Array {
    if (!this.exists) throw new WalletError('KeyfileNotFound', `no keyfile at ${this.path}`, { path: this.path });
    return readFileSync(this.path);
  }

  /** The file's encryption method, or null when it is plaintext. @throws WalletError `KeyfileNotFound` */
  encryption(): EncryptionMethod | null {
    return encryptionMethod(this.readBytes());
  }

  /**
   * The keyfile's JSON, decrypting it when it is encrypted.
   * @throws WalletError `KeyfileNotFound`, `PasswordRequired`, `WrongPassword`, `UnsupportedEncryption`, `InvalidKeyfile`
   */
  async readData(options: UnlockOptions = {}): Promise<Partial<KeyfileData>> {
    let bytes = this.readBytes();
    if (encryptionMethod(bytes) !== null) {
      const password = options.password ?? passwordFromEnv(this.path, options.env ?? process.env);
      if (password === undefined) {
        throw new WalletError('PasswordRequired', `${this.path} is encrypted: pass a password or set its BT_PW_ environment variable`, { path: this.path });
      }
      bytes = await decryptKeyfileData(bytes, password, options.kdf ? { kdf: options.kdf } : {});
    }
    return parseKeyfileJson(bytes, this.path);
  }

  /** The keypair the keyfile holds (public-only for pub files). Same errors as {@link Keyfile.readData}. */
  async readKeypair(options: UnlockOptions = {}): Promise<Keypair> {
    const data = await this.readData(options);
    try {
      return keypairFromKeyfileData(data);
    } catch (err) {
      if (err instanceof WalletError && err.code !== 'InvalidKeyfile') {
        throw new WalletError('InvalidKeyfile', `${this.path}: ${err.message}`, { path: this.path }, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Writes `data` as JSON (encrypted when a password is given), atomically, mode 0600, creating
   * parent folders (mode 0700).
   * @throws WalletError `KeyfileExists`
   */
  async write(data: KeyfileData, options: WriteOptions = {}): Promise<void> {
    if (this.exists && !options.overwrite) throw new WalletError('KeyfileExists', `${this.path} exists; pass overwrite to replace it`, { path: this.path });
    const json = Buffer.from(JSON.stringify(data), 'utf8');
    const bytes = options.password === undefined ? json : await encryptKeyfileData(json, options.password, options.kdf ? { kdf: options.kdf } : {});
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, bytes, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}

/** Parses keyfile JSON. @throws WalletError `InvalidKeyfile` */
export function parseKeyfileJson(bytes: Uint8Array, path: string): Partial<KeyfileData> {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new WalletError('InvalidKeyfile', `${path} is not keyfile JSON`, { path });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new WalletError('InvalidKeyfile', `${path} is not a JSON object`, { path });
  const record = doc as Record<string, unknown>;
  if ('crypto_type' in record && record['crypto_type'] !== 1) {
    throw new WalletError('InvalidKeyfile', `${path}: crypto_type ${String(record['crypto_type'])} is not sr25519 (1)`, { path });
  }
  const out: Record<string, string | null> = {};
  for (const key of ['accountId', 'publicKey', 'ss58Address', 'privateKey', 'secretPhrase', 'secretSeed'] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw new WalletError('InvalidKeyfile', `${path}: ${key} must be a string`, { path, key });
    out[key] = value;
  }
  return out as Partial<KeyfileData>;
}
