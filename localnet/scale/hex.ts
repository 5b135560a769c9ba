/** Fast conversions between bytes and 0x-prefixed lowercase hex. */

const BYTE_TO_HEX: string[] = [];
for (let i = 0; i < 256; i++) BYTE_TO_HEX.push(i.toString(16).padStart(2, '0'));

/** -1 for characters that are not hex digits. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[65 + i] = 10 + i;
  NIBBLE[97 + i] = 10 + i;
}

/** `bytes[start, end)` as 0x-prefixed lowercase hex. */
export function bytesToHex(bytes: Uint8Array, start = 0, end = bytes.length): `0x${string}` {
  let out = '0x';
  for (let i = start; i < end; i++) out += BYTE_TO_HEX[bytes[i]!];
  return out as `0x${string}`;
}

/** `bytes` as lowercase hex digits without the `0x` prefix (for appending to a hex string). */
export function hexDigits(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]!];
  return out;
}

/**
 * Number of bytes a 0x hex string holds, or -1 when it is not one (no `0x`, odd length).
 * Digits are checked by {@link writeHex}.
 */
export function hexByteLength(hex: string): number {
  if (hex.length < 2 || hex.charCodeAt(0) !== 48 || (hex.charCodeAt(1) | 32) !== 120 || (hex.length & 1) !== 0) return -1;
  return (hex.length - 2) >>> 1;
}

/** Write the bytes of a 0x hex string into `out` at `offset`; false when a digit is invalid. */
export function writeHex(hex: string, out: Uint8Array, offset: number): boolean {
  for (let i = 2, o = offset; i < hex.length; i += 2, o++) {
    const a = hex.charCodeAt(i);
    const b = hex.charCodeAt(i + 1);
    const hi = a < 128 ? NIBBLE[a]! : -1;
    const lo = b < 128 ? NIBBLE[b]! : -1;
    if (hi < 0 || lo < 0) return false;
    out[o] = (hi << 4) | lo;
  }
  return true;
}

/** The bytes of a 0x hex string; throws `TypeError` for anything else. */
export function hexToBytes(hex: string): Uint8Array {
  const n = hexByteLength(hex);
  const out = new Uint8Array(n < 0 ? 0 : n);
  if (n < 0 || !writeHex(hex, out, 0)) throw new TypeError(`not a 0x-prefixed hex string of whole bytes: ${hex.slice(0, 20)}`);
  return out;
}
