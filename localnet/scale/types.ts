/**
 * A plain description of a SCALE type registry (the portable registry of metadata V14+), and the
 * codec interface the compiler produces.
 */

/** Primitive types of scale-info. */
export type ScalePrimitive =
  | 'bool'
  | 'char'
  | 'str'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'u128'
  | 'u256'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'i128'
  | 'i256';

/** A field of a composite type or of an enum variant; `name` is null for tuple-like fields. */
export interface ScaleField {
  readonly name: string | null;
  readonly type: number;
}

/** One enum variant; `index` is the SCALE tag byte (not necessarily the position). */
export interface ScaleVariant {
  readonly name: string;
  readonly index: number;
  readonly fields: readonly ScaleField[];
}

/** The shape of a type (scale-info's `TypeDef`). */
export type ScaleTypeDef =
  | { readonly kind: 'primitive'; readonly primitive: ScalePrimitive }
  | { readonly kind: 'compact'; readonly type: number }
  | { readonly kind: 'sequence'; readonly type: number }
  | { readonly kind: 'array'; readonly len: number; readonly type: number }
  | { readonly kind: 'tuple'; readonly types: readonly number[] }
  | { readonly kind: 'composite'; readonly fields: readonly ScaleField[] }
  | { readonly kind: 'variant'; readonly variants: readonly ScaleVariant[] }
  | { readonly kind: 'bitSequence' };

/** One registry entry. `path` is the Rust path (`['sp_core', 'crypto', 'AccountId32']`), empty for built-ins. */
export interface ScaleType {
  readonly id: number;
  readonly path: readonly string[];
  readonly def: ScaleTypeDef;
}

/** Where the compiler reads type definitions from. */
export interface ScaleTypeSource {
  /** The type with this id; throws (or returns undefined) for unknown ids. */
  getType(id: number): ScaleType | undefined;
}

/**
 * A JS value as the codecs map SCALE values (see the module doc of `localnet/scale`):
 * numbers, bigints, booleans, strings (text and 0x hex bytes), null (None, field-less variants),
 * arrays (sequences, arrays, tuples) and objects (named composites, enum variants).
 */
export type ScaleValue =
  | number
  | bigint
  | boolean
  | string
  | null
  | readonly ScaleValue[]
  | { readonly [key: string]: ScaleValue };

/** The result of a decode at an offset: the value and the offset just past it. */
export interface Decoded<T> {
  readonly value: T;
  readonly offset: number;
}

/**
 * A compiled codec for one type id. `T` is the caller's assertion about the JS shape; the codec
 * validates what it writes and reads, not the static type.
 */
export interface ScaleCodec<T = unknown> {
  readonly typeId: number;
  /** SCALE bytes of `value` (a fresh array). Throws `ScaleError` (`Encode`) for invalid values. */
  encode(value: T): Uint8Array;
  /** Decode one value starting at `offset` (default 0); trailing bytes are left alone. */
  decode(bytes: Uint8Array, offset?: number): Decoded<T>;
  /** Decode a value that must span all of `bytes` (throws `ScaleError` (`Decode`) on trailing bytes). */
  decodeAll(bytes: Uint8Array): T;
}
