/**
 * Python's `str()` / `repr()` of the values a pydantic field holds, reproduced from the field's zod schema,
 * for the reference SDK's body hash (docs/wire-protocol.md): for each hashed field, SHA3-256 hex of the
 * UTF-8 of `str(model_dump()[field])`, then SHA3-256 hex of the concatenated hex strings.
 * Checked byte for byte against CPython 3.11 + pydantic 2.13 (tests/fixtures/python-repr-vectors.py).
 *
 * The value is the JSON value the field was validated from (as the reference axon does:
 * `Synapse(**json.loads(body))`), not a zod-parsed one: zod's union returns its first parsing member
 * stripped to that member's keys, where pydantic may pick another. The schema supplies what JSON.parse loses:
 * - int or float: `z.number().int()` (and `z.int32()`, `z.bigint()`) is a Python `int`, any other
 *   `z.number()` a `float`, and pydantic stores JSON `1` as `1.0` there. Without a schema (or with
 *   `z.unknown()`/`z.any()`, Python `Any`) a number renders as `json.loads` reads the text `JSON.stringify`
 *   writes for it: integral values below 1e21 as int. That is ambiguous: JSON `1.0`, `-0.0` and `1e16`
 *   are floats to Python but JS cannot tell them from `1`, `0` and `10000000000000000`, so an untyped
 *   integral float from a Python peer renders as an int here. A `float` schema has no such ambiguity,
 *   except for -0: it renders `-0.0`, but JSON.stringify sends it as `0` (`0.0` to Python), so a sender
 *   must hash what it sends.
 * - tuple or list: `z.tuple` is a Python tuple (`(1,)`, `(1, 2)`; `tuple[X, ...]` is `z.tuple([], X)`),
 *   `z.array` a list.
 * - dict order: nested models (`z.object`) in declaration order, every field included (a missing optional
 *   field as its default or `None`; `z.looseObject`/`.catchall` extras after them, as `extra='allow'`);
 *   records in insertion order. Caveat: JS objects put integer-like keys ("1", "42") first, in ascending
 *   order, whatever order the sender wrote, so a record with such keys from a Python peer may not match.
 * - unions: pydantic's smart mode, from the JSON value: the first member that validates exactly (bool,
 *   str, int for an int, float for a non-integral number, list, dict, None, literal) wins; otherwise the
 *   most exact member (strict: int into float, `Any`, a nested model from a dict; lax: list into tuple),
 *   the first on ties, except that between members validating nested models the one setting more model
 *   fields wins. A member counts only if `z.safeParse` accepts the value.
 *
 * Type mapping the peer's pydantic model must use: `z.enum`/`z.literal` ↔ `Literal[...]` (an `enum.Enum`
 * dumps as an Enum member, whose `str()` differs); `.optional()` ↔ `Optional[X] = None`; `.nullable()` ↔
 * `Optional[X]`; `.default(v)` ↔ `X = v`.
 *
 * Strings: printable means `str.isprintable()`, i.e. not in Unicode categories Cc Cf Cs Co Cn Zl Zp Zs
 * (bar the ASCII space), tested with this Node's Unicode tables. Python 3.11 uses Unicode 14; characters
 * assigned since (Cn there) stay unescaped here but `\u`-escaped by the peer, so repr of such a string
 * inside a container differs (a bare `str` field is unaffected). Peers on other Python versions differ
 * among themselves the same way. Lone surrogates (JSON `"\ud800"`): repr escapes them as Python does
 * (`'\ud800'`); a field whose `str()` itself contains one cannot be UTF-8 encoded by Python, whose body
 * hash raises, so `bodyHash` throws.
 *
 * Unsupported (PythonReprError `UnsupportedPythonType`): any other zod type (sets, maps, dates, files,
 * transforms and pipes, catch, intersections, promises, …; bytes have no JSON form), records whose keys
 * are not strings, values that do not match their schema (an int schema needs an integral number below
 * 1e21 or a bigint), and non-JSON values (functions, class instances).
 * Beyond 2^53 JS numbers are what JSON.parse rounded them to: an int a Python peer wrote there renders
 * as the rounded value (use `z.bigint()` with a BigInt-preserving parser for exact big ints).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TensornetError } from '../common/errors';

export class PythonReprError extends TensornetError<'UnsupportedPythonType'> {}

type Schema = z.core.$ZodType;

/** The parts of zod 4's schema definitions read here. */
interface Def {
  readonly type: string;
  readonly innerType?: Schema;
  readonly getter?: () => Schema;
  readonly element?: Schema;
  readonly items?: readonly Schema[];
  readonly rest?: Schema | null;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly options?: readonly Schema[];
  readonly format?: string;
  readonly checks?: ReadonlyArray<{ readonly _zod: { readonly def: { readonly format?: string } } }>;
}

