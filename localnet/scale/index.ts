/**
 * A fast SCALE codec compiler driven by a metadata type registry (scale-info's portable registry,
 * `metadata.asLatest.lookup`). `codecs.codecFor(typeId)` compiles a pair of closures once per type
 * id; encoding and decoding then never touch `@polkadot/types` (byte-identical with it, see
 * `tests/localnet/scale-polkadot.test.ts`).
 *
 * JS value mapping (decode produces exactly this; encode accepts it, plus the noted extras):
 *
 * | SCALE type | JS value |
 * |---|---|
 * | `u8` `u16` `u32` `i8` `i16` `i32` | `number` (encode also takes an in-range `bigint`) |
 * | `u64` `u128` `u256` `i64` `i128` `i256` | `bigint` (encode also takes a safe-integer `number`) |
 * | `bool` | `boolean` |
 * | `str` | `string` (UTF-8; invalid UTF-8 is a decode error) |
 * | `char` | a one-code-point `string` |
 * | `Compact<T>` | as `T` (a compact newtype `Compact<Perbill>` is the inner number) |
 * | `Vec<u8>`, `[u8; N]` and newtypes of them (`AccountId32`, `H256`) | `0x`-prefixed lowercase hex `string` (encode also takes a `Uint8Array`) |
 * | other `Vec<T>`, `[T; N]` | `T[]` |
 * | tuples `(A, B, …)` | `[a, b, …]`; the unit tuple `()` is `[]` |
 * | composite with named fields | object keyed by the metadata's field names verbatim (`ip_type`, not `ipType`) |
 * | composite with one unnamed field (newtype) | the inner value |
 * | composite with several unnamed fields | array |
 * | composite without fields | `{}` |
 * | `Option<T>` | `T \| null` (encode also takes `undefined` for None; `Option<Option<T>>` cannot tell the Nones apart) |
 * | enum whose variants have no fields | the variant name (`'Normal'`); encode also takes `{ Normal: null }` |
 * | other enums | `{ [variantName]: payload }`, payload: the single unnamed field's value, an array for several unnamed fields, an object for named fields, `null` for none; encode also takes the bare name for a field-less variant |
 * | `BitSequence` | unsupported: compiles, but throws `ScaleError` (`UnsupportedType`) when used |
 *
 * Note `Option<bool>` is the generic two-byte encoding (as in parity-scale-codec and
 * @polkadot/types), not `OptionBool`. Decoding is strict like parity-scale-codec: non-canonical
 * compacts, bool bytes other than 0/1, unknown variant indexes and bad Option tags are errors.
 */
export { ScaleCodecs } from './compiler';
export { ScaleError } from './errors';
export type { ScaleErrorCode, ScaleErrorType } from './errors';
export { bytesToHex, hexDigits, hexToBytes } from './hex';
export { portableTypeSource } from './portable';
export type {
  Decoded,
  ScaleCodec,
  ScaleField,
  ScalePrimitive,
  ScaleType,
  ScaleTypeDef,
  ScaleTypeSource,
  ScaleValue,
  ScaleVariant,
} from './types';
