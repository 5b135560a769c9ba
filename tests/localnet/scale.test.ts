/** Unit tests of the SCALE codec compiler over a hand-written type registry (known byte vectors). */
import { ScaleCodecs, ScaleError, bytesToHex, hexToBytes } from '../../localnet/scale';
import type { ScaleType, ScaleTypeDef, ScaleTypeSource } from '../../localnet/scale';

const defs: Array<[number, ScaleTypeDef, string[]?]> = [
  [0, { kind: 'primitive', primitive: 'u8' }],
  [1, { kind: 'primitive', primitive: 'u16' }],
  [2, { kind: 'primitive', primitive: 'u32' }],
  [3, { kind: 'primitive', primitive: 'u64' }],
  [4, { kind: 'primitive', primitive: 'u128' }],
  [5, { kind: 'primitive', primitive: 'i8' }],
  [6, { kind: 'primitive', primitive: 'i128' }],
  [7, { kind: 'primitive', primitive: 'bool' }],
  [8, { kind: 'primitive', primitive: 'str' }],
  [9, { kind: 'compact', type: 2 }], // Compact<u32>
  [10, { kind: 'compact', type: 4 }], // Compact<u128>
  [11, { kind: 'compact', type: 0 }], // Compact<u8>
  [12, { kind: 'sequence', type: 0 }], // Vec<u8>
  [13, { kind: 'array', len: 4, type: 0 }], // [u8; 4]
  [14, { kind: 'composite', fields: [{ name: null, type: 13 }] }, ['demo', 'Id4']], // newtype of [u8; 4]
  [15, { kind: 'sequence', type: 16 }], // Vec<(u16, u16)>
  [16, { kind: 'tuple', types: [1, 1] }],
  [17, { kind: 'tuple', types: [] }],
  [18, { kind: 'composite', fields: [{ name: 'ip_type', type: 0 }, { name: 'port', type: 1 }, { name: 'pairs', type: 15 }] }, ['demo', 'Info']],
  [19, { kind: 'composite', fields: [{ name: null, type: 1 }, { name: null, type: 7 }] }, ['demo', 'Pair']],
  [20, { kind: 'composite', fields: [] }, ['demo', 'Unit']],
  [21, { kind: 'variant', variants: [{ name: 'None', index: 0, fields: [] }, { name: 'Some', index: 1, fields: [{ name: null, type: 1 }] }] }, ['Option']],
  [22, { kind: 'variant', variants: [{ name: 'Normal', index: 0, fields: [] }, { name: 'Operational', index: 1, fields: [] }, { name: 'Mandatory', index: 5, fields: [] }] }, ['demo', 'Class']],
  [
    23,
    {
      kind: 'variant',
      variants: [
        { name: 'Unit', index: 0, fields: [] },
        { name: 'One', index: 3, fields: [{ name: null, type: 1 }] },
        { name: 'Two', index: 4, fields: [{ name: null, type: 1 }, { name: null, type: 7 }] },
        { name: 'Named', index: 9, fields: [{ name: 'who', type: 14 }, { name: 'amount', type: 3 }] },
      ],
    },
    ['demo', 'Event'],
  ],
  // enum Tree { Leaf(u8), Node(Vec<Tree>) } — recursive through a sequence
  [24, { kind: 'variant', variants: [{ name: 'Leaf', index: 0, fields: [{ name: null, type: 0 }] }, { name: 'Node', index: 1, fields: [{ name: null, type: 25 }] }] }, ['demo', 'Tree']],
  [25, { kind: 'sequence', type: 24 }],
  [26, { kind: 'bitSequence' }],
  [27, { kind: 'composite', fields: [{ name: 'outer', type: 28 }] }, ['demo', 'Outer']],
  [28, { kind: 'sequence', type: 18 }],
  [29, { kind: 'compact', type: 20 }], // Compact<()> (a field-less composite)
  [30, { kind: 'compact', type: 31 }], // Compact<Perbill>
  [31, { kind: 'composite', fields: [{ name: null, type: 2 }] }, ['sp_arithmetic', 'per_things', 'Perbill']],
  [32, { kind: 'sequence', type: 17 }], // Vec<()>
  [34, { kind: 'composite', fields: [{ name: 'ok', type: 35 }, { name: 'bad', type: 998 }] }, ['demo', 'Broken']],
  [35, { kind: 'sequence', type: 34 }], // refers back to the broken type
  [33, { kind: 'variant', variants: [{ name: 'None', index: 0, fields: [] }, { name: 'Some', index: 1, fields: [{ name: null, type: 7 }] }] }, ['Option']],
];