const defOf = (schema: Schema | undefined): Def | undefined => schema?._zod.def as Def | undefined;

const unsupported = (message: string, details: Record<string, unknown> = {}): never => {
  throw new PythonReprError('UnsupportedPythonType', message, details);
};

/**
 * Python's float repr: the shortest digits that round-trip (the same digits as JS), in exponent form when
 * the decimal exponent is below -4 or at least 16 (`1e-05`, `1.5e+16`), otherwise positional with at
 * least one fractional digit (`1.0`, `123456789012345.0`, `0.0001`).
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Both languages write these positionally with the same shortest digits (JS up to 1e21, down to 1e-7).
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exp >= digits.length - 1) return `${sign}${digits}${'0'.repeat(exp - digits.length + 1)}.0`;
  if (exp >= 0) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
}

const PLAIN_ASCII = /^[ !#-&(-[\]-~]*$/;
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Python's repr of a str (CPython's unicode_repr). */
function strRepr(text: string): string {
  // Printable ASCII without quotes or backslashes (base64 payloads, most identifiers) needs no escaping.
  if (PLAIN_ASCII.test(text)) return `'${text}'`;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) {
      const cp = ch.codePointAt(0)!; // a lone surrogate iterates alone and is escaped like any other
      out += cp < 0x100 ? `\\x${hex(cp, 2)}` : cp < 0x10000 ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

/** The Python type a value has in the model: `untyped` is a value held by an `Any` field. */
type Kind = 'none' | 'bool' | 'int' | 'float' | 'str' | 'list' | 'tuple' | 'dict' | 'model';
interface Resolved {
  readonly kind: Kind;
  readonly value: unknown;
  readonly def: Def | undefined;
  readonly untyped: boolean;
}

const INT_FORMATS = new Set(['safeint', 'int32', 'uint32']);
const isInt = (def: Def): boolean => INT_FORMATS.has(def.format ?? '') || (def.checks ?? []).some((c) => INT_FORMATS.has(c._zod.def.format ?? ''));
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
/** Key schemas of records whose keys are Python `str` (a `z.number()` key would be a Python int). */
const STRING_KEYS = new Set(['string', 'enum', 'literal', 'template_literal']);

/** Strips wrappers, applies defaults, picks the union member, and names the Python type. @throws PythonReprError */
function resolve(value: unknown, schema: Schema | undefined): Resolved {
  for (let def = defOf(schema); def; def = defOf(schema)) {
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'nonoptional') schema = def.innerType;
    else if (def.type === 'default' || def.type === 'prefault') {
      if (value === undefined) value = z.parse(schema!, undefined);
      schema = def.innerType;
    } else if (def.type === 'lazy') schema = def.getter!();
    else if (def.type === 'union' && value !== null && value !== undefined) schema = chooseMember(value, def.options ?? []);
    else break;
  }
  const def = defOf(schema);
  const type = def?.type ?? 'unknown';
  if (value === null || value === undefined) return { kind: 'none', value: null, def, untyped: false };
  if (type === 'unknown' || type === 'any' || type === 'enum' || type === 'literal') {
    // Natural Python type of a json.loads value (a literal or enum member holds one too).
    const untyped = type === 'unknown' || type === 'any';
    if (typeof value === 'boolean') return { kind: 'bool', value, def: undefined, untyped };
    if (typeof value === 'bigint') return { kind: 'int', value, def: undefined, untyped };
    if (typeof value === 'number') return { kind: Number.isInteger(value) && Math.abs(value) < 1e21 ? 'int' : 'float', value, def: undefined, untyped };
    if (typeof value === 'string') return { kind: 'str', value, def: undefined, untyped };
    if (Array.isArray(value)) return { kind: 'list', value, def: undefined, untyped };
    if (isPlainObject(value)) return { kind: 'dict', value, def: undefined, untyped };
    return unsupported(`no Python value for a JS ${typeof value}`, { type: typeof value });
  }
  const kind = type === 'number' && isInt(def!) ? 'int' : (KINDS[type] ?? unsupported(`no exact Python str() for a zod ${type} schema`, { type }));
  const resolved: Resolved = { kind, value, def, untyped: false };
  if (!fits(resolved)) unsupported(`a ${typeof value} value does not match a zod ${type} schema`, { type, value: typeof value });
  if (type === 'record' && !STRING_KEYS.has(defOf(def!.keyType)?.type ?? '')) unsupported('records need string keys (a Python dict[int, ...] is not supported)', { type });
  return resolved;
}

