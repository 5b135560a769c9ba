/**
 * Small, allocation-light helpers for hex storage keys. Keys are compared as JS strings: for
 * lowercase hex with the same `0x` prefix, string order equals byte order (each byte maps to two
 * characters and `'0'…'9' < 'a'…'f'`), and a byte prefix is a string prefix.
 */
import type { HexKey } from './types';
import { StateError } from './errors';

const KEY_RE = /^0x(?:[0-9a-f]{2})*$/;
const PREFIX_RE = /^0x[0-9a-f]*$/;

/** True when `s` is a whole-byte, lowercase, 0x-prefixed hex key. */
export function isHexKey(s: unknown): s is HexKey {
  return typeof s === 'string' && KEY_RE.test(s);
}

/** Throws `StateError('InvalidKey')` unless `key` is a whole-byte lowercase 0x hex string. */
export function assertHexKey(key: unknown): asserts key is HexKey {
  if (!isHexKey(key)) throw new StateError('InvalidKey', `invalid storage key ${describe(key)}: expected 0x-prefixed lowercase hex of whole bytes`, { key: describe(key) });
}

/** Throws `StateError('InvalidKey')` unless `prefix` is lowercase 0x hex (an odd nibble count is allowed). */
export function assertHexPrefix(prefix: unknown): asserts prefix is HexKey {
  if (typeof prefix !== 'string' || !PREFIX_RE.test(prefix)) {
    throw new StateError('InvalidKey', `invalid key prefix ${describe(prefix)}: expected 0x-prefixed lowercase hex`, { prefix: describe(prefix) });
  }
}

function describe(v: unknown): string {
  if (typeof v !== 'string') return `(${typeof v})`;
  return v.length > 80 ? JSON.stringify(`${v.slice(0, 80)}…`) : JSON.stringify(v);
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = 10 + i;

/** Byte length of a (valid) hex key. */
export function hexKeyByteLength(key: HexKey): number {
  return (key.length - 2) >>> 1;
}

/** Decodes a valid hex key into `out` at `offset` (no validation beyond what `assertHexKey` did). */
export function writeHexKey(key: HexKey, out: Uint8Array, offset: number): void {
  const n = (key.length - 2) >>> 1;
  for (let i = 0, c = 2; i < n; i++, c += 2) {
    out[offset + i] = (NIBBLE[key.charCodeAt(c)]! << 4) | NIBBLE[key.charCodeAt(c + 1)]!;
  }
}

/** Decodes a valid hex key into fresh bytes. */
export function hexKeyToBytes(key: HexKey): Uint8Array {
  const out = new Uint8Array(hexKeyByteLength(key));
  writeHexKey(key, out, 0);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase 0x hex of `bytes`. */
export function bytesToHexKey(bytes: Uint8Array): HexKey {
  let s = '0x';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s as HexKey;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
