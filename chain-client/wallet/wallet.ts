/**
 * A Bittensor wallet on disk (docs/wallets.md): `<path>/<name>/coldkey` (encrypted by default),
 * `coldkeypub.txt`, `hotkeys/<hotkey>` (plaintext by default) and `hotkeys/<hotkey>pub.txt`.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KdfLimits } from './encryption';
import { WalletError } from './errors';
import { Keyfile } from './keyfile';
import { generateMnemonic, keypairFromMnemonic, keypairFromSeed, keypairFromUri, publicData, walletCryptoReady, type Keypair } from './keypair';
import { checkPasswordPolicy } from './password-policy';

/** Where a wallet lives. */
export interface WalletOptions {
  /** @default process.env.BT_WALLET_NAME ?? 'default' */
  readonly name?: string;
  /** @default process.env.BT_WALLET_HOTKEY ?? 'default' */
  readonly hotkey?: string;
  /** @default process.env.BT_WALLET_PATH ?? '~/.bittensor/wallets' */
  readonly path?: string;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Argon2i limits for every encryption and decryption. Only tests lower it. @default SENSITIVE_KDF_LIMITS */
  readonly kdf?: KdfLimits;
}

/** How a new key is protected and whether it may replace an existing one. */
export interface CreateKeyOptions {
  /**
   * Encrypt with this password; the coldkey must have one unless `encrypt: false`. It must pass the
   * reference policy ({@link checkPasswordPolicy}: ≥ 6 UTF-8 bytes, strength score ≥ 20).
   */
  readonly password?: string;
  /** Whether to encrypt. @default true for coldkeys, false for hotkeys */
  readonly encrypt?: boolean;
  /** @default false */
  readonly overwrite?: boolean;
}

/** The key material of a regeneration: a mnemonic, a 0x seed, or a dev URI. */
export type KeySource = { readonly mnemonic: string } | { readonly seed: string } | { readonly uri: string };

/** The result of creating a key: the keypair and, for new mnemonics, the phrase to back up. */
export interface CreatedKey {
  readonly keypair: Keypair;
  readonly mnemonic: string | null;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** A wallet: a coldkey and named hotkeys under `<path>/<name>/`. */
export class Wallet {
  readonly name: string;
  readonly hotkeyName: string;
  /** The wallets folder (absolute). */
  readonly path: string;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly kdf: KdfLimits | undefined;

  constructor(options: WalletOptions = {}) {
    this.env = options.env ?? process.env;
    this.name = options.name ?? this.env['BT_WALLET_NAME'] ?? 'default';
    this.hotkeyName = options.hotkey ?? this.env['BT_WALLET_HOTKEY'] ?? 'default';
    this.path = resolve(expandHome(options.path ?? this.env['BT_WALLET_PATH'] ?? '~/.bittensor/wallets'));
    this.kdf = options.kdf;
    for (const [what, value] of [['name', this.name], ['hotkey', this.hotkeyName]] as const) {
      if (value.length === 0 || /[/\\]/.test(value) || value === '.' || value === '..') throw new WalletError('InvalidKeyfile', `wallet ${what} "${value}" must be a plain file name`);
    }
  }

  /** `<path>/<name>` */
  get walletDir(): string {
    return join(this.path, this.name);
  }

  get coldkeyFile(): Keyfile {
    return new Keyfile(join(this.walletDir, 'coldkey'));
  }

  get coldkeypubFile(): Keyfile {
    return new Keyfile(join(this.walletDir, 'coldkeypub.txt'));
  }

  get hotkeyFile(): Keyfile {
    return new Keyfile(join(this.walletDir, 'hotkeys', this.hotkeyName));
  }

  get hotkeypubFile(): Keyfile {
    return new Keyfile(join(this.walletDir, 'hotkeys', `${this.hotkeyName}pub.txt`));
  }

  /**
   * Creates a coldkey from a fresh mnemonic (12 words by default) and writes `coldkey` + `coldkeypub.txt`.
   * Nothing is written when it throws.
   * @throws WalletError `PasswordRequired`, `WeakPassword`, `KeyfileExists`
   * @example
   * const { mnemonic } = await new Wallet({ name: 'w1' }).createNewColdkey({ password: 'cold-pass-1' });
   */
  async createNewColdkey(options: CreateKeyOptions & { readonly words?: 12 | 15 | 18 | 21 | 24 } = {}): Promise<CreatedKey> {
    await walletCryptoReady();
    const mnemonic = generateMnemonic(options.words ?? 12);
    return { keypair: await this.writeColdkey(keypairFromMnemonic(mnemonic), options), mnemonic };
  }

