/**
 * Differential test of the compiled SCALE codecs against @polkadot/types, over the value and key
 * types of every storage item of System, Timestamp, Balances, Sudo, SubtensorModule and AdminUtils
 * (spec 219), plus RuntimeCall.
 *
 * For each random value `v` (our JS mapping, generated from the type registry):
 * 1. encode: `codec.encode(v)` must equal `registry.createType(type, toPolkadot(v)).toU8a()`, where
 *    `toPolkadot` only renames (camelCase fields) and reshapes; polkadot does all the encoding;
 * 2. decode: `codec.decodeAll(polkadotBytes)` must deep-equal `v`;
 * 3. polkadot's decode of its own bytes, read back field by field (`fromPolkadot`), must deep-equal `v`.
 */
import fc from 'fast-check';
import { u8aToHex } from '@polkadot/util';
import type { Codec } from '@polkadot/types/types';
import type { TypeDef } from '@polkadot/types/types';
import { loadRuntimeMetadata } from '../../localnet/metadata';
import type { ScaleField, ScaleType } from '../../localnet/scale';

const meta = loadRuntimeMetadata();
const { registry, codecs } = meta;
const lookup = meta.metadata.asLatest.lookup;
const PALLETS = ['System', 'Timestamp', 'Balances', 'Sudo', 'SubtensorModule', 'AdminUtils'];
const SEED = 0x5ca1e;

const typeName = (id: number): string => registry.createLookupType(id);
const typeOf = (id: number): ScaleType => codecs.type(id);
const pathOf = (id: number): string => typeOf(id).path.join('::');
/**
 * Enums that polkadot models with special classes (GenericEvent, GenericCall) that take no object
 * input: the test builds them from bytes, the tag from the metadata and the payload encoded by polkadot.
 */
const isByteBuiltEnum = (id: number): boolean => /_runtime::Runtime(Event|Call)$/.test(pathOf(id));
const isMultiAddress = (t: ScaleType): boolean => t.path.join('::') === 'sp_runtime::multiaddress::MultiAddress';
const isU256 = (id: number): boolean => pathOf(id) === 'primitive_types::U256';
const isOption = (t: ScaleType): boolean => t.path.length === 1 && t.path[0] === 'Option';
const isU8 = (id: number): boolean => {
  const d = typeOf(id).def;
  return d.kind === 'primitive' && d.primitive === 'u8';
};

// ---------------------------------------------------------------------------------------------
// minimal value heights (so that recursive types terminate): budget needed to build a value

const height = new Map<number, number>();
function computeHeights(): void {
  const ids = lookup.types.map((t) => t.id.toNumber());
  for (const id of ids) height.set(id, Infinity);
  const fieldsHeight = (fields: readonly ScaleField[]): number => Math.max(0, ...fields.map((f) => height.get(f.type)!));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of ids) {
      const d = typeOf(id).def;
      let h: number;
      switch (d.kind) {
        case 'primitive':
        case 'compact':
        case 'sequence':
        case 'bitSequence':
          h = 0;
          break;
        case 'array':
          h = d.len === 0 ? 0 : height.get(d.type)!;
          break;
        case 'tuple':
          h = Math.max(0, ...d.types.map((t) => height.get(t)!));
          break;
        case 'composite':
          h = fieldsHeight(d.fields);
          break;
        case 'variant':
          h = isOption(typeOf(id)) ? 0 : Math.min(...d.variants.map((v) => (v.fields.length === 0 ? 0 : 1 + fieldsHeight(v.fields))));
          break;
      }
      if (h < height.get(id)!) {
        height.set(id, h);
        changed = true;
      }
    }
  }
}
computeHeights();

// ---------------------------------------------------------------------------------------------
// arbitraries in our JS mapping

const HEXISH = /^0x[0-9a-fA-F]*$/;
const arbCache = new Map<string, fc.Arbitrary<unknown>>();

function uintArb(bits: number): fc.Arbitrary<unknown> {
  const max = (1n << BigInt(bits)) - 1n;
  const edges = [0n, 1n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, max].filter((e) => e <= max);
  const big = fc.oneof({ weight: 3, arbitrary: fc.bigInt({ min: 0n, max }) }, { weight: 1, arbitrary: fc.constantFrom(...edges) });
  return bits <= 32 ? big.map((b) => Number(b)) : big;
}

