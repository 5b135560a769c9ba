/**
 * zod schemas for everything that comes in over the wire: the JSON-RPC request envelope and the
 * parameter types the handlers share. Hex inputs are normalised to lowercase (the chain keys blocks
 * and storage by lowercase hex); optional parameters accept `null` or absence, as Substrate's
 * `Option<T>` parameters do.
 */
import { z } from 'zod';
import { decodeAddress } from '@polkadot/util-crypto';
import type { HexString } from '../chain/backend';

/** A JSON-RPC 2.0 request (a notification when `id` is absent). */
export const requestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
  method: z.string(),
  params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

export type JsonRpcRequest = z.output<typeof requestSchema>;

const HEX_BYTES = /^0x(?:[0-9a-fA-F]{2})*$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

const lower = (value: string): HexString => value.toLowerCase() as HexString;

/** 0x-prefixed hex of whole bytes (possibly empty, `0x`). */
export const hexBytes = z.string('expected a 0x-prefixed hex string').regex(HEX_BYTES, 'expected 0x-prefixed hex of whole bytes').transform(lower);

/** A 32-byte block hash. */
export const blockHash = z.string('expected a 32-byte 0x-prefixed hex hash').regex(HASH, 'expected a 32-byte 0x-prefixed hex hash').transform(lower);

/** A storage key or key prefix. */
export const storageKey = hexBytes;

/** u16 as a JSON number. */
export const u16 = z.number('expected an integer').int('expected an integer').min(0, 'expected a u16').max(0xffff, 'expected a u16');

/** u32 as a JSON number. */
export const u32 = z.number('expected an integer').int('expected an integer').min(0, 'expected a u32').max(0xffff_ffff, 'expected a u32');

/** `Vec<u8>` as serde reads it: a JSON array of byte values. */
export const byteArray = z.array(z.number().int().min(0).max(255), 'expected a JSON array of byte values (0..255)');

/**
 * Substrate's `NumberOrHex` for block numbers: a non-negative JSON integer or a 0x hex quantity, at
 * most u32::MAX.
 */
export const blockNumber = z
  .union([z.number().int().min(0), z.string().regex(/^0x[0-9a-fA-F]+$/)], 'expected a block number (integer or 0x hex)')
  .transform((value, ctx): number => {
    const n = typeof value === 'number' ? BigInt(value) : BigInt(value);
    if (n > 0xffff_ffffn) {
      ctx.addIssue({ code: 'custom', message: `${value} > u32::MAX, the max block number is u32` });
      return z.NEVER;
    }
    return Number(n);
  });

/** An SS58 address or a 0x 32-byte account id (checked, passed on as given). */
export const address = z.string('expected an SS58 address').refine((value) => {
  try {
    decodeAddress(value);
    return true;
  } catch {
    return false;
  }
}, 'expected a valid SS58 address or 0x account id');

/** A subscription id as a client echoes it back. */
export const subscriptionId = z.union([z.string(), z.number()], 'expected a subscription id').transform(String);

/** Makes a parameter optional: absent or `null` both read as `undefined`. */
export function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}
