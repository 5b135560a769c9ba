/**
 * Python str()/repr() and the reference body hash, against vectors recorded from CPython 3.11 + pydantic 2.13
 * (tests/fixtures/python-repr-vectors.py writes tests/fixtures/python-repr-vectors.json; CI only reads it).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { bodyHash, PythonReprError, pythonFloatRepr, pythonRepr, pythonStr } from '../../protocol/python-repr';
import { expectThrownCode } from '../helpers/expect-code';
import vectors from '../fixtures/python-repr-vectors.json';

interface Case {
  readonly type: string;
  readonly json: string | null;
  readonly str: string;
  readonly random?: boolean;
}
type Range = readonly [number, number];
const fixture = vectors as unknown as {
  readonly cases: readonly Case[];
  readonly floatReprs: readonly string[];
  readonly bodyHashes: ReadonlyArray<{ readonly fields: ReadonlyArray<readonly [string, string | null]>; readonly hash?: string; readonly error?: string }>;
  readonly nonPrintable: readonly Range[];
  readonly unassigned: readonly Range[];
};

// The generator's Python type names, as the zod schemas a synapse would declare for them.
const int = z.number().int();
/** Python `tuple[X, ...]`: `z.tuple([], X)` (works at runtime; zod's typings want a first item, hence the cast). */
const tupleOf = (rest: z.ZodType): z.ZodType => (z.tuple as unknown as (items: [], rest: z.ZodType) => z.ZodType)([], rest);
const N1 = z.object({ a: int });
const N2 = z.object({ a: int, c: int.default(7) });
const Nested = z.object({ a: int, b: z.array(z.string()) });
const Point = z.object({ x: z.number(), y: z.string().nullish() });
const SCHEMAS: Readonly<Record<string, z.ZodType | undefined>> = {
  Any: undefined,
  unknown: z.unknown(),
  str: z.string(),
  int,
  bigint: z.bigint(),
  float: z.number(),
  bool: z.boolean(),
  list: z.array(z.unknown()),
  dict: z.record(z.string(), z.unknown()),
  'list[int]': z.array(int),
  'list[float]': z.array(z.number()),
  'list[str]': z.array(z.string()),
  'list[bool]': z.array(z.boolean()),
  'list[list[float]]': z.array(z.array(z.number())),
  'list[Optional[int]]': z.array(int.nullable()),
  'list[dict[str,Any]]': z.array(z.record(z.string(), z.any())),
  'list[tuple[int,str]]': z.array(z.tuple([int, z.string()])),
  'dict[str,float]': z.record(z.string(), z.number()),
  'dict[str,int]': z.record(z.string(), int),
  'dict[str,str]': z.record(z.string(), z.string()),
  'dict[str,list[str]]': z.record(z.string(), z.array(z.string())),
  'dict[str,Optional[float]]': z.record(z.string(), z.number().nullable()),
  'Optional[str]': z.string().nullable(),
  'Optional[float]': z.number().nullable(),
  'Optional[str]=None': z.string().nullish(),
  'Optional[list[int]]=None': z.array(int).nullish(),
  'int=5': int.default(5),
  'float=0.5': z.number().default(0.5),
  'tuple[int,...]': tupleOf(int),
  'tuple[float,...]': tupleOf(z.number()),
  'tuple[int,str]': z.tuple([int, z.string()]),
  'tuple[float]': z.tuple([z.number()]),
  'tuple[()]': z.tuple([]),
  'tuple[str,list[int]]': z.tuple([z.string(), z.array(int)]),
  "Literal['a','b']": z.enum(['a', 'b']),
  'Literal[1,2]': z.literal([1, 2]),
  'Literal[True]': z.literal(true),
  "list[Literal['x','y']]": z.array(z.enum(['x', 'y'])),
  'Union[int,str]': z.union([int, z.string()]),
  'Union[str,int]': z.union([z.string(), int]),
  'Union[float,int]': z.union([z.number(), int]),
  'Union[int,float]': z.union([int, z.number()]),
  'Union[float,str]': z.union([z.number(), z.string()]),
  'Union[float,bool]': z.union([z.number(), z.boolean()]),
  'Union[float,Literal[1]]': z.union([z.number(), z.literal(1)]),
  'Union[list[float],list[int]]': z.union([z.array(z.number()), z.array(int)]),
  'Union[list[int],list[float]]': z.union([z.array(int), z.array(z.number())]),
  'Union[list[float],tuple[int,...]]': z.union([z.array(z.number()), tupleOf(int)]),
  'Union[tuple[float,...],list[int]]': z.union([tupleOf(z.number()), z.array(int)]),
  'Union[tuple[int,...],Any]': z.union([tupleOf(int), z.any()]),
  'Union[float,Any]': z.union([z.number(), z.any()]),
  'Union[Any,float]': z.union([z.any(), z.number()]),
  'list[Union[float,int]]': z.array(z.union([z.number(), int])),
  'Optional[Union[float,int]]': z.union([z.number(), int]).nullable(),
  'Union[N1,N2]': z.union([N1, N2]),
  'Union[N2,N1]': z.union([N2, N1]),
  'Union[list[N1],list[N2]]': z.union([z.array(N1), z.array(N2)]),
  'Union[Point,dict[str,Any]]': z.union([Point, z.record(z.string(), z.any())]),
  'Union[dict[str,Any],Point]': z.union([z.record(z.string(), z.any()), Point]),
  'Union[N1,dict[str,float]]': z.union([N1, z.record(z.string(), z.number())]),
  'Union[dict[str,float],N1]': z.union([z.record(z.string(), z.number()), N1]),
  'Union[Nested,str]': z.union([Nested, z.string()]),
  'Nested{a:int,b:list[str]}': Nested,
  'Point{x:float,y:Optional[str]=None}': Point,
  'Outer{name,inner:Nested,points:list[Point],weights:dict[str,float],pair:tuple[int,float]}': z.object({
    name: z.string(),
    inner: Nested,
    points: z.array(Point),
    weights: z.record(z.string(), z.number()),
    pair: z.tuple([int, z.number()]),
  }),
  'Loose{a:int,b:Optional[str]=None,extra=allow}': z.looseObject({ a: int, b: z.string().nullish() }),
  "Defaults{n:int=5,f:float=0.5,s:str='x',o:Optional[list[int]]=None}": z.object({
    n: int.default(5),
    f: z.number().default(0.5),
    s: z.string().default('x'),
    o: z.array(int).nullish(),
  }),
  'list[Point]': z.array(Point),
  'dict[str,Point]': z.record(z.string(), Point),
  'Optional[Nested]': Nested.nullable(),
};

