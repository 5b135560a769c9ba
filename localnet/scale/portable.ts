/** Adapts @polkadot/types' `PortableRegistry` (metadata V14+ `lookup`) to a {@link ScaleTypeSource}. */
import type { PortableRegistry } from '@polkadot/types/metadata';
import type { ScaleField, ScalePrimitive, ScaleType, ScaleTypeDef, ScaleTypeSource } from './types';

const PRIMITIVES: Readonly<Record<string, ScalePrimitive>> = {
  Bool: 'bool',
  Char: 'char',
  Str: 'str',
  U8: 'u8',
  U16: 'u16',
  U32: 'u32',
  U64: 'u64',
  U128: 'u128',
  U256: 'u256',
  I8: 'i8',
  I16: 'i16',
  I32: 'i32',
  I64: 'i64',
  I128: 'i128',
  I256: 'i256',
};

interface SiFieldLike {
  readonly name: { readonly isSome: boolean; unwrap(): { toString(): string } };
  readonly type: { toNumber(): number };
}

function convertFields(fields: readonly SiFieldLike[]): ScaleField[] {
  return fields.map((f) => ({ name: f.name.isSome ? f.name.unwrap().toString() : null, type: f.type.toNumber() }));
}

/** Convert one entry; types are converted on demand and cached. */
function convert(lookup: PortableRegistry, id: number): ScaleType {
  const si = lookup.getSiType(id);
  const d = si.def;
  let def: ScaleTypeDef;
  if (d.isPrimitive) {
    const name = d.asPrimitive.type;
    const primitive = PRIMITIVES[name];
    if (!primitive) throw new Error(`unknown primitive ${name} (type #${id})`);
    def = { kind: 'primitive', primitive };
  } else if (d.isCompact) {
    def = { kind: 'compact', type: d.asCompact.type.toNumber() };
  } else if (d.isSequence) {
    def = { kind: 'sequence', type: d.asSequence.type.toNumber() };
  } else if (d.isArray) {
    def = { kind: 'array', len: d.asArray.len.toNumber(), type: d.asArray.type.toNumber() };
  } else if (d.isTuple) {
    def = { kind: 'tuple', types: d.asTuple.map((t) => t.toNumber()) };
  } else if (d.isComposite) {
    def = { kind: 'composite', fields: convertFields(d.asComposite.fields) };
  } else if (d.isVariant) {
    def = {
      kind: 'variant',
      variants: d.asVariant.variants.map((v) => ({ name: v.name.toString(), index: v.index.toNumber(), fields: convertFields(v.fields) })),
    };
  } else if (d.isBitSequence) {
    def = { kind: 'bitSequence' };
  } else {
    throw new Error(`unsupported type definition ${d.type} (type #${id})`);
  }
  return { id, path: si.path.map((p) => p.toString()), def };
}

/** A type source over a metadata lookup: `portableTypeSource(metadata.asLatest.lookup)`. */
export function portableTypeSource(lookup: PortableRegistry): ScaleTypeSource {
  const cache = new Map<number, ScaleType>();
  const count = lookup.types.length;
  return {
    getType(id: number): ScaleType | undefined {
      let t = cache.get(id);
      if (!t) {
        if (!Number.isInteger(id) || id < 0 || id >= count) return undefined;
        t = convert(lookup, id);
        cache.set(id, t);
      }
      return t;
    },
  };
}