const KINDS: Readonly<Record<string, Kind>> = {
  boolean: 'bool',
  number: 'float',
  bigint: 'int',
  string: 'str',
  null: 'none',
  undefined: 'none',
  array: 'list',
  tuple: 'tuple',
  record: 'dict',
  object: 'model',
};

function fits({ kind, value }: Resolved): boolean {
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 1e21);
    case 'float':
      return typeof value === 'number';
    case 'str':
      return typeof value === 'string';
    case 'list':
    case 'tuple':
      return Array.isArray(value);
    case 'dict':
    case 'model':
      return isPlainObject(value);
    case 'none':
      return false; // null and undefined were resolved before
  }
}

/** Python's `str()` of the value a field typed by `schema` holds after validating the JSON value `value`. @throws PythonReprError */
export function pythonStr(value: unknown, schema?: Schema): string {
  const resolved = resolve(value, schema);
  return resolved.kind === 'str' ? (resolved.value as string) : render(resolved);
}

/** Python's `repr()` (how values render inside containers). @throws PythonReprError */
export function pythonRepr(value: unknown, schema?: Schema): string {
  return render(resolve(value, schema));
}

function render(r: Resolved): string {
  const { value, def } = r;
  switch (r.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return value ? 'True' : 'False';
    case 'int':
      return String(value); // String(-0) is '0', as Python's int(-0.0)
    case 'float':
      return pythonFloatRepr(value as number);
    case 'str':
      return strRepr(value as string);
    case 'list':
    case 'tuple': {
      const numbers = numberElements(def, value as readonly unknown[]);
      if (numbers !== null) return `[${numbers.join(', ')}]`;
      const items = (value as readonly unknown[]).map((item, i) => pythonRepr(item, elementSchema(def, i)));
      if (r.kind === 'list') return `[${items.join(', ')}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'dict':
    case 'model':
      return `{${dictEntries(r).map(([k, v, s]) => `${strRepr(k)}: ${pythonRepr(v, s)}`).join(', ')}}`;
  }
}

/**
 * The fast path of a list typed `z.array(z.number())` (tensors as float lists): each element rendered
 * without resolving its schema again. Null when the list is anything else, or holds a non-number.
 */
function numberElements(def: Def | undefined, items: readonly unknown[]): string[] | null {
  if (def?.type !== 'array') return null;
  const element = defOf(def.element);
  if (element?.type !== 'number') return null;
  const int = isInt(element);
  const out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (typeof x !== 'number' || (int && !(Number.isInteger(x) && Math.abs(x) < 1e21))) return null;
    out[i] = int ? String(x) : pythonFloatRepr(x);
  }
  return out;
}

function elementSchema(def: Def | undefined, index: number): Schema | undefined {
  if (def?.type === 'array') return def.element;
  if (def?.type === 'tuple') return def.items?.[index] ?? def.rest ?? undefined;
  return undefined;
}

/** A dict's entries as `model_dump()` orders them, each with its value's schema. */
function dictEntries({ kind, value, def }: Resolved): Array<readonly [string, unknown, Schema | undefined]> {
  const record = value as Record<string, unknown>;
  if (kind === 'dict') return Object.entries(record).map(([k, v]) => [k, v, def?.valueType] as const);
  const shape = def!.shape ?? {};
  const entries = Object.keys(shape).map((k) => [k, record[k], shape[k]] as const);
  const extra = def!.catchall && defOf(def!.catchall)?.type !== 'never' ? def!.catchall : undefined;
  if (extra) for (const k of Object.keys(record)) if (!(k in shape)) entries.push([k, record[k], extra]);
  return entries;
}

/** pydantic-core's union exactness levels (python-mode input). */
const LAX = 0;
const STRICT = 1;
const EXACT = 2;
interface Fit {
  readonly exactness: number;
  /** Model fields set by the input, summed over every nested model; undefined when no model was validated. */
  readonly fieldsSet: number | undefined;
}

/** The union member pydantic's smart mode picks for the JSON value. @throws PythonReprError */
function chooseMember(value: unknown, options: readonly Schema[]): Schema {
  let best: { member: Schema; fit: Fit } | undefined;
  for (const member of options) {
    if (!z.safeParse(member, value).success) continue;
    const f = fit(value, member);
    if (f.exactness === EXACT && f.fieldsSet === undefined) return member;
    const better =
      !best ||
      (best.fit.fieldsSet !== undefined && f.fieldsSet !== undefined && best.fit.fieldsSet !== f.fieldsSet
        ? best.fit.fieldsSet < f.fieldsSet
        : best.fit.exactness < f.exactness);
    if (better) best = { member, fit: f };
  }
  return best?.member ?? unsupported('the value matches no member of the union', { options: options.length });
}

function fit(value: unknown, schema: Schema): Fit {
  const r = resolve(value, schema);
  if (r.untyped) return { exactness: STRICT, fieldsSet: undefined }; // pydantic floors Any at strict
  const children = (floor: number, parts: ReadonlyArray<readonly [unknown, Schema | undefined]>, own?: number): Fit => {
    let exactness = floor;
    let fieldsSet = own;
    for (const [v, s] of parts) {
      const f = s ? fit(v, s) : { exactness: STRICT, fieldsSet: undefined };
      exactness = Math.min(exactness, f.exactness);
      if (f.fieldsSet !== undefined) fieldsSet = (fieldsSet ?? 0) + f.fieldsSet;
    }
    return { exactness, fieldsSet };
  };
  switch (r.kind) {
    case 'float':
      return { exactness: Number.isInteger(r.value) ? STRICT : EXACT, fieldsSet: undefined };
    case 'list':
    case 'tuple': {
      const items = (r.value as readonly unknown[]).map((item, i) => [item, elementSchema(r.def, i)] as const);
      return children(r.kind === 'list' ? EXACT : LAX, items); // a JSON list into a tuple is a lax coercion
    }
    case 'dict':
      return children(EXACT, dictEntries(r).map(([, v, s]) => [v, s] as const));
    case 'model': {
      // A model from a dict is strict at best; its defaults are not validated, so only given fields count.
      const record = r.value as Record<string, unknown>;
      const set = Object.keys(r.def!.shape ?? {}).filter((k) => record[k] !== undefined).length;
      return children(STRICT, dictEntries(r).filter(([k]) => record[k] !== undefined).map(([, v, s]) => [v, s] as const), set);
    }
    default:
      return { exactness: EXACT, fieldsSet: undefined };
  }
}

/**
 * The reference body hash: SHA3-256 hex over the concatenated SHA3-256 hex of each field's `str()`, fields
 * in `required_hash_fields` order. No fields: SHA3-256 of "".
 * @throws PythonReprError where a field cannot be rendered, or its `str()` holds a lone surrogate
 */
export function bodyHash(fields: ReadonlyArray<readonly [value: unknown, schema: Schema | undefined]>): string {
  const parts = fields.map(([value, schema]) => {
    const hash = createHash('sha3-256');
    const resolved = resolve(value, schema);
    const pieces: string[] = [];
    if (resolved.kind === 'str') pieces.push(resolved.value as string);
    else renderPieces(resolved, pieces);
    for (const piece of pieces) {
      if (!isWellFormed(piece)) unsupported('a lone surrogate cannot be UTF-8 encoded by Python (UnicodeEncodeError)', { reason: 'lone surrogate' });
      hash.update(piece, 'utf8');
    }
    return hash.digest('hex');
  });
  return createHash('sha3-256').update(parts.join(''), 'utf8').digest('hex');
}

/**
 * `render` as a sequence of pieces whose concatenation is the rendering: dicts and models are split at
 * their entries and long plain strings are kept whole, so a field holding a large payload (a base64
 * tensor) is hashed without first being copied into one big string.
 */
function renderPieces(r: Resolved, out: string[]): void {
  if (r.kind === 'str' && PLAIN_ASCII.test(r.value as string)) {
    out.push("'", r.value as string, "'");
    return;
  }
  if (r.kind !== 'dict' && r.kind !== 'model') {
    out.push(render(r));
    return;
  }
  out.push('{');
  dictEntries(r).forEach(([k, v, schema], i) => {
    out.push(`${i === 0 ? '' : ', '}${strRepr(k)}: `);
    renderPieces(resolve(v, schema), out);
  });
  out.push('}');
}

/** No lone surrogate (String.prototype.isWellFormed, Node ≥ 20; typed here because the ES2022 lib lacks it). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}
