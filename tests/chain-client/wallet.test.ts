/**
 * Wallet compatibility (docs/wallets.md): keyfiles built here with independent primitives
 * (@noble/hashes argon2i + tweetnacl secretbox) open in tensornet, and tensornet's open in them.
 * Argon2i runs with injected small limits (3 passes, 8 KiB) except in the one test that decrypts, with
 * the default SENSITIVE limits, a keyfile written by the reference SDK (tests/interop/wallet runs the rest).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argon2i } from '@noble/hashes/argon2';
import nacl from 'tweetnacl';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { signatureVerify } from '@polkadot/util-crypto';
import sodium from 'libsodium-wrappers-sumo';
import {
  NACL_SALT, SENSITIVE_KDF_LIMITS, Wallet, WalletError, decodeEnvPassword, decryptKeyfileData, encodeEnvPassword, encryptKeyfileData,
  encryptionMethod, keypairFromKeyfileData, keypairFromMnemonic, keypairFromPrivateKey, keypairFromPublic, keypairFromUri, passwordEnvVarName, signMessage,
  verifyMessage, walletCryptoReady,
  type KdfLimits, type KeyfileData,
} from '../../chain-client/wallet';

const FAST: KdfLimits = { opsLimit: 3, memLimitBytes: 8192 };
const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
let dir: string;

/** A deterministic pseudo-random byte source (nonces for fixtures), seeded. */
function seededBytes(seed: number, n: number): Uint8Array {
  let x = seed >>> 0;
  return Uint8Array.from({ length: n }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x >>> 24;
  });
}

/** `$NACL` ‖ nonce ‖ secretbox built with tweetnacl and a key from @noble/hashes argon2i (independent of libsodium). */
function independentEncrypt(plaintext: Uint8Array, key: Uint8Array, nonce: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from('$NACL'), nonce, nacl.secretbox(plaintext, nonce, key)]);
}

function nobleKey(password: string, kdf: KdfLimits): Uint8Array {
  return argon2i(password, NACL_SALT, { t: kdf.opsLimit, m: kdf.memLimitBytes / 1024, p: 1, dkLen: 32 });
}

beforeAll(async () => {
  await walletCryptoReady();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-wallet-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keypairs', () => {
  test('default: a mnemonic gives the substrate sr25519 key; dev URIs resolve', () => {
    expect(keypairFromUri('//Alice').address).toBe(ALICE);
    expect(keypairFromUri(`${DEV_PHRASE}//Alice`).address).toBe(ALICE);
    const k = keypairFromMnemonic(DEV_PHRASE);
    expect(k.address).toBe('5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV');
    expect(k.data.accountId).toBe(k.data.publicKey);
    expect(k.data.secretSeed).toMatch(/^0x[0-9a-f]{64}$/);
    expect(k.data.privateKey).toMatch(/^0x[0-9a-f]{128}$/);
  });

  test('behavior: URI keys match the keyring and store the derived privateKey (no phrase), which reloads', () => {
    for (const uri of ['//Alice', '//Alice//hot1', `${DEV_PHRASE}//Bob/soft`]) {
      const k = keypairFromUri(uri);
      expect(k.address).toBe(new Keyring({ type: 'sr25519' }).addFromUri(uri).address);
      expect(k.data.secretPhrase).toBeNull();
      expect(k.data.privateKey).toMatch(/^0x[0-9a-f]{128}$/);
      expect(keypairFromKeyfileData(k.data).address).toBe(k.address);
    }
    expect(() => keypairFromUri('//Alice///password')).toThrow(expect.objectContaining({ code: 'InvalidUri' }));
    expect(() => keypairFromUri('not words//x')).toThrow(expect.objectContaining({ code: 'InvalidUri' }));
  });

  test('behavior: load priority secretPhrase → secretSeed → privateKey → ss58Address', () => {
    const k = keypairFromMnemonic(DEV_PHRASE);
    const other = keypairFromUri('//Bob');
    expect(keypairFromKeyfileData({ ...other.data, secretPhrase: DEV_PHRASE }).address).toBe(k.address);
    expect(keypairFromKeyfileData({ ...other.data, secretPhrase: null, secretSeed: k.data.secretSeed! }).address).toBe(k.address);
    const fromPrivate = keypairFromKeyfileData({ ss58Address: other.address, privateKey: k.data.privateKey! });
    expect(fromPrivate.address).toBe(k.address);
    const pub = keypairFromKeyfileData({ ss58Address: other.address });
    expect(pub.pair).toBeUndefined();
    expect(pub.address).toBe(other.address);
  });

  test('behavior: a key loaded from privateKey alone signs for the same public key', () => {
    const k = keypairFromMnemonic(DEV_PHRASE);
    const restored = keypairFromPrivateKey(k.data.privateKey!);
    expect(u8aToHex(restored.publicKey)).toBe(k.data.publicKey);
    const message = Uint8Array.from([1, 2, 3, 4]);
    expect(signatureVerify(message, restored.pair!.sign(message), k.address).isValid).toBe(true);
  });

  test('error: invalid mnemonic, seed and private key are typed', () => {
    expect(() => keypairFromMnemonic('not a real phrase at all')).toThrow(expect.objectContaining({ code: 'InvalidMnemonic' }));
    expect(() => keypairFromKeyfileData({ secretSeed: '0x1234' })).toThrow(expect.objectContaining({ code: 'InvalidSeed' }));
    expect(() => keypairFromKeyfileData({})).toThrow(expect.objectContaining({ code: 'InvalidKeyfile' }));
  });
});