function intArb(bits: number): fc.Arbitrary<unknown> {
  const lim = 1n << BigInt(bits - 1);
  const big = fc.oneof(fc.bigInt({ min: -lim, max: lim - 1n }), fc.constantFrom(-lim, -1n, 0n, lim - 1n));
  return bits <= 32 ? big.map((b) => Number(b)) : big;
}

function fieldsArb(fields: readonly ScaleField[], budget: number): fc.Arbitrary<unknown> {
  if (fields.length === 1 && fields[0]!.name === null) return arb(fields[0]!.type, budget);
  if (fields.every((f) => f.name === null)) return fc.tuple(...fields.map((f) => arb(f.type, budget)));
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of fields) rec[f.name!] = arb(f.type, budget);
  return fc.record(rec);
}

function arb(id: number, budget: number): fc.Arbitrary<unknown> {
  const cacheKey = `${id}:${budget}`;
  const cached = arbCache.get(cacheKey);
  if (cached) return cached;
  const t = typeOf(id);
  const d = t.def;
  let a: fc.Arbitrary<unknown>;
  switch (d.kind) {
    case 'primitive':
      switch (d.primitive) {
        case 'bool':
          a = fc.boolean();
          break;
        case 'str':
          a = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !HEXISH.test(s));
          break;
        case 'char':
          throw new Error('char not expected in spec 219');
        default: {
          const bits = Number(d.primitive.slice(1));
          a = d.primitive.startsWith('u') ? uintArb(bits) : intArb(bits);
        }
      }
      break;
    case 'compact':
      a = arb(d.type, budget);
      break;
    case 'sequence':
      if (isU8(d.type)) a = fc.uint8Array({ maxLength: 80 }).map((b) => u8aToHex(b));
      else if (budget > 0 && height.get(d.type)! <= budget - 1) a = fc.array(arb(d.type, budget - 1), { maxLength: 4 });
      else a = fc.constant([]);
      break;
    case 'array':
      if (isU8(d.type)) a = fc.uint8Array({ minLength: d.len, maxLength: d.len }).map((b) => u8aToHex(b));
      else a = fc.tuple(...Array.from({ length: d.len }, () => arb(d.type, budget)));
      break;
    case 'tuple':
      a = fc.tuple(...d.types.map((x) => arb(x, budget)));
      break;
    case 'composite':
      a = d.fields.length === 0 ? fc.constant({}) : fieldsArb(d.fields, budget);
      break;
    case 'variant': {
      if (isOption(t)) {
        const inner = d.variants.find((v) => v.name === 'Some')!.fields[0]!.type;
        a = budget > 0 && height.get(inner)! <= budget - 1 ? fc.option(arb(inner, budget - 1), { nil: null }) : fc.constant(null);
      } else if (d.variants.every((v) => v.fields.length === 0)) {
        a = fc.constantFrom(...d.variants.map((v) => v.name));
      } else {
        const allowed = d.variants.filter(
          (v) =>
            (v.fields.length === 0 || 1 + Math.max(...v.fields.map((f) => height.get(f.type)!)) <= budget) &&
            // polkadot types MultiAddress::Index as Compact<u32>; subtensor's AccountIndex is (), Compact<()> encodes to nothing.
            !(isMultiAddress(t) && v.name === 'Index'),
        );
        a = fc.oneof(
          ...allowed.map((v) => {
            if (v.fields.length === 0) return fc.constant({ [v.name]: null });
            // polkadot's GenericMultiAddress guesses the variant of a short (≤ 8, 20 or 32 byte) Uint8Array
            // input, which is what GenericCall passes when the address ends the call: keep Raw long enough.
            if (isMultiAddress(t) && v.name === 'Raw') return fc.uint8Array({ minLength: 32, maxLength: 80 }).map((b) => ({ Raw: u8aToHex(b) }));
            return fieldsArb(v.fields, budget - 1).map((p) => ({ [v.name]: p }));
          }),
        );
      }
      break;
    }
    case 'bitSequence':
      throw new Error('BitSequence not expected in spec 219');
  }
  arbCache.set(cacheKey, a);
  return a;
}

// ---------------------------------------------------------------------------------------------
// our mapping → polkadot input (renaming and reshaping only)

const pdDef = (id: number): TypeDef => lookup.getTypeDef(id);