function schemaOf(type: string): z.ZodType | undefined {
  if (!(type in SCHEMAS)) throw new Error(`no zod schema for the fixture type ${type}`);
  return SCHEMAS[type];
}

/** The JSON value a case validates (undefined: the key is absent). */
function valueOf(type: string, json: string | null): unknown {
  if (json === null) return undefined;
  return type === 'bigint' ? BigInt(json) : JSON.parse(json);
}

/** pythonStr, or the error message it throws (so that a failing case names itself). */
function tryStr(value: unknown, schema: z.ZodType | undefined): string {
  try {
    return pythonStr(value, schema);
  } catch (err) {
    return `throws ${(err as Error).message}`;
  }
}

const sha3 = (text: string): string => createHash('sha3-256').update(text, 'utf8').digest('hex');

describe('pythonStr against CPython + pydantic', () => {
  test('the fixture holds enough vectors, random ones included', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(300);
    expect(fixture.cases.filter((c) => c.random).length).toBeGreaterThanOrEqual(150);
  });

  test.each([false, true])('every case (random: %s) renders as Python does, from the JSON value', (random) => {
    const failures = fixture.cases
      .filter((c) => Boolean(c.random) === random)
      .map((c) => ({ type: c.type, json: c.json, python: c.str, ts: tryStr(valueOf(c.type, c.json), schemaOf(c.type)) }))
      .filter((r) => r.python !== r.ts);
    expect(failures).toEqual([]);
  });

  // zod's union returns the first member that parses, stripped to its keys: N1 drops N2's `c`, where pydantic
  // picks N2 (more fields set). Hash the JSON value, not a zod-parsed one, where unions hold objects.
  const STRIPPED_BY_ZOD_UNION = new Set(['Union[N1,N2]', 'Union[list[N1],list[N2]]']);

  test('the zod schemas accept every case, and render the parsed value (defaults applied, extras stripped) the same', () => {
    const failures = [];
    for (const c of fixture.cases) {
      const schema = schemaOf(c.type);
      if (!schema) continue;
      if (STRIPPED_BY_ZOD_UNION.has(c.type) && c.json?.includes('"c"')) {
        expect(pythonStr(z.parse(schema, valueOf(c.type, c.json)), schema)).not.toBe(c.str);
        continue;
      }
      const parsed = z.safeParse(schema, valueOf(c.type, c.json));
      if (!parsed.success) failures.push({ type: c.type, json: c.json, error: parsed.error.message });
      else if (tryStr(parsed.data, schema) !== c.str) failures.push({ type: c.type, json: c.json, python: c.str, ts: tryStr(parsed.data, schema) });
    }
    expect(failures).toEqual([]);
  });

  test('containers use repr, a top-level str is the string itself', () => {
    expect(pythonStr('it\'s "x"', z.string())).toBe('it\'s "x"');
    expect(pythonRepr('it\'s "x"', z.string())).toBe(`'it\\'s "x"'`);
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr('a\\b\n\r\t\x00\x7f\x85\u00e9\u200b\u{1f600}\u{e0001}')).toBe("'a\\\\b\\n\\r\\t\\x00\\x7f\\x85\u00e9\\u200b\u{1f600}\\U000e0001'");
    expect(pythonStr(['a', 1, 2.5, true, null])).toBe("['a', 1, 2.5, True, None]");
    expect(pythonStr([], z.array(z.string()))).toBe('[]');
    expect(pythonStr({}, z.record(z.string(), z.number()))).toBe('{}');
    expect(pythonStr([1], tupleOf(int))).toBe('(1,)');
    expect(pythonStr(7n)).toBe('7');
  });
});

