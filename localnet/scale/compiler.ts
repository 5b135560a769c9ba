/**
 * Compiles SCALE codecs from a type registry: one pair of closures per type id, built on first use
 * and cached. See `./index.ts` for the JS value mapping.
 */
import { ScaleError } from './errors';
import { bytesToHex, hexByteLength, writeHex } from './hex';
import { ByteReader, ByteWriter } from './io';
import type { Decoded, ScaleCodec, ScaleField, ScalePrimitive, ScaleType, ScaleTypeSource, ScaleVariant } from './types';

interface Node {
  write(w: ByteWriter, v: unknown): void;
  read(r: ByteReader): unknown;
}

type PathSegment = string | number;

/** Upper bound on the element count of a sequence whose elements may encode to zero bytes. */
const MAX_ZERO_SIZED_ELEMENTS = 1 << 20;

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------------------------------------
// errors

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array(${v.length})`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'object':
      return `object {${Object.keys(v as object).slice(0, 5).join(', ')}}`;
    default:
      return typeof v;
  }
}

function encodeError(typeId: number, expected: string, v: unknown): ScaleError {
  return new ScaleError('Encode', `expected ${expected}, got ${describe(v)}`, { typeId, path: [] });
}

function decodeError(typeId: number, message: string, r: ByteReader): ScaleError {
  return new ScaleError('Decode', `${message} at offset ${r.pos}`, { typeId, path: [] });
}

/** Record `segment` as the next-outer step of the error's field path. */
function atPath(e: unknown, segment: PathSegment): unknown {
  if (e instanceof ScaleError) {
    const path = e.details['path'];
    if (Array.isArray(path)) path.unshift(segment);
  }
  return e;
}

function formatPath(path: readonly PathSegment[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/** The error a top-level codec call throws: the inner message plus the path and the root type. */
function rootError(e: unknown, rootTypeId: number, code: 'Encode' | 'Decode'): ScaleError {
  if (e instanceof ScaleError) {
    const path = Array.isArray(e.details['path']) ? (e.details['path'] as PathSegment[]) : [];
    const where = path.length > 0 ? ` at ${formatPath(path)}` : '';
    return new ScaleError(e.code, `${e.message}${where} (type #${rootTypeId})`, { ...e.details, rootTypeId }, { cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ScaleError(code, `${message} (type #${rootTypeId})`, { rootTypeId, path: [] }, { cause: e });
}

// ---------------------------------------------------------------------------------------------
// primitives

function smallInt(typeId: number, name: string, min: number, max: number): (v: unknown) => number {
  return (v) => {
    if (typeof v === 'number') {
      if (v >= min && v <= max && Number.isInteger(v)) return v;
    } else if (typeof v === 'bigint') {
      if (v >= BigInt(min) && v <= BigInt(max)) return Number(v);
    }
    throw encodeError(typeId, `${name} (integer in [${min}, ${max}])`, v);
  };
}

function bigInt(typeId: number, name: string, min: bigint, max: bigint): (v: unknown) => bigint {
  return (v) => {
    if (typeof v === 'bigint') {
      if (v >= min && v <= max) return v;
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      const b = BigInt(v);
      if (b >= min && b <= max) return b;
    }
    throw encodeError(typeId, `${name} (bigint in [${min}, ${max}])`, v);
  };
}

const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const U256_MAX = (1n << 256n) - 1n;

