/**
 * The reference wallet's password policy (docs/wallets.md): a new keyfile password needs at least
 * 6 bytes and a strength score of at least 20, scored as the Rust `passwords` crate 3.x
 * (`analyzer::analyze` then `scorer::score`) scores it. bittensor_wallet depends on that crate with
 * its default features, so the `common-password` table (which divides a listed password's score by 5)
 * is off there and absent here: 'password' scores 56 in both.
 *
 * Only `Wallet` creation paths apply the policy. Unlocking never does (old files must open), and
 * the low-level `encryptKeyfileData` and `Keyfile.write` are policy-free.
 */
import { WalletError } from './errors';

/** The fewest UTF-8 bytes a new keyfile password may have. */
export const MIN_PASSWORD_LENGTH = 6;
/** The lowest {@link passwordStrength} a new keyfile password may have. */
export const MIN_PASSWORD_SCORE = 20;

/** The counts of the crate's `AnalyzedPassword`. */
interface Analysis {
  /** Characters kept (control characters are dropped before anything is counted). */
  readonly length: number;
  readonly spaces: number;
  readonly digits: number;
  readonly lowercase: number;
  readonly uppercase: number;
  /** Printable ASCII punctuation. */
  readonly symbols: number;
  /** Everything outside printable ASCII. */
  readonly others: number;
  /** Characters in runs of one repeated character ("aaa" counts 3). */
  readonly consecutive: number;
  /** Repeats of a character outside such runs. */
  readonly nonConsecutive: number;
  /** Characters in runs of three or more with a constant code-point step ("abc", "975"). */
  readonly progressive: number;
}

/** The crate's `analyzer::analyze`, over Unicode scalar values. */
function analyze(password: string): Analysis {
  let length = 0;
  let spaces = 0;
  let digits = 0;
  let lowercase = 0;
  let uppercase = 0;
  let symbols = 0;
  let others = 0;
  let consecutive = 0;
  let progressive = 0;
  const seen = new Map<number, number>();
  // The crate starts from u32::MAX, which its i32 step arithmetic reads as -1. So the first "step" is
  // -1 - c0, and a second character of 2·c0 + 1 ("0a", " A") continues it: a 3-count run of two
  // characters. That quirk is part of the reference score and is kept.
  let lastCode = -1;
  let lastStep = 0x7fffffff;
  let inRepeat = false;
  let inStepRun = false;
  // Whether the current step run began on the last character of the previous one ("abcba"): the
  // shared character is counted once, so the new run adds 2 rather than 3.
  let sharesStart = false;

  for (const ch of password) {
    const code = ch.codePointAt(0)!;
    if (code <= 0x1f || code === 0x7f) continue;
    length += 1;
    seen.set(code, (seen.get(code) ?? 0) + 1);

    if (code === lastCode) {
      consecutive += inRepeat ? 1 : 2;
      inRepeat = true;
      // A repeat ends a step run without resetting the step, so "abbc" still counts "b→c" as continuing "a→b".
      inStepRun = false;
    } else {
      inRepeat = false;
      const step = lastCode - code;
      lastCode = code;
      if (step === lastStep) {
        if (inStepRun) {
          progressive += 1;
        } else {
          inStepRun = true;
          progressive += sharesStart ? 2 : 3;
          sharesStart = true;
        }
      } else {
        lastStep = step;
        if (inStepRun) inStepRun = false;
        else sharesStart = false;
      }
    }

    if (code >= 48 && code <= 57) digits += 1;
    else if (code >= 65 && code <= 90) uppercase += 1;
    else if (code >= 97 && code <= 122) lowercase += 1;
    else if (code === 32) spaces += 1;
    else if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) symbols += 1;
    else others += 1;
  }

  let repeated = 0;
  for (const count of seen.values()) if (count > 1) repeated += count;
  return { length, spaces, digits, lowercase, uppercase, symbols, others, consecutive, nonConsecutive: repeated - consecutive, progressive };
}

/** The crate's ceiling by the number of ASCII characters; past 11 it grows by one per character (all of them, as the crate counts). */
const MAX_SCORE_BY_ASCII_LENGTH = [0, 2, 5, 9, 16, 25, 40, 58, 80, 88, 95, 100];

/**
 * The strength score (0..100) of the Rust `passwords` crate 3.x without `common-password`:
 * `scorer::score(&analyzer::analyze(password))`, bit for bit (same float operations in the same order).
 *
 * @example
 * passwordStrength('kq4zpz13'); // 62
 * passwordStrength('......');   // 19
 */
export function passwordStrength(password: string): number {
  const a = analyze(password);
  const ascii = a.length - a.others;
  const max = ascii < MAX_SCORE_BY_ASCII_LENGTH.length ? MAX_SCORE_BY_ASCII_LENGTH[ascii]! : 100 + a.length - 11;
  let score = max;
  if (score > 0) {
    if (a.spaces >= 1) score += a.spaces;
    if (a.digits === 0) score -= max * 0.05;
    if (a.lowercase === 0) score -= max * 0.1;
    if (a.uppercase === 0) score -= max * 0.1;
    if (a.spaces === 0) score -= max * 0.1;
    if (a.lowercase >= 1 && a.uppercase >= 1) score += 1;
    if (a.symbols >= 1) score += 1;
    score -= max * (a.consecutive / a.length / 5);
    score -= max * (a.progressive / a.length / 5);
    score -= max * (a.nonConsecutive / a.length / 10);
  }
  score = Math.min(Math.max(score, 0), max);
  // Non-ASCII characters are rarely in cracking tables: each is worth 20 on top of the ceiling.
  return Math.min(score + a.others * 20, 100);
}

/**
 * Refuses a new keyfile password the reference wallet would refuse: fewer than
 * {@link MIN_PASSWORD_LENGTH} UTF-8 bytes (the reference checks Rust `str::len`, so "ééé" is long
 * enough), or a {@link passwordStrength} below {@link MIN_PASSWORD_SCORE}. Messages never contain the password.
 *
 * @throws WalletError `WeakPassword` (`details.reason` is `'tooShort'` or `'lowScore'`)
 * @example
 * checkPasswordPolicy('abcabc');      // throws WeakPassword: score 18 < 20
 * checkPasswordPolicy('cold-pass-1'); // ok (score ≈ 75.5)
 */
export function checkPasswordPolicy(password: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < MIN_PASSWORD_LENGTH) {
    throw new WalletError('WeakPassword', `password too short: ${bytes} bytes < ${MIN_PASSWORD_LENGTH}`, { reason: 'tooShort', bytes, minLength: MIN_PASSWORD_LENGTH });
  }
  const score = passwordStrength(password);
  if (score < MIN_PASSWORD_SCORE) {
    throw new WalletError('WeakPassword', `password too weak: strength score ${Number(score.toFixed(2))} < ${MIN_PASSWORD_SCORE}; use a longer password or more kinds of characters`, {
      reason: 'lowScore', score, minScore: MIN_PASSWORD_SCORE,
    });
  }
}