describe('pythonFloatRepr', () => {
  const parse = (repr: string): number => (repr === 'inf' ? Infinity : repr === '-inf' ? -Infinity : repr === 'nan' ? NaN : Number(repr));

  test('the values of the brief', () => {
    const reprs = ['1.0', '0.1', '1e-05', '1e+16', '1.5e+16', '123456789012345.0', '1000000000000000.0', '0.0001', '1.5e-07', 'inf', '-inf', 'nan', '-0.0', '0.0'];
    expect(reprs.map((r) => pythonFloatRepr(parse(r)))).toEqual(reprs);
  });

  test("round-trips every repr CPython printed (edges, subnormals, max, seeded random)", () => {
    expect(fixture.floatReprs.length).toBeGreaterThanOrEqual(250);
    const failures = fixture.floatReprs.filter((r) => pythonFloatRepr(parse(r)) !== r);
    expect(failures).toEqual([]);
    expect(fixture.floatReprs).toEqual(expect.arrayContaining(['5e-324', '1.7976931348623157e+308', '2.225073858507201e-308', '-0.0']));
  });
});

describe('bodyHash', () => {
  test('the known example, rebuilt by hand', () => {
    const expected = 'd620e17953fe4ccff80fc5728641766383715f7ef20024c6bda3f234d6513d41';
    expect(sha3(sha3('hi') + sha3("['a', 1, 2.5, True, None]"))).toBe(expected);
    expect(bodyHash([['hi', z.string()], [['a', 1, 2.5, true, null], z.array(z.unknown())]])).toBe(expected);
    expect(bodyHash([])).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
  });

  test('every recorded synapse hashes as the reference SDK does', () => {
    for (const vector of fixture.bodyHashes) {
      const fields = vector.fields.map(([type, json]) => [valueOf(type, json), schemaOf(type)] as const);
      if (vector.error) {
        // Python raises UnicodeEncodeError: the str() of a lone surrogate cannot be UTF-8 encoded.
        expect(vector.error).toBe('UnicodeEncodeError');
        expectThrownCode(() => bodyHash(fields), PythonReprError, 'UnsupportedPythonType');
      } else expect({ fields: vector.fields, hash: bodyHash(fields) }).toEqual({ fields: vector.fields, hash: vector.hash });
    }
  });
});