function primitiveNode(typeId: number, p: ScalePrimitive): Node {
  switch (p) {
    case 'bool':
      return {
        write(w, v) {
          if (v === true) w.u8(1);
          else if (v === false) w.u8(0);
          else throw encodeError(typeId, 'bool', v);
        },
        read(r) {
          const b = r.u8();
          if (b > 1) throw decodeError(typeId, `invalid bool byte ${b}`, r);
          return b === 1;
        },
      };
    case 'u8': {
      const check = smallInt(typeId, 'u8', 0, 0xff);
      return { write: (w, v) => w.u8(check(v)), read: (r) => r.u8() };
    }
    case 'u16': {
      const check = smallInt(typeId, 'u16', 0, 0xffff);
      return { write: (w, v) => w.u16(check(v)), read: (r) => r.u16() };
    }
    case 'u32': {
      const check = smallInt(typeId, 'u32', 0, 0xffffffff);
      return { write: (w, v) => w.u32(check(v)), read: (r) => r.u32() };
    }
    case 'i8': {
      const check = smallInt(typeId, 'i8', -0x80, 0x7f);
      return { write: (w, v) => w.u8(check(v) & 0xff), read: (r) => (r.u8() << 24) >> 24 };
    }
    case 'i16': {
      const check = smallInt(typeId, 'i16', -0x8000, 0x7fff);
      return { write: (w, v) => w.u16(check(v) & 0xffff), read: (r) => (r.u16() << 16) >> 16 };
    }
    case 'i32': {
      const check = smallInt(typeId, 'i32', -0x80000000, 0x7fffffff);
      return { write: (w, v) => w.u32(check(v) >>> 0), read: (r) => r.u32() | 0 };
    }
    case 'u64': {
      const check = bigInt(typeId, 'u64', 0n, U64_MAX);
      return { write: (w, v) => w.u64(check(v)), read: (r) => r.u64() };
    }
    case 'u128': {
      const check = bigInt(typeId, 'u128', 0n, U128_MAX);
      return { write: (w, v) => w.bigUint(check(v), 16), read: (r) => r.bigUint(16) };
    }
    case 'u256': {
      const check = bigInt(typeId, 'u256', 0n, U256_MAX);
      return { write: (w, v) => w.bigUint(check(v), 32), read: (r) => r.bigUint(32) };
    }
    case 'i64': {
      const check = bigInt(typeId, 'i64', -(1n << 63n), (1n << 63n) - 1n);
      return { write: (w, v) => w.u64(BigInt.asUintN(64, check(v))), read: (r) => BigInt.asIntN(64, r.u64()) };
    }
    case 'i128': {
      const check = bigInt(typeId, 'i128', -(1n << 127n), (1n << 127n) - 1n);
      return { write: (w, v) => w.bigUint(BigInt.asUintN(128, check(v)), 16), read: (r) => BigInt.asIntN(128, r.bigUint(16)) };
    }
    case 'i256': {
      const check = bigInt(typeId, 'i256', -(1n << 255n), (1n << 255n) - 1n);
      return { write: (w, v) => w.bigUint(BigInt.asUintN(256, check(v)), 32), read: (r) => BigInt.asIntN(256, r.bigUint(32)) };
    }
    case 'str':
      return {
        write(w, v) {
          if (typeof v !== 'string') throw encodeError(typeId, 'string', v);
          const bytes = UTF8_ENCODER.encode(v);
          w.compact(bytes.length);
          w.bytes(bytes);
        },
        read(r) {
          const n = r.compactLength(r.remaining);
          const start = r.pos;
          const raw = r.take(n);
          try {
            return UTF8_DECODER.decode(raw);
          } catch {
            r.pos = start;
            throw decodeError(typeId, 'invalid UTF-8 in str', r);
          }
        },
      };
    case 'char':
      return {
        write(w, v) {
          const cp = typeof v === 'string' ? v.codePointAt(0) : undefined;
          if (typeof v !== 'string' || cp === undefined || String.fromCodePoint(cp) !== v || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw encodeError(typeId, 'char (a string of one Unicode scalar value)', v);
          }
          w.u32(cp);
        },
        read(r) {
          const cp = r.u32();
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw decodeError(typeId, `invalid char ${cp}`, r);
          return String.fromCodePoint(cp);
        },
      };
  }
}

// ---------------------------------------------------------------------------------------------
// byte containers

function byteSequenceNode(typeId: number): Node {
  return {
    write(w, v) {
      if (typeof v === 'string') {
        const n = hexByteLength(v);
        if (n < 0) throw encodeError(typeId, 'bytes (0x hex string or Uint8Array)', v);
        w.compact(n);
        w.reserve(n);
        if (!writeHex(v, w.buf, w.pos)) throw encodeError(typeId, 'bytes (0x hex string or Uint8Array)', v);
        w.pos += n;
      } else if (v instanceof Uint8Array) {
        w.compact(v.length);
        w.bytes(v);
      } else {
        throw encodeError(typeId, 'bytes (0x hex string or Uint8Array)', v);
      }
    },
    read(r) {
      const n = r.compactLength(r.remaining);
      const hex = bytesToHex(r.bytes, r.pos, r.pos + n);
      r.pos += n;
      return hex;
    },
  };
}