const source: ScaleTypeSource = {
  getType(id: number): ScaleType | undefined {
    const d = defs.find(([i]) => i === id);
    return d ? { id, def: d[1], path: d[2] ?? [] } : undefined;
  },
};

const codecs = new ScaleCodecs(source);
const hex = (id: number, v: unknown): string => bytesToHex(codecs.codecFor(id).encode(v));
const dec = (id: number, h: string): unknown => codecs.codecFor(id).decodeAll(hexToBytes(h));

function scaleError(fn: () => unknown): ScaleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScaleError) return e;
    throw e;
  }
  throw new Error('expected a ScaleError');
}

describe('scale codecs', () => {
  it('default: primitives encode little-endian and decode back', () => {
    expect(hex(0, 255)).toBe('0xff');
    expect(hex(1, 99)).toBe('0x6300');
    expect(hex(2, 0xdeadbeef)).toBe('0xefbeadde');
    expect(hex(3, (1n << 64n) - 1n)).toBe(`0x${'ff'.repeat(8)}`);
    expect(hex(4, 1n)).toBe(`0x01${'00'.repeat(15)}`);
    expect(hex(5, -1)).toBe('0xff');
    expect(hex(6, -2n)).toBe(`0xfe${'ff'.repeat(15)}`);
    expect(hex(7, true)).toBe('0x01');
    expect(hex(8, 'héllo')).toBe('0x1868c3a96c6c6f');
    expect(dec(5, '0x80')).toBe(-128);
    expect(dec(6, `0xfe${'ff'.repeat(15)}`)).toBe(-2n);
    expect(dec(3, '0x0100000000000000')).toBe(1n);
    expect(dec(8, '0x1868c3a96c6c6f')).toBe('héllo');
  });

  it('args: integers accept number and bigint within range', () => {
    expect(hex(1, 7n)).toBe('0x0700');
    expect(hex(3, 7)).toBe('0x0700000000000000');
    expect(scaleError(() => hex(1, 65536)).code).toBe('Encode');
    expect(scaleError(() => hex(1, 1.5)).code).toBe('Encode');
    expect(scaleError(() => hex(1, -1)).code).toBe('Encode');
    expect(scaleError(() => hex(3, -1n)).code).toBe('Encode');
    expect(scaleError(() => hex(3, 2 ** 60)).code).toBe('Encode'); // not a safe integer
    expect(scaleError(() => hex(5, 128)).code).toBe('Encode');
    expect(scaleError(() => hex(7, 1)).code).toBe('Encode');
  });

  it('behavior: compact integers at every mode boundary', () => {
    const cases: Array<[number | bigint, string]> = [
      [0, '0x00'],
      [1, '0x04'],
      [63, '0xfc'],
      [64, '0x0101'],
      [16383, '0xfdff'],
      [16384, '0x02000100'],
      [2 ** 30 - 1, '0xfeffffff'],
      [2 ** 30, '0x0300000040'],
      [2 ** 32 - 1, '0x03ffffffff'],
    ];
    for (const [v, h] of cases) {
      expect(hex(9, v)).toBe(h);
      expect(dec(9, h)).toBe(Number(v));
    }
    const u128max = (1n << 128n) - 1n;
    expect(hex(10, u128max)).toBe(`0x33${'ff'.repeat(16)}`);
    expect(dec(10, `0x33${'ff'.repeat(16)}`)).toBe(u128max);
    expect(hex(10, 1n << 32n)).toBe('0x070000000001');
    expect(dec(10, '0x00')).toBe(0n);
  });

  it('error: non-canonical or out-of-range compacts are rejected', () => {
    expect(scaleError(() => dec(9, '0x0100')).code).toBe('Decode'); // 0 in two-byte mode
    expect(scaleError(() => dec(9, '0x02000000')).code).toBe('Decode'); // 0 in four-byte mode
    expect(scaleError(() => dec(10, '0x0300000000')).code).toBe('Decode'); // 0 in big mode
    expect(scaleError(() => dec(10, '0x070000000000')).code).toBe('Decode'); // zero top byte
    expect(scaleError(() => dec(11, '0x0104')).code).toBe('Decode'); // 257 > u8
    expect(scaleError(() => dec(9, '0x070000000001')).code).toBe('Decode'); // 2^32 > u32
    expect(scaleError(() => hex(11, 256)).code).toBe('Encode');
  });

  it('behavior: compact newtypes and Compact<()>', () => {
    expect(hex(30, 1_000_000_000)).toBe('0x02286bee');
    expect(dec(30, '0x02286bee')).toBe(1_000_000_000);
    expect(hex(29, {})).toBe('0x');
    expect(dec(29, '0x')).toEqual({});
  });

  it('behavior: byte containers are lowercase 0x hex; encode takes hex or Uint8Array', () => {
    expect(hex(12, '0xABcd')).toBe('0x08abcd');
    expect(hex(12, new Uint8Array([1, 2]))).toBe('0x080102');
    expect(dec(12, '0x08abcd')).toBe('0xabcd');
    expect(hex(13, '0x01020304')).toBe('0x01020304');
    expect(hex(14, new Uint8Array([1, 2, 3, 4]))).toBe('0x01020304');
    expect(dec(14, '0x0a0b0c0d')).toBe('0x0a0b0c0d');
    expect(scaleError(() => hex(13, '0x010203')).code).toBe('Encode');
    expect(scaleError(() => hex(12, '0xzz')).code).toBe('Encode');
    expect(scaleError(() => hex(12, 'abcd')).code).toBe('Encode');
    expect(scaleError(() => dec(12, '0x0c0102')).code).toBe('Decode'); // length 3, 2 bytes left
  });

  it('behavior: composites, tuples and newtypes', () => {
    const info = { ip_type: 4, port: 8091, pairs: [[1, 2], [3, 65535]] };
    const h = hex(18, info);
    expect(h).toBe('0x049b1f08010002000300ffff');
    expect(dec(18, h)).toEqual(info);
    expect(hex(19, [7, true])).toBe('0x070001');
    expect(dec(19, '0x070001')).toEqual([7, true]);
    expect(hex(17, [])).toBe('0x');
    expect(dec(17, '0x')).toEqual([]);
    expect(dec(20, '0x')).toEqual({});
  });

  it('behavior: Option is T | null', () => {
    expect(hex(21, null)).toBe('0x00');
    expect(hex(21, undefined)).toBe('0x00');
    expect(hex(21, 5)).toBe('0x010500');
    expect(dec(21, '0x00')).toBeNull();
    expect(dec(21, '0x010500')).toBe(5);
    expect(scaleError(() => dec(21, '0x02')).code).toBe('Decode');
    // Option<bool> is the generic two-byte encoding, not OptionBool
    expect(hex(33, false)).toBe('0x0100');
    expect(dec(33, '0x0101')).toBe(true);
  });

  it('behavior: enums use the variant index, names for field-less enums, { name: payload } otherwise', () => {
    expect(hex(22, 'Mandatory')).toBe('0x05');
    expect(hex(22, { Operational: null })).toBe('0x01');
    expect(dec(22, '0x05')).toBe('Mandatory');
    expect(scaleError(() => dec(22, '0x02')).code).toBe('Decode');
    expect(scaleError(() => hex(22, 'Nope')).code).toBe('Encode');

    expect(hex(23, 'Unit')).toBe('0x00');
    expect(hex(23, { Unit: null })).toBe('0x00');
    expect(dec(23, '0x00')).toEqual({ Unit: null });
    expect(hex(23, { One: 2 })).toBe('0x030200');
    expect(dec(23, '0x030200')).toEqual({ One: 2 });
    expect(hex(23, { Two: [2, true] })).toBe('0x04020001');
    expect(dec(23, '0x04020001')).toEqual({ Two: [2, true] });
    const named = { Named: { who: '0x01020304', amount: 10n } };
    expect(hex(23, named)).toBe('0x09010203040a00000000000000');
    expect(dec(23, '0x09010203040a00000000000000')).toEqual(named);
    expect(scaleError(() => hex(23, 'One')).code).toBe('Encode'); // bare name needs a field-less variant
    expect(scaleError(() => hex(23, { One: 1, Two: [1, true] })).code).toBe('Encode');
  });

  it('behavior: recursive types compile once and round-trip', () => {
    const tree = { Node: [{ Leaf: 1 }, { Node: [{ Leaf: 2 }, { Node: [] }] }] };
    const h = hex(24, tree);
    expect(h).toBe('0x01080001010800020100');
    expect(dec(24, h)).toEqual(tree);
    expect(codecs.codecFor(24)).toBe(codecs.codecFor(24));
  });

  it('error: messages carry the field path and the root type', () => {
    const e = scaleError(() => hex(27, { outer: [{ ip_type: 1, port: 2, pairs: [] }, { ip_type: 1, port: 2, pairs: [[1, 'x']] }] }));
    expect(e.code).toBe('Encode');
    expect(e.message).toContain('.outer[1].pairs[0][1]');
    expect(e.message).toContain('(type #27)');
    expect(e.details['path']).toEqual(['outer', 1, 'pairs', 0, 1]);
    const missing = scaleError(() => hex(18, { ip_type: 1, pairs: [] }));
    expect(missing.message).toContain("field 'port'");
    const d = scaleError(() => dec(27, '0x04010200'));
    expect(d.code).toBe('Decode');
    expect(d.message).toContain('end of input');
  });

  it('behavior: decode at an offset; decodeAll rejects trailing bytes', () => {
    const bytes = hexToBytes('0xff63000102');
    expect(codecs.codecFor(1).decode(bytes, 1)).toEqual({ value: 99, offset: 3 });
    expect(scaleError(() => codecs.codecFor(1).decodeAll(hexToBytes('0x630000'))).message).toContain('trailing');
  });

  it('error: str must be valid UTF-8', () => {
    expect(scaleError(() => dec(8, '0x08c328')).code).toBe('Decode');
  });

  it('error: sequence lengths are bounded by the input', () => {
    // claims 2^29 elements of (u16, u16) with 4 bytes left
    expect(scaleError(() => dec(15, '0x0300000080' + '00'.repeat(4))).code).toBe('Decode');
    // zero-sized elements are bounded by a fixed cap
    expect(dec(32, '0x0c')).toEqual([[], [], []]);
    expect(scaleError(() => dec(32, '0x03ffffffff')).code).toBe('Decode');
  });

  it('error: BitSequence compiles but is unsupported; unknown ids are reported', () => {
    const bits = codecs.codecFor(26);
    expect(scaleError(() => bits.encode([])).code).toBe('UnsupportedType');
    expect(scaleError(() => codecs.codecFor(999)).code).toBe('UnknownType');
    // a failed compile leaves nothing half-built behind: asking again fails the same way
    expect(scaleError(() => codecs.codecFor(34)).code).toBe('UnknownType');
    expect(scaleError(() => codecs.codecFor(35)).code).toBe('UnknownType');
  });

  it('behavior: encode returns independent copies', () => {
    const c = codecs.codecFor(1);
    const a = c.encode(1);
    const b = c.encode(2);
    expect(bytesToHex(a)).toBe('0x0100');
    expect(bytesToHex(b)).toBe('0x0200');
  });

  it('behavior: large values grow the shared buffer', () => {
    const big = Array.from({ length: 5000 }, (_, i) => [i & 0xffff, (i * 7) & 0xffff]);
    const bytes = codecs.codecFor(15).encode(big);
    expect(bytes.length).toBe(2 + 5000 * 4);
    expect(codecs.codecFor(15).decodeAll(bytes)).toEqual(big);
  });
});