describe('NaCl keyfile encryption', () => {
  test('behavior: a keyfile encrypted by independent primitives decrypts in tensornet', async () => {
    const plaintext = Buffer.from(JSON.stringify(keypairFromMnemonic(DEV_PHRASE).data));
    const bytes = independentEncrypt(plaintext, nobleKey('correct horse', FAST), seededBytes(7, 24));
    expect(encryptionMethod(bytes)).toBe('NaCl');
    expect(Buffer.from(await decryptKeyfileData(bytes, 'correct horse', { kdf: FAST }))).toEqual(plaintext);
  });

  test('behavior: tensornet-encrypted bytes open with tweetnacl and a noble-derived key', async () => {
    const plaintext = Buffer.from('{"ss58Address":"x"}');
    const bytes = await encryptKeyfileData(plaintext, 'pw-123456', { kdf: FAST });
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('$NACL');
    const opened = nacl.secretbox.open(bytes.subarray(29), bytes.subarray(5, 29), nobleKey('pw-123456', FAST));
    expect(opened && Buffer.from(opened)).toEqual(plaintext);
  });

  test('args: default limits are libsodium argon2i SENSITIVE (8 passes, 512 MiB): a keyfile encrypted by the reference SDK decrypts', async () => {
    // argon2i's SENSITIVE limits, not the generic crypto_pwhash_*_SENSITIVE (4 passes, 1 GiB: argon2id's), with
    // which tensornet once derived keys that opened no btcli keyfile (tests/interop/wallet found it).
    await sodium.ready;
    expect(SENSITIVE_KDF_LIMITS).toEqual({ opsLimit: sodium.crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE, memLimitBytes: sodium.crypto_pwhash_argon2i_MEMLIMIT_SENSITIVE });
    expect(SENSITIVE_KDF_LIMITS).toEqual({ opsLimit: 8, memLimitBytes: 512 * 1024 ** 2 });
    const bytes = Buffer.from(REFERENCE_NACL_KEYFILE, 'base64');
    const plaintext = Buffer.from(await decryptKeyfileData(bytes, 'tensornet fixture password'));
    expect(plaintext.toString()).toBe(REFERENCE_NACL_PLAINTEXT);
    expect(keypairFromKeyfileData(JSON.parse(plaintext.toString()) as Partial<KeyfileData>).address).toBe(keypairFromUri('//Alice').address);
  }, 60_000);

  test('error: wrong password, truncated bytes and legacy formats are typed', async () => {
    const bytes = await encryptKeyfileData(Buffer.from('{}'), 'right-password', { kdf: FAST });
    const wrong = await decryptKeyfileData(bytes, 'wrong-password', { kdf: FAST }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(WalletError);
    expect((wrong as WalletError).code).toBe('WrongPassword');
    expect((wrong as Error).message).not.toContain('password-');
    await expect(decryptKeyfileData(bytes.subarray(0, 30), 'right-password', { kdf: FAST })).rejects.toMatchObject({ code: 'InvalidKeyfile' });
    for (const [head, method] of [['$ANSIBLE_VAULT;1.1;AES256\n', 'Ansible Vault'], ['gAAAAABk', 'legacy'], ['\x00\x01garbage', 'unknown']] as const) {
      expect(encryptionMethod(Buffer.from(head))).toBe(method);
      await expect(decryptKeyfileData(Buffer.from(head), 'x', { kdf: FAST })).rejects.toMatchObject({ code: 'UnsupportedEncryption' });
    }
    expect(encryptionMethod(Buffer.from('  {"a":1}'))).toBeNull();
  });
});

describe('headless unlock (BT_PW_)', () => {
  test('default: the variable name and value follow the reference scheme', () => {
    const name = passwordEnvVarName('/home/ubuntu/.bittensor/wallets/mywallet/coldkey');
    expect(name).toBe('BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_MYWALLET_COLDKEY');
    const value = encodeEnvPassword(name, 'hunter2-secret');
    // Independent: base64(password XOR name), byte-wise.
    const expected = Buffer.from([...Buffer.from('hunter2-secret')].map((b, i) => b ^ name.charCodeAt(i % name.length))).toString('base64');
    expect(value).toBe(expected);
    expect(decodeEnvPassword(name, value)).toBe('hunter2-secret');
  });
});

describe('Wallet on disk', () => {
  test('behavior: create, then unlock by password and by env var; layout, JSON keys and 0600 modes', async () => {
    const wallet = new Wallet({ name: 'w1', hotkey: 'hk', path: dir, kdf: FAST, env: {} });
    const cold = await wallet.createNewColdkey({ password: 'cold-pass-1' });
    const hot = await wallet.createNewHotkey();
    expect(cold.mnemonic!.split(' ')).toHaveLength(12);
    for (const rel of ['w1/coldkey', 'w1/coldkeypub.txt', 'w1/hotkeys/hk', 'w1/hotkeys/hkpub.txt']) {
      expect(statSync(join(dir, rel)).mode & 0o777).toBe(0o600);
    }
    expect(encryptionMethod(readFileSync(join(dir, 'w1/coldkey')))).toBe('NaCl');
    const hotJson = JSON.parse(readFileSync(join(dir, 'w1/hotkeys/hk'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(hotJson).sort()).toEqual(['accountId', 'privateKey', 'publicKey', 'secretPhrase', 'secretSeed', 'ss58Address']);
    expect(hotJson['secretPhrase']).toBe(hot.mnemonic);
    const pubJson = JSON.parse(readFileSync(join(dir, 'w1/coldkeypub.txt'), 'utf8')) as Record<string, unknown>;
    expect(pubJson).toEqual({ accountId: cold.keypair.data.accountId, publicKey: cold.keypair.data.publicKey, ss58Address: cold.keypair.address });

    expect((await wallet.unlockColdkey({ password: 'cold-pass-1' })).address).toBe(cold.keypair.address);
    expect((await wallet.coldkeypub()).address).toBe(cold.keypair.address);
    expect((await wallet.unlockHotkey()).address).toBe(hot.keypair.address);
    expect((await wallet.hotkeypub()).pair).toBeUndefined();

    await expect(wallet.unlockColdkey()).rejects.toMatchObject({ code: 'PasswordRequired' });
    await expect(wallet.unlockColdkey({ password: 'nope-nope' })).rejects.toMatchObject({ code: 'WrongPassword' });
    const coldPath = join(dir, 'w1', 'coldkey');
    const varName = passwordEnvVarName(coldPath);
    const headless = new Wallet({ name: 'w1', hotkey: 'hk', path: dir, kdf: FAST, env: { [varName]: encodeEnvPassword(varName, 'cold-pass-1') } });
    const unlocked = await headless.unlockColdkey();
    expect(unlocked.address).toBe(cold.keypair.address);
    expect(unlocked.data.secretPhrase).toBe(cold.mnemonic);
  });

  test('behavior: a wallet laid out by the reference tools (fixture built here) opens', async () => {
    const k = keypairFromMnemonic(DEV_PHRASE);
    const h = keypairFromUri('//Alice//hot1');
    const base = join(dir, 'ref');
    mkdirSync(join(base, 'hotkeys'), { recursive: true });
    // Key order differs from ours (Rust HashMap), and the reference writes crypto_type only in old files.
    const coldJson = JSON.stringify({ ss58Address: k.address, secretSeed: k.data.secretSeed, privateKey: k.data.privateKey, accountId: k.data.accountId, secretPhrase: DEV_PHRASE, publicKey: k.data.publicKey });
    writeFileSync(join(base, 'coldkey'), independentEncrypt(Buffer.from(coldJson), nobleKey('ref-wallet-pw', FAST), seededBytes(3, 24)), { mode: 0o600 });
    writeFileSync(join(base, 'coldkeypub.txt'), JSON.stringify({ publicKey: k.data.publicKey, accountId: k.data.accountId, ss58Address: k.address }));
    writeFileSync(join(base, 'hotkeys', 'default'), JSON.stringify({ crypto_type: 1, ss58Address: h.address, publicKey: h.data.publicKey, accountId: h.data.accountId, secretPhrase: '//Alice//hot1' }));
    const wallet = new Wallet({ name: 'ref', path: dir, kdf: FAST, env: { BT_WALLET_HOTKEY: 'default' } });
    expect((await wallet.unlockColdkey({ password: 'ref-wallet-pw' })).address).toBe(k.address);
    expect((await wallet.unlockHotkey()).address).toBe(h.address);
    expect((await wallet.hotkeypub()).address).toBe(h.address);

    writeFileSync(join(base, 'hotkeys', 'ed'), JSON.stringify({ crypto_type: 2, ss58Address: h.address }));
    await expect(new Wallet({ name: 'ref', hotkey: 'ed', path: dir, env: {} }).unlockHotkey()).rejects.toMatchObject({ code: 'InvalidKeyfile' });
  });

  test('behavior: regenerate from mnemonic, seed and URI; overwrite is refused unless asked', async () => {
    const wallet = new Wallet({ name: 'w2', path: dir, kdf: FAST, env: {} });
    const k = await wallet.regenerateColdkey({ mnemonic: DEV_PHRASE }, { password: 'abcdef-1' });
    expect(k.address).toBe(keypairFromMnemonic(DEV_PHRASE).address);
    await expect(wallet.regenerateColdkey({ uri: '//Alice' }, { password: 'abcdef-1' })).rejects.toMatchObject({ code: 'KeyfileExists' });
    const alice = await wallet.regenerateColdkey({ uri: '//Alice' }, { encrypt: false, overwrite: true });
    expect(alice.address).toBe(ALICE);
    expect(encryptionMethod(readFileSync(join(dir, 'w2/coldkey')))).toBeNull();
    expect((await wallet.unlockColdkey()).address).toBe(ALICE);
    const hk = await wallet.regenerateHotkey({ seed: k.data.secretSeed! });
    expect(hk.address).toBe(k.address);
    await expect(wallet.regenerateColdkey({ uri: '//Bob' }, { overwrite: true })).rejects.toMatchObject({ code: 'PasswordRequired' });
    await expect(new Wallet({ name: 'missing', path: dir, env: {} }).coldkeypub()).rejects.toMatchObject({ code: 'KeyfileNotFound' });
  });

  test('args: defaults come from BT_WALLET_* and ~ expands', () => {
    const w = new Wallet({ env: { BT_WALLET_NAME: 'n1', BT_WALLET_HOTKEY: 'h1', BT_WALLET_PATH: dir } });
    expect(w.coldkeyFile.path).toBe(join(dir, 'n1', 'coldkey'));
    expect(w.hotkeypubFile.path).toBe(join(dir, 'n1', 'hotkeys', 'h1pub.txt'));
    expect(new Wallet({ env: {} }).path).toMatch(/\.bittensor\/wallets$/);
    expect(() => new Wallet({ name: '../x', env: {} })).toThrow(WalletError);
  });
});

/**
 * `Keypair.create_from_uri("//Alice")` serialized and encrypted with the password `tensornet fixture password` by the
 * reference's own `bittensor.serialized_keypair_to_keyfile_data` + `encrypt_keyfile_data` (opentensor/bittensor v7.4.0
 * `bittensor/keyfile.py`: PyNaCl `pwhash.argon2i.kdf(..., OPSLIMIT_SENSITIVE, MEMLIMIT_SENSITIVE)` + `SecretBox`), run by
 * tests/interop/wallet on PyNaCl 1.6.2.
 */
const REFERENCE_NACL_KEYFILE =
  'JE5BQ0yGNn6QBxKQM8rNsOiRGDnK6EQ5DuCj2f/mErnfcyL5UaI4FjE1WXRLvVa6fnLF+nkWu6oXfsVYo5n4mi0Z2yfM/1NM7SG7EQfyFgPjUfJe3PokfQCo5JFkP+gGScXKFuHCY0pFVFlq/pZVQkZlFj1uD98U+0OAmQmiiWq0c/52b67TF5PtNUHb2Z9CTDqKa5w2Tw1BgFZNEyXDs4/l66xrt0veNT370U2plJj5Yd2yEjYwiDS4T4sGro+YEZ0B3k0W29sD3DIo/icUP8A+vqV1AVWs5L+9uW+j/xLpvuW0j6cV3hR6MSAP08sLzdNLlGy8g+wCR551himPYxjXSBJDxyNOumUWZsCq1LuU/eSPnqo6YRSiAWSez1Sl7ICsZncrjMeRnpHvmTRu+HMA5cBAfbbNaWOxINFJu6C2zW1bl1p7q9qxhsPqCTdTIhrpBW19mjwK9eefA0GQRwCrFYo/ggWWr/ir7xaJjSJcYjeL0OFYrlC+T/SeUCMHZPvHYngqkmNSF1sclq4uD6oHx5b7aBm/SDc8g/Fqp7xPOHVMBnjfYIfxM3llhYVPKFz2VfeCoHlFZcliRSovkfn+ozfREtL53bKWxxgPSiqCQgn0';
const REFERENCE_NACL_PLAINTEXT =
  '{"accountId": "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", "publicKey": "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d", "privateKey": "0x33a6f3093f158a7109f679410bef1a0c54168145e0cecb4df006c1c2fffb1f09925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011", "secretPhrase": null, "secretSeed": null, "ss58Address": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}';

describe('signing', () => {
  test('behavior: strings are UTF-8 unless 0x hex; <Bytes> wrapping verifies; public keys cannot sign', () => {
    const alice = keypairFromUri('//Alice');
    const sig = signMessage(alice, 'hello');
    expect(sig).toMatch(/^0x[0-9a-f]{128}$/);
    expect(verifyMessage('hello', sig, alice.address)).toBe(true);
    expect(verifyMessage(Buffer.from('hello'), sig, alice.address)).toBe(true);
    expect(verifyMessage('hello!', sig, alice.address)).toBe(false);
    expect(verifyMessage('hello', sig, keypairFromUri('//Bob').address)).toBe(false);
    const hexSig = signMessage(alice, '0x0102');
    expect(verifyMessage(Uint8Array.from([1, 2]), hexSig, alice.address)).toBe(true);
    const wrapped = u8aToHex(alice.pair!.sign(Buffer.from('<Bytes>payload</Bytes>')));
    expect(verifyMessage('payload', wrapped, alice.address)).toBe(true);
    expect(verifyMessage('payload', '0x1234', alice.address)).toBe(false);
    expect(() => signMessage(keypairFromPublic({ ss58Address: alice.address }), 'x')).toThrow(expect.objectContaining({ code: 'InvalidKeyfile' }));
  });
});