function byteArrayNode(typeId: number, len: number): Node {
  const expected = `[u8; ${len}] (0x hex string of ${len} bytes or Uint8Array)`;
  return {
    write(w, v) {
      if (typeof v === 'string') {
        if (hexByteLength(v) !== len) throw encodeError(typeId, expected, v);
        w.reserve(len);
        if (!writeHex(v, w.buf, w.pos)) throw encodeError(typeId, expected, v);
        w.pos += len;
      } else if (v instanceof Uint8Array && v.length === len) {
        w.bytes(v);
      } else {
        throw encodeError(typeId, expected, v);
      }
    },
    read(r) {
      r.need(len);
      const hex = bytesToHex(r.bytes, r.pos, r.pos + len);
      r.pos += len;
      return hex;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the compiler

/**
 * Compiles and caches codecs for the types of one registry.
 *
 * @example
 * const codecs = new ScaleCodecs(portableTypeSource(metadata.asLatest.lookup));
 * const u16 = codecs.codecFor<number>(39);
 * u16.encode(99); // Uint8Array [0x63, 0x00]
 */
export class ScaleCodecs {
  readonly #source: ScaleTypeSource;
  readonly #nodes = new Map<number, Node>();
  readonly #pending = new Set<number>();
  /** Type ids compiled during the current outermost `codecFor` call (rolled back if it fails). */
  #added: number[] | null = null;
  readonly #codecs = new Map<number, ScaleCodec<unknown>>();
  readonly #zeroSized = new Map<number, boolean>();
  readonly #writer = new ByteWriter(4096);
  #writerBusy = false;

  constructor(source: ScaleTypeSource) {
    this.#source = source;
  }

  /** The registry entry for `typeId`; throws `ScaleError` (`UnknownType`) when absent. */
  type(typeId: number): ScaleType {
    let t: ScaleType | undefined;
    try {
      t = this.#source.getType(typeId);
    } catch (cause) {
      const reason = cause instanceof Error ? `: ${cause.message}` : '';
      throw new ScaleError('UnknownType', `cannot read type id ${typeId}${reason}`, { typeId }, { cause });
    }
    if (!t) throw new ScaleError('UnknownType', `unknown type id ${typeId}`, { typeId });
    return t;
  }

  /**
   * The codec for `typeId`, compiled on first use. `T` is the caller's assertion about the value
   * shape. Throws `ScaleError` (`UnknownType`) for ids missing from the registry.
   */
  codecFor<T = unknown>(typeId: number): ScaleCodec<T> {
    let codec = this.#codecs.get(typeId);
    if (!codec) {
      const added: number[] = [];
      this.#added = added;
      try {
        codec = this.#makeCodec(typeId, this.#node(typeId));
      } catch (e) {
        // nodes compiled in this call may hold placeholders of types that failed: drop them all
        for (const id of added) this.#nodes.delete(id);
        throw e;
      } finally {
        this.#added = null;
      }
      this.#codecs.set(typeId, codec);
    }
    return codec as ScaleCodec<T>;
  }

  #makeCodec(typeId: number, node: Node): ScaleCodec<unknown> {
    const encode = (value: unknown): Uint8Array => {
      const shared = !this.#writerBusy;
      const w = shared ? this.#writer : new ByteWriter(256);
      if (shared) this.#writerBusy = true;
      try {
        w.reset();
        node.write(w, value);
        return w.finish();
      } catch (e) {
        throw rootError(e, typeId, 'Encode');
      } finally {
        if (shared) this.#writerBusy = false;
      }
    };
    const decode = (bytes: Uint8Array, offset = 0): Decoded<unknown> => {
      const r = new ByteReader(bytes, offset);
      try {
        const value = node.read(r);
        return { value, offset: r.pos };
      } catch (e) {
        throw rootError(e, typeId, 'Decode');
      }
    };
    const decodeAll = (bytes: Uint8Array): unknown => {
      const r = new ByteReader(bytes, 0);
      let value: unknown;
      try {
        value = node.read(r);
      } catch (e) {
        throw rootError(e, typeId, 'Decode');
      }
      if (r.pos !== bytes.length) {
        throw new ScaleError('Decode', `${bytes.length - r.pos} trailing byte(s) after the value (type #${typeId})`, {
          typeId,
          rootTypeId: typeId,
          path: [],
        });
      }
      return value;
    };
    return { typeId, encode, decode, decodeAll };
  }

  #node(typeId: number): Node {
    const cached = this.#nodes.get(typeId);
    if (cached) return cached;
    const type = this.type(typeId);
    // Placeholder first, so recursive types (a call that holds calls) resolve through it.
    const node: Node = {
      write: () => {
        throw new ScaleError('UnsupportedType', `type #${typeId} used before it was compiled`, { typeId, path: [] });
      },
      read: () => {
        throw new ScaleError('UnsupportedType', `type #${typeId} used before it was compiled`, { typeId, path: [] });
      },
    };
    this.#nodes.set(typeId, node);
    this.#added?.push(typeId);
    this.#pending.add(typeId);
    try {
      const compiled = this.#compile(type);
      node.write = compiled.write;
      node.read = compiled.read;
    } finally {
      this.#pending.delete(typeId);
    }
    return node;
  }

  /** A node that behaves as `child`, safe to build while `child` is still being compiled. */
  #alias(childId: number): Node {
    const child = this.#node(childId);
    if (!this.#pending.has(childId)) return { write: child.write, read: child.read };
    return { write: (w, v) => child.write(w, v), read: (r) => child.read(r) };
  }

  #isU8(typeId: number): boolean {
    const def = this.type(typeId).def;
    return def.kind === 'primitive' && def.primitive === 'u8';
  }

  /** Whether a value of this type may encode to zero bytes (bounds the length of sequences of it). */
  #mayBeEmpty(typeId: number, visiting = new Set<number>()): boolean {
    const known = this.#zeroSized.get(typeId);
    if (known !== undefined) return known;
    if (visiting.has(typeId)) return false;
    visiting.add(typeId);
    const def = this.type(typeId).def;
    let result: boolean;
    switch (def.kind) {
      case 'primitive':
      case 'sequence':
      case 'variant':
      case 'bitSequence':
        result = false;
        break;
      case 'compact':
        result = this.#mayBeEmpty(def.type, visiting);
        break;
      case 'array':
        result = def.len === 0 || this.#mayBeEmpty(def.type, visiting);
        break;
      case 'tuple':
        result = def.types.every((t) => this.#mayBeEmpty(t, visiting));
        break;
      case 'composite':
        result = def.fields.every((f) => this.#mayBeEmpty(f.type, visiting));
        break;
    }
    visiting.delete(typeId);
    this.#zeroSized.set(typeId, result);
    return result;
  }

  #compile(type: ScaleType): Node {
    const { id, def } = type;
    switch (def.kind) {
      case 'primitive':
        return primitiveNode(id, def.primitive);
      case 'compact':
        return this.#compactNode(id, def.type);
      case 'sequence':
        return this.#isU8(def.type) ? byteSequenceNode(id) : this.#sequenceNode(id, def.type);
      case 'array':
        return this.#isU8(def.type) ? byteArrayNode(id, def.len) : this.#arrayNode(id, def.len, def.type);
      case 'tuple':
        return def.types.length === 0 ? unitNode([]) : this.#tupleNode(id, def.types);
      case 'composite':
        if (def.fields.length === 0) return unitNode({});
        if (def.fields.length === 1 && def.fields[0]!.name === null) return this.#alias(def.fields[0]!.type);
        return this.#fieldsNode(id, def.fields);
      case 'variant':
        return this.#variantNode(type, def.variants);
      case 'bitSequence':
        return unsupportedNode(id, 'BitSequence is not supported');
    }
  }

  #sequenceNode(typeId: number, elemId: number): Node {
    const elem = this.#node(elemId);
    const zeroSized = this.#mayBeEmpty(elemId);
    return {
      write(w, v) {
        if (!Array.isArray(v)) throw encodeError(typeId, 'array', v);
        const n = v.length;
        w.compact(n);
        let i = 0;
        try {
          for (; i < n; i++) elem.write(w, v[i]);
        } catch (e) {
          throw atPath(e, i);
        }
      },
      read(r) {
        const n = r.compactLength(zeroSized ? MAX_ZERO_SIZED_ELEMENTS : r.remaining);
        const out = new Array<unknown>(n);
        let i = 0;
        try {
          for (; i < n; i++) out[i] = elem.read(r);
        } catch (e) {
          throw atPath(e, i);
        }
        return out;
      },
    };
  }

  #arrayNode(typeId: number, len: number, elemId: number): Node {
    const elem = this.#node(elemId);
    return {
      write(w, v) {
        if (!Array.isArray(v) || v.length !== len) throw encodeError(typeId, `array of length ${len}`, v);
        let i = 0;
        try {
          for (; i < len; i++) elem.write(w, v[i]);
        } catch (e) {
          throw atPath(e, i);
        }
      },
      read(r) {
        const out = new Array<unknown>(len);
        let i = 0;
        try {
          for (; i < len; i++) out[i] = elem.read(r);
        } catch (e) {
          throw atPath(e, i);
        }
        return out;
      },
    };
  }

  #tupleNode(typeId: number, types: readonly number[]): Node {
    const elems = types.map((t) => this.#node(t));
    const n = elems.length;
    return {
      write(w, v) {
        if (!Array.isArray(v) || v.length !== n) throw encodeError(typeId, `tuple (array of length ${n})`, v);
        let i = 0;
        try {
          for (; i < n; i++) elems[i]!.write(w, v[i]);
        } catch (e) {
          throw atPath(e, i);
        }
      },
      read(r) {
        const out = new Array<unknown>(n);
        let i = 0;
        try {
          for (; i < n; i++) out[i] = elems[i]!.read(r);
        } catch (e) {
          throw atPath(e, i);
        }
        return out;
      },
    };
  }

  /** Fields (at least one) of a composite or variant: one unnamed → the inner value, several unnamed → array, named → object. */
  #fieldsNode(typeId: number, fields: readonly ScaleField[]): Node {
    if (fields.length === 1 && fields[0]!.name === null) return this.#alias(fields[0]!.type);
    if (fields.every((f) => f.name === null)) return this.#tupleNode(typeId, fields.map((f) => f.type));
    const names = fields.map((f, i) => f.name ?? String(i));
    const nodes = fields.map((f) => this.#node(f.type));
    const n = nodes.length;
    return {
      write(w, v) {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
          throw encodeError(typeId, `object with fields ${names.join(', ')}`, v);
        }
        const obj = v as Record<string, unknown>;
        let i = 0;
        try {
          for (; i < n; i++) {
            const name = names[i]!;
            const field = obj[name];
            if (field === undefined && !(name in obj)) throw encodeError(fields[i]!.type, `field '${name}'`, undefined);
            nodes[i]!.write(w, field);
          }
        } catch (e) {
          throw atPath(e, names[i]!);
        }
      },
      read(r) {
        const out: Record<string, unknown> = {};
        let i = 0;
        try {
          for (; i < n; i++) out[names[i]!] = nodes[i]!.read(r);
        } catch (e) {
          throw atPath(e, names[i]!);
        }
        return out;
      },
    };
  }

  #variantNode(type: ScaleType, variants: readonly ScaleVariant[]): Node {
    const typeId = type.id;
    if (variants.length === 0) return unsupportedNode(typeId, 'an enum without variants has no values');
    const isOption =
      type.path.length === 1 &&
      type.path[0] === 'Option' &&
      variants.length === 2 &&
      variants.some((v) => v.name === 'None' && v.index === 0 && v.fields.length === 0) &&
      variants.some((v) => v.name === 'Some' && v.index === 1 && v.fields.length === 1);
    if (isOption) {
      const inner = this.#node(variants.find((v) => v.name === 'Some')!.fields[0]!.type);
      return {
        write(w, v) {
          if (v === null || v === undefined) {
            w.u8(0);
          } else {
            w.u8(1);
            inner.write(w, v);
          }
        },
        read(r) {
          const tag = r.u8();
          if (tag === 0) return null;
          if (tag !== 1) {
            r.pos--;
            throw decodeError(typeId, `invalid Option tag ${tag}`, r);
          }
          return inner.read(r);
        },
      };
    }

    const byIndex: (ScaleVariant | undefined)[] = new Array(256).fill(undefined);
    for (const v of variants) byIndex[v.index] = v;

    if (variants.every((v) => v.fields.length === 0)) {
      const indexByName = new Map(variants.map((v) => [v.name, v.index]));
      const names = variants.map((v) => v.name).join(', ');
      return {
        write(w, v) {
          let name: unknown = v;
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
            const keys = Object.keys(v);
            if (keys.length === 1 && (v as Record<string, unknown>)[keys[0]!] === null) name = keys[0];
          }
          const index = typeof name === 'string' ? indexByName.get(name) : undefined;
          if (index === undefined) throw encodeError(typeId, `one of ${names}`, v);
          w.u8(index);
        },
        read(r) {
          const index = r.u8();
          const variant = byIndex[index];
          if (!variant) {
            r.pos--;
            throw decodeError(typeId, `invalid variant index ${index}`, r);
          }
          return variant.name;
        },
      };
    }

    interface Compiled {
      readonly name: string;
      readonly index: number;
      readonly unit: boolean;
      readonly node: Node;
    }
    const compiled = variants.map(
      (v): Compiled => ({
        name: v.name,
        index: v.index,
        unit: v.fields.length === 0,
        node: v.fields.length === 0 ? unitNode(null) : this.#fieldsNode(typeId, v.fields),
      }),
    );
    const byName = new Map(compiled.map((c) => [c.name, c]));
    const compiledByIndex: (Compiled | undefined)[] = new Array(256).fill(undefined);
    for (const c of compiled) compiledByIndex[c.index] = c;
    const names = variants.map((v) => v.name).join(', ');
    return {
      write(w, v) {
        let name: string | undefined;
        let payload: unknown = null;
        if (typeof v === 'string') {
          name = v;
        } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          for (const key in v) {
            if (name !== undefined) throw encodeError(typeId, `an object with exactly one variant key (${names})`, v);
            name = key;
            payload = (v as Record<string, unknown>)[key];
          }
        }
        const variant = name === undefined ? undefined : byName.get(name);
        if (!variant || (typeof v === 'string' && !variant.unit)) throw encodeError(typeId, `an enum value, { variant: value } with variant one of ${names}`, v);
        w.u8(variant.index);
        try {
          variant.node.write(w, payload);
        } catch (e) {
          throw atPath(e, variant.name);
        }
      },
      read(r) {
        const index = r.u8();
        const variant = compiledByIndex[index];
        if (!variant) {
          r.pos--;
          throw decodeError(typeId, `invalid variant index ${index}`, r);
        }
        let value: unknown;
        try {
          value = variant.node.read(r);
        } catch (e) {
          throw atPath(e, variant.name);
        }
        return { [variant.name]: value };
      },
    };
  }

  #compactNode(typeId: number, innerId: number): Node {
    const inner = this.type(innerId);
    const def = inner.def;
    switch (def.kind) {
      case 'primitive':
        switch (def.primitive) {
          case 'u8':
            return compactSmall(typeId, 'u8', 0xff);
          case 'u16':
            return compactSmall(typeId, 'u16', 0xffff);
          case 'u32':
            return compactSmall(typeId, 'u32', 0xffffffff);
          case 'u64':
            return compactBig(typeId, 'u64', U64_MAX);
          case 'u128':
            return compactBig(typeId, 'u128', U128_MAX);
          case 'u256':
            return compactBig(typeId, 'u256', U256_MAX);
          default:
            return unsupportedNode(typeId, `Compact<${def.primitive}> is not a valid compact type`);
        }
      case 'tuple':
        if (def.types.length === 0) return unitNode([]);
        break;
      case 'composite':
        if (def.fields.length === 0) return unitNode({});
        if (def.fields.length === 1) {
          const field = def.fields[0]!;
          const node = this.#compactNode(typeId, field.type);
          if (field.name === null) return node;
          const name = field.name;
          return {
            write(w, v) {
              if (typeof v !== 'object' || v === null) throw encodeError(typeId, `object with field ${name}`, v);
              try {
                node.write(w, (v as Record<string, unknown>)[name]);
              } catch (e) {
                throw atPath(e, name);
              }
            },
            read: (r) => ({ [name]: node.read(r) }),
          };
        }
        break;
      default:
        break;
    }
    return unsupportedNode(typeId, `Compact of type #${innerId} (${def.kind}) is not supported`);
  }
}