function u256FromLimbs(limbs: readonly bigint[]): bigint {
  return limbs.reduceRight((acc, l) => (acc << 64n) | l, 0n);
}

/** polkadot's (camelCase) field names of a variant with named fields; undefined for unnamed fields. */
function pdVariantSubs(id: number, index: number): TypeDef[] | undefined {
  const subs = pdDef(id).sub;
  if (!Array.isArray(subs)) return undefined;
  const v = subs.find((s) => s.index === index);
  return Array.isArray(v?.sub) ? v.sub : undefined;
}

function fieldsToPd(fields: readonly ScaleField[], pdSubs: TypeDef[] | undefined, v: unknown): unknown {
  if (fields.length === 1 && fields[0]!.name === null) return toPd(fields[0]!.type, v);
  if (fields.every((f) => f.name === null)) return fields.map((f, i) => toPd(f.type, (v as unknown[])[i]));
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    out[pdSubs![i]!.name!] = toPd(f.type, (v as Record<string, unknown>)[f.name!]);
  });
  return out;
}

function toPd(id: number, v: unknown): unknown {
  const t = typeOf(id);
  const d = t.def;
  switch (d.kind) {
    case 'primitive':
      return v;
    case 'compact':
      return toPd(d.type, v);
    case 'sequence':
    case 'array':
      return isU8(d.type) ? v : (v as unknown[]).map((x) => toPd(d.type, x));
    case 'tuple':
      return (v as unknown[]).map((x, i) => toPd(d.types[i]!, x));
    case 'composite':
      if (isU256(id)) return u256FromLimbs(v as bigint[]);
      if (d.fields.length === 0) return {};
      return fieldsToPd(d.fields, pdDef(id).sub as TypeDef[] | undefined, v);
    case 'variant': {
      if (isOption(t)) return v === null ? null : toPd(d.variants.find((x) => x.name === 'Some')!.fields[0]!.type, v);
      if (typeof v === 'string') return v;
      const [name, payload] = Object.entries(v as Record<string, unknown>)[0]!;
      const variant = d.variants.find((x) => x.name === name)!;
      if (isByteBuiltEnum(id)) {
        // tag byte from the metadata, payload encoded by polkadot
        const innerId = variant.fields[0]!.type;
        const inner = registry.createType(typeName(innerId), toPd(innerId, payload)).toU8a();
        return Uint8Array.from([variant.index, ...inner]);
      }
      if (variant.fields.length === 0) return { [name]: null };
      return { [name]: fieldsToPd(variant.fields, pdVariantSubs(id, variant.index), payload) };
    }
    case 'bitSequence':
      throw new Error('unreachable');
  }
}

// ---------------------------------------------------------------------------------------------
// polkadot codec object → our mapping (walks the metadata type, reads polkadot's values)

interface PdInt extends Codec {
  toBigInt(): bigint;
}
interface PdWrapper extends Codec {
  unwrap(): Codec;
  isSome: boolean;
}
interface PdEnum extends Codec {
  index: number;
  value: Codec;
  type: string;
}

function fieldsFromPd(fields: readonly ScaleField[], pdSubs: TypeDef[] | undefined, obj: Codec): unknown {
  if (fields.length === 1 && fields[0]!.name === null) return fromPd(fields[0]!.type, obj);
  const items = obj as unknown as ArrayLike<Codec> & Map<string, Codec>;
  if (fields.every((f) => f.name === null)) return fields.map((f, i) => fromPd(f.type, items[i]!));
  const out: Record<string, unknown> = {};
  fields.forEach((f, i) => {
    out[f.name!] = fromPd(f.type, items.get(pdSubs![i]!.name!)!);
  });
  return out;
}

