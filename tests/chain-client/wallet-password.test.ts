/**
 * The reference wallet's password policy (docs/wallets.md): ≥ 6 UTF-8 bytes and a strength score
 * ≥ 20 from the Rust `passwords` crate 3.x (default features, so no common-password table). Every
 * expected score below was worked out by hand from the crate's analyzer and scorer; the first four
 * are also the crate's own documented vectors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Keyfile, MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE, Wallet, WalletError, checkPasswordPolicy, keypairFromUri, passwordStrength, walletCryptoReady,
  type KdfLimits,
} from '../../chain-client/wallet';

const FAST: KdfLimits = { opsLimit: 3, memLimitBytes: 8192 };
let dir: string;

beforeAll(async () => {
  await walletCryptoReady();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensornet-wallet-pw-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function policyError(password: string): WalletError | undefined {
  try {
    checkPasswordPolicy(password);
    return undefined;
  } catch (err) {
    if (err instanceof WalletError) return err;
    throw err;
  }
}

describe('passwordStrength (the passwords crate score)', () => {
  // Scoring, in short: the ceiling `max` comes from the number of ASCII characters (…, 5→25, 6→40,
  // 8→80, 11→100, then +1 each); a missing digit costs 5 % of max, a missing lowercase, uppercase or
  // space 10 % each; mixed case and any symbol add 1 each, each space adds 1; then repeated runs cost
  // max·consecutive/len/5, constant-step runs of ≥ 3 max·progressive/len/5, other repeats
  // max·repeats/len/10; clamp to [0, max]; each non-ASCII character adds 20; cap 100.
  test.each([
    // The crate's own vectors (README and tests/scorer.rs; 'abc123' is 24 with common-password off).
    ['kq4zpz13', 62],
    ['feelings', 56],
    ['abc123', 24],
    ['ZYX[$BCkQB中文}%A_3456]  H(\rg', 100],
    // 'password': max 80; no digit −4, no upper −8, no space −8 → 60; "ss" is a 2-char repeat run:
    // 80·2/8/5 = 4 → 56. No progressive run, and the s's are all inside the run → 56. Without the
    // common-password table (off in bittensor_wallet) it passes the policy, as in the reference.
    ['password', 56],
    ['pw', 3.75],
    ['12345', 12.5],
    // '123456': max 40; no lower/upper/space −4·3 → 28; "123456" is one constant-step run of 6:
    // 40·6/6/5 = 8 → exactly 20, the threshold.
    ['123456', 20],
    ['111111', 20],
    // '......': max 40; no digit −2, no lower/upper/space −4·3 → 26; a symbol +1 → 27; one repeat run
    // of 6: 40·6/6/5 = 8 → 19, just under the threshold.
    ['......', 19],
    // 'abcabc': 30 after class deductions; two step runs "abc" (3 + 3 = 6): −8; every character
    // appears twice outside any repeat run (6): 40·6/6/10 = 4 → 18.
    ['abcabc', 18],
    ['abcdef', 22],
    ['aaaaaa', 22],
    ['abcdef-1', 53],
    // "abcba": the second run "cba" shares its first character with "abc", so it counts 2, not 3.
    ['abcba', 11.75],
    ['cold-pass-1', 81 - (100 * 2) / 11 / 5 - (100 * 2) / 11 / 10],
    ['Tr0ub4dor&3', 92 - (100 * 2) / 11 / 10],
    // The crate's first step is (-1 − c0), so "0a" (97 = 2·48 + 1) already reads as a 3-count run.
    ['0a', 2.5],
    ['0b', 4],
    // Non-ASCII characters add 20 each on top of an ASCII ceiling of 0.
    ['中文', 40],
    ['ééé', 60],
    ['', 0],
    // Control characters are dropped before analysis.
    ['\t\t\t\t\t\t', 0],
  ])('behavior: %j scores %d', (password, expected) => {
    expect(passwordStrength(password)).toBeCloseTo(expected, 10);
  });
});

describe('checkPasswordPolicy', () => {
  test('default: the reference thresholds', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(6);
    expect(MIN_PASSWORD_SCORE).toBe(20);
  });

  test('behavior: length boundary is 6 UTF-8 bytes (5 refused, 6 accepted), as Rust str::len counts', () => {
    expect(policyError('abcde')).toMatchObject({ code: 'WeakPassword', details: { reason: 'tooShort', bytes: 5 } });
    expect(policyError('abcdef')).toBeUndefined();
    expect(policyError('')).toMatchObject({ code: 'WeakPassword', details: { reason: 'tooShort' } });
    // Two characters, four bytes: too short even though they score 40.
    expect(policyError('éé')).toMatchObject({ code: 'WeakPassword', details: { reason: 'tooShort', bytes: 4 } });
    expect(policyError('ééé')).toBeUndefined();
    expect(policyError('中文')).toBeUndefined();
  });

  test('behavior: score boundary is 20 inclusive (19 and 18 refused, 20 and 22 accepted)', () => {
    const low = policyError('......');
    expect(low).toMatchObject({ code: 'WeakPassword', details: { reason: 'lowScore', score: 19, minScore: 20 } });
    expect(low!.message).toContain('19 < 20');
    expect(policyError('abcabc')).toMatchObject({ code: 'WeakPassword', details: { reason: 'lowScore', score: 18 } });
    expect(policyError('111111')).toBeUndefined();
    expect(policyError('123456')).toBeUndefined();
    expect(policyError('aaaaaa')).toBeUndefined();
    expect(policyError('\t\t\t\t\t\t')).toMatchObject({ details: { reason: 'lowScore', score: 0 } });
  });

  test('error: messages never contain the password', () => {
    for (const password of ['pw', 'abcabc', '......']) {
      const err = policyError(password)!;
      expect(err).toBeInstanceOf(WalletError);
      expect(err.message).not.toContain(password);
    }
  });
});

describe('Wallet creation enforces the policy', () => {
  test('error: a weak coldkey password throws WeakPassword and writes no file or folder', async () => {
    const wallet = new Wallet({ name: 'w', path: dir, kdf: FAST, env: {} });
    await expect(wallet.createNewColdkey({ password: 'abcabc' })).rejects.toMatchObject({ code: 'WeakPassword', details: { reason: 'lowScore' } });
    await expect(wallet.regenerateColdkey({ uri: '//Alice' }, { password: 'pw' })).rejects.toMatchObject({ code: 'WeakPassword', details: { reason: 'tooShort' } });
    expect(existsSync(join(dir, 'w'))).toBe(false);
  });

  test('error: a weak hotkey password (explicit encryption) throws and writes nothing', async () => {
    const wallet = new Wallet({ name: 'w', hotkey: 'hk', path: dir, kdf: FAST, env: {} });
    await expect(wallet.createNewHotkey({ password: '......' })).rejects.toMatchObject({ code: 'WeakPassword' });
    await expect(wallet.regenerateHotkey({ uri: '//Bob' }, { password: 'éé', encrypt: true })).rejects.toMatchObject({ code: 'WeakPassword' });
    expect(existsSync(join(dir, 'w'))).toBe(false);
  });

  test('behavior: a refused overwrite leaves the existing keys byte-identical and unlockable', async () => {
    const wallet = new Wallet({ name: 'w', path: dir, kdf: FAST, env: {} });
    const cold = await wallet.createNewColdkey({ password: 'cold-pass-1' });
    const before = ['coldkey', 'coldkeypub.txt'].map((f) => readFileSync(join(dir, 'w', f)));
    await expect(wallet.regenerateColdkey({ uri: '//Alice' }, { password: 'abcabc', overwrite: true })).rejects.toMatchObject({ code: 'WeakPassword' });
    // The policy is checked before the file-exists check too.
    await expect(wallet.createNewColdkey({ password: 'pw' })).rejects.toMatchObject({ code: 'WeakPassword' });
    expect(['coldkey', 'coldkeypub.txt'].map((f) => readFileSync(join(dir, 'w', f)))).toEqual(before);
    expect((await wallet.unlockColdkey({ password: 'cold-pass-1' })).address).toBe(cold.keypair.address);
  });

  test('behavior: strong and boundary passwords are accepted; unencrypted keys need none', async () => {
    const wallet = new Wallet({ name: 'w', hotkey: 'hk', path: dir, kdf: FAST, env: {} });
    await wallet.regenerateColdkey({ uri: '//Alice' }, { password: '111111' });
    expect((await wallet.unlockColdkey({ password: '111111' })).address).toBe(keypairFromUri('//Alice').address);
    await wallet.createNewHotkey();
    expect(existsSync(join(dir, 'w', 'hotkeys', 'hk'))).toBe(true);
  });

  test('behavior: unlock and the low-level Keyfile.write are policy-free (old weak-password files still open)', async () => {
    const alice = keypairFromUri('//Alice');
    await new Keyfile(join(dir, 'old', 'coldkey')).write(alice.data, { password: 'pw', kdf: FAST });
    const wallet = new Wallet({ name: 'old', path: dir, kdf: FAST, env: {} });
    expect((await wallet.unlockColdkey({ password: 'pw' })).address).toBe(alice.address);
  });
});