function unitNode(value: null | readonly never[] | Readonly<Record<string, never>>): Node {
  const fresh = value === null ? () => null : Array.isArray(value) ? () => [] : () => ({});
  return { write: () => undefined, read: fresh };
}

function unsupportedNode(typeId: number, message: string): Node {
  const fail = (): never => {
    throw new ScaleError('UnsupportedType', message, { typeId, path: [] });
  };
  return { write: fail, read: fail };
}

function compactSmall(typeId: number, name: string, max: number): Node {
  const check = smallInt(typeId, `Compact<${name}>`, 0, max);
  return {
    write: (w, v) => w.compact(check(v)),
    read(r) {
      const start = r.pos;
      const v = r.compact();
      if (v > max) {
        r.pos = start;
        throw decodeError(typeId, `Compact<${name}> out of range (${String(v)})`, r);
      }
      return Number(v);
    },
  };
}

function compactBig(typeId: number, name: string, max: bigint): Node {
  const check = bigInt(typeId, `Compact<${name}>`, 0n, max);
  return {
    write: (w, v) => w.compact(check(v)),
    read(r) {
      const start = r.pos;
      const v = r.compact();
      const b = typeof v === 'number' ? BigInt(v) : v;
      if (b > max) {
        r.pos = start;
        throw decodeError(typeId, `Compact<${name}> out of range (${b})`, r);
      }
      return b;
    },
  };
}