function fromPd(id: number, obj: Codec): unknown {
  const t = typeOf(id);
  const d = t.def;
  switch (d.kind) {
    case 'primitive':
      if (d.primitive === 'bool') return (obj as unknown as { isTrue: boolean }).isTrue;
      if (d.primitive === 'str') return obj.toString();
      return Number(d.primitive.slice(1)) <= 32 ? Number((obj as PdInt).toBigInt()) : (obj as PdInt).toBigInt();
    case 'compact':
      return fromPd(d.type, (obj as PdWrapper).unwrap());
    case 'sequence':
    case 'array':
      if (isU8(d.type)) return u8aToHex(obj.toU8a(true));
      return [...(obj as unknown as Iterable<Codec>)].map((x) => fromPd(d.type, x));
    case 'tuple':
      return d.types.map((x, i) => fromPd(x, (obj as unknown as ArrayLike<Codec>)[i]!));
    case 'composite':
      if (isU256(id)) {
        const n = (obj as PdInt).toBigInt();
        return [0, 1, 2, 3].map((i) => (n >> BigInt(64 * i)) & ((1n << 64n) - 1n));
      }
      if (d.fields.length === 0) return {};
      return fieldsFromPd(d.fields, pdDef(id).sub as TypeDef[] | undefined, obj);
    case 'variant': {
      if (isOption(t)) {
        const o = obj as PdWrapper;
        return o.isSome ? fromPd(d.variants.find((x) => x.name === 'Some')!.fields[0]!.type, o.unwrap()) : null;
      }
      if (isByteBuiltEnum(id)) {
        const bytes = obj.toU8a();
        const variant = d.variants.find((x) => x.index === bytes[0])!;
        const innerId = variant.fields[0]!.type;
        return { [variant.name]: fromPd(innerId, registry.createType(typeName(innerId), bytes.subarray(1))) };
      }
      const e = obj as PdEnum;
      const variant = d.variants.find((x) => x.index === e.index)!;
      if (d.variants.every((x) => x.fields.length === 0)) return variant.name;
      if (variant.fields.length === 0) return { [variant.name]: null };
      return { [variant.name]: fieldsFromPd(variant.fields, pdVariantSubs(id, variant.index), e.value) };
    }
    case 'bitSequence':
      throw new Error('unreachable');
  }
}

// ---------------------------------------------------------------------------------------------

interface Subject {
  readonly id: number;
  readonly label: string;
}

function subjects(): Subject[] {
  const seen = new Map<number, string>();
  for (const p of meta.metadata.asLatest.pallets) {
    const pallet = p.name.toString();
    if (!PALLETS.includes(pallet) || p.storage.isNone) continue;
    for (const item of p.storage.unwrap().items) {
      const entry = meta.storageEntry(pallet, item.name.toString());
      const label = `${pallet}.${entry.name}`;
      if (!seen.has(entry.valueTypeId)) seen.set(entry.valueTypeId, `${label} value`);
      entry.keyTypeIds.forEach((k, i) => {
        if (!seen.has(k)) seen.set(k, `${label} key ${i}`);
      });
    }
  }
  return [...seen].map(([id, label]) => ({ id, label }));
}

const SUBJECTS = subjects();

describe('scale codecs vs @polkadot/types (spec 219)', () => {
  it('covers the storage types of the six pallets', () => {
    expect(meta.pallets.filter((p) => PALLETS.includes(p.name)).length).toBe(6);
    expect(SUBJECTS.length).toBeGreaterThanOrEqual(35);
  });

  it.each(SUBJECTS.map((s) => [`#${s.id} (${s.label}) ${pdDef(s.id).type.slice(0, 60)}`, s.id] as const))('behavior: %s', (_label, id) => {
    const codec = codecs.codecFor(id);
    const isEvents = id === meta.storageEntry('System', 'Events').valueTypeId;
    const budget = Math.max(isEvents ? 5 : 3, height.get(id)!);
    fc.assert(
      fc.property(arb(id, budget), (v) => {
        const ours = codec.encode(v);
        const pdBytes = registry.createType(typeName(id), toPd(id, v)).toU8a();
        expect(u8aToHex(ours)).toBe(u8aToHex(pdBytes));
        expect(codec.decodeAll(pdBytes)).toEqual(v);
        expect(fromPd(id, registry.createType(typeName(id), pdBytes))).toEqual(v);
      }),
      { seed: SEED + id, numRuns: isEvents ? 1500 : 60 },
    );
  });

  it('behavior: RuntimeCall (all pallets, depth-limited) matches', () => {
    const id = meta.callTypeId;
    const codec = codecs.codecFor(id);
    fc.assert(
      fc.property(arb(id, Math.max(3, height.get(id)!)), (v) => {
        const ours = codec.encode(v);
        const pdBytes = registry.createType('Call', toPd(id, v)).toU8a();
        expect(u8aToHex(ours)).toBe(u8aToHex(pdBytes));
        expect(codec.decodeAll(pdBytes)).toEqual(v);
        expect(fromPd(id, registry.createType('Call', pdBytes))).toEqual(v);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
