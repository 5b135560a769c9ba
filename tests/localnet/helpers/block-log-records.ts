/** Deterministic block-log records for the persistence tests (contents derive from the block number). */
import type { BlockLogRecord } from '../../../localnet/persistence/block-log';

/** A small xorshift PRNG seeded by `seed` (deterministic bytes, no dependencies). */
function bytes(seed: number, length: number): Uint8Array {
  let x = (seed * 2654435761) >>> 0 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** The record the writer appends for block `n`: sizes vary from a few bytes to ~64 KiB. */
export function recordFor(n: number): BlockLogRecord {
  const extrinsicCount = n % 5;
  const big = n % 7 === 3 ? 65_536 : 0;
  return {
    number: n,
    header: bytes(n * 4 + 1, 80 + (n % 17)),
    extrinsics: Array.from({ length: extrinsicCount }, (_, i) => bytes(n * 4 + 2 + i * 1000, 10 + ((n * 31 + i * 7) % 300))),
    payload: bytes(n * 4 + 3, (n % 11) * 13 + big),
  };
}