describe('str.isprintable', () => {
  const inRanges = (ranges: readonly Range[]): Uint8Array => {
    const set = new Uint8Array(0x110000);
    for (const [from, to] of ranges) set.fill(1, from, to + 1);
    return set;
  };

  test("repr escapes exactly Python's non-printable characters, except those Unicode assigned after Python's version", () => {
    const nonPrintable = inRanges(fixture.nonPrintable);
    const unassigned = inRanges(fixture.unassigned);
    const schema = z.string();
    const newlyAssigned: number[] = [];
    const wrong: string[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const repr = pythonRepr(ch, schema);
      const escaped = ch === '\\' ? false : repr !== `'${ch}'` && repr !== `"${ch}"`;
      if (escaped === Boolean(nonPrintable[cp])) continue;
      if (!escaped && unassigned[cp]) newlyAssigned.push(cp);
      else wrong.push(`U+${cp.toString(16)}: ${repr}`);
    }
    expect(wrong).toEqual([]);
    // Node's Unicode (process.versions.unicode) is newer than Python 3.11's 14.0: these print as is here.
    expect(newlyAssigned.length).toBeLessThan(20_000);
  });

  test('escape forms: \\xNN, \\uNNNN, \\UNNNNNNNN; lone surrogates as Python repr writes them', () => {
    expect(pythonRepr('\x01\xad\u0378\u{10ffff}')).toBe("'\\x01\\xad\\u0378\\U0010ffff'");
    expect(pythonRepr('\ud800x\udfff')).toBe("'\\ud800x\\udfff'");
    expect(pythonStr(['\ud800'], z.array(z.string()))).toBe("['\\ud800']");
    for (let cp = 0xd800; cp <= 0xdfff; cp += 0x7f) expect(pythonRepr(String.fromCharCode(cp))).toBe(`'\\u${cp.toString(16)}'`);
  });
});

describe('schemas decide what JSON cannot', () => {
  test('int or float: JSON 1 is 1.0 in a float field; untyped, integral numbers are ints (JSON 1.0 is ambiguous)', () => {
    expect(pythonStr(1, z.number())).toBe('1.0');
    expect(pythonStr(1, int)).toBe('1');
    expect(pythonStr(JSON.parse('1.0'))).toBe('1'); // Python's json.loads gives 1.0 here: only a schema can tell
    expect(pythonStr(JSON.parse('-0.0'))).toBe('0');
    expect(pythonStr(1e16)).toBe('10000000000000000');
    expect(pythonStr(1e21)).toBe('1e+21'); // JSON.stringify writes 1e+21, a float to json.loads
    expect(pythonStr(-0, z.number())).toBe('-0.0'); // JSON.stringify(-0) is "0": hash what is sent
  });

  test('union members: exact wins, then the most exact, then the first', () => {
    expect(pythonStr(1, z.union([z.number(), int]))).toBe('1');
    expect(pythonStr(1, z.union([z.number(), z.string()]))).toBe('1.0');
    expect(pythonStr('1', z.union([int, z.string()]))).toBe('1');
    expect(pythonStr([1, 2], z.union([z.array(z.number()), tupleOf(int)]))).toBe('[1.0, 2.0]');
  });

  test('lazy (recursive) schemas', () => {
    interface Tree {
      v: number;
      kids: Tree[];
    }
    const Tree: z.ZodType<Tree> = z.lazy(() => z.object({ v: z.number(), kids: z.array(Tree) }));
    expect(pythonStr({ v: 1, kids: [{ v: 2.5, kids: [] }] }, Tree)).toBe("{'v': 1.0, 'kids': [{'v': 2.5, 'kids': []}]}");
  });

  test('caveat: JS objects put integer-like keys first (Python keeps the order the sender wrote)', () => {
    // Python: {'b': 1, '2': 2}. Our own JSON.stringify writes the JS order, so Python agrees for our requests.
    expect(pythonStr(JSON.parse('{"b": 1, "2": 2}'), z.record(z.string(), int))).toBe("{'2': 2, 'b': 1}");
  });
});

describe('unsupported types throw PythonReprError', () => {
  test.each([
    ['set', new Set([1]), z.set(z.number())],
    ['map', new Map(), z.map(z.string(), z.number())],
    ['date', new Date(0), z.date()],
    ['transform', 'x', z.string().transform((s) => s.length)],
    ['numeric record keys', { 1: 'a' }, z.record(z.number(), z.string())],
    ['non-integral int', 1.5, int],
    ['int beyond 1e21', 1e21, int],
    ['str schema, number value', 1, z.string()],
    ['union without a match', true, z.union([z.string(), int])],
    ['untyped class instance', new Date(0), undefined],
  ] as const)('%s', (_name, value, schema) => {
    expectThrownCode(() => pythonStr(value, schema), PythonReprError, 'UnsupportedPythonType');
  });
});