  /** Creates a hotkey from a fresh mnemonic and writes `hotkeys/<hk>` + `hotkeys/<hk>pub.txt`. Same errors as {@link Wallet.createNewColdkey}. */
  async createNewHotkey(options: CreateKeyOptions & { readonly words?: 12 | 15 | 18 | 21 | 24 } = {}): Promise<CreatedKey> {
    await walletCryptoReady();
    const mnemonic = generateMnemonic(options.words ?? 12);
    return { keypair: await this.writeHotkey(keypairFromMnemonic(mnemonic), options), mnemonic };
  }

  /**
   * Writes the coldkey of a mnemonic, seed or URI (`regenerate_coldkey`, `create_coldkey_from_uri`).
   * @throws WalletError `PasswordRequired`, `WeakPassword`, `KeyfileExists`, `InvalidMnemonic`, `InvalidSeed`, `InvalidUri`
   */
  async regenerateColdkey(source: KeySource, options: CreateKeyOptions = {}): Promise<Keypair> {
    await walletCryptoReady();
    return this.writeColdkey(keypairOfSource(source), options);
  }

  /** Writes the hotkey of a mnemonic, seed or URI (`regenerate_hotkey`, `create_hotkey_from_uri`). Same errors as {@link Wallet.regenerateColdkey}. */
  async regenerateHotkey(source: KeySource, options: CreateKeyOptions = {}): Promise<Keypair> {
    await walletCryptoReady();
    return this.writeHotkey(keypairOfSource(source), options);
  }

  /**
   * The coldkey with its signing pair, decrypted with `password` or its `BT_PW_…` variable.
   * @throws WalletError `KeyfileNotFound`, `PasswordRequired`, `WrongPassword`, `UnsupportedEncryption`, `InvalidKeyfile`
   */
  async unlockColdkey(options: { readonly password?: string } = {}): Promise<Keypair> {
    await walletCryptoReady();
    return this.coldkeyFile.readKeypair(this.unlockOptions(options.password));
  }

  /** The hotkey with its signing pair (decrypting it when encrypted). Same errors as {@link Wallet.unlockColdkey}. */
  async unlockHotkey(options: { readonly password?: string } = {}): Promise<Keypair> {
    await walletCryptoReady();
    return this.hotkeyFile.readKeypair(this.unlockOptions(options.password));
  }

  /** The coldkey's public key from `coldkeypub.txt` (no password needed). */
  async coldkeypub(): Promise<Keypair> {
    await walletCryptoReady();
    return this.coldkeypubFile.readKeypair();
  }

  /** The hotkey's public key from `hotkeys/<hk>pub.txt`, or from the plaintext hotkey file for older wallets. */
  async hotkeypub(): Promise<Keypair> {
    await walletCryptoReady();
    const pub = this.hotkeypubFile;
    if (pub.exists) return pub.readKeypair();
    const full = await this.hotkeyFile.readKeypair(this.unlockOptions(undefined));
    return { ...full, pair: undefined, data: publicData(full.publicKey) };
  }

  private unlockOptions(password: string | undefined): { password?: string; env: Readonly<Record<string, string | undefined>>; kdf?: KdfLimits } {
    return { ...(password !== undefined ? { password } : {}), env: this.env, ...(this.kdf ? { kdf: this.kdf } : {}) };
  }

  private async writeColdkey(keypair: Keypair, options: CreateKeyOptions): Promise<Keypair> {
    await this.writePair(this.coldkeyFile, this.coldkeypubFile, keypair, options, true);
    return keypair;
  }

  private async writeHotkey(keypair: Keypair, options: CreateKeyOptions): Promise<Keypair> {
    await this.writePair(this.hotkeyFile, this.hotkeypubFile, keypair, options, false);
    return keypair;
  }

  private async writePair(secret: Keyfile, pub: Keyfile, keypair: Keypair, options: CreateKeyOptions, encryptByDefault: boolean): Promise<void> {
    const encrypt = options.encrypt ?? (encryptByDefault || options.password !== undefined);
    if (encrypt && options.password === undefined) throw new WalletError('PasswordRequired', `${secret.path}: a password is required to encrypt the key (or pass encrypt: false)`, { path: secret.path });
    // Before any file or folder is touched, so a refused password leaves the wallet as it was.
    if (encrypt) checkPasswordPolicy(options.password!);
    const overwrite = options.overwrite ?? false;
    if (!overwrite) {
      for (const file of [secret, pub]) if (file.exists) throw new WalletError('KeyfileExists', `${file.path} exists; pass overwrite to replace it`, { path: file.path });
    }
    await secret.write(keypair.data, { overwrite, ...(encrypt ? { password: options.password! } : {}), ...(this.kdf ? { kdf: this.kdf } : {}) });
    await pub.write(publicData(keypair.publicKey), { overwrite });
  }
}

function keypairOfSource(source: KeySource): Keypair {
  if ('mnemonic' in source) return keypairFromMnemonic(source.mnemonic);
  if ('seed' in source) return keypairFromSeed(source.seed);
  return keypairFromUri(source.uri);
}
