import { z } from 'zod';
import { bodyHash, btTensor, decodeTensor, defineSynapse, encodeTensor, type BtTensor } from '../../protocol';

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

test('default: the msgpack-numpy bytes of a float32 vector, as numpy + msgpack write them', () => {
  const t = encodeTensor({ dtype: 'float32', shape: [2], data: bytesOf(Float32Array.of(1, 2)) });
  const expected = [
    '85', 'c4026e64', 'c3', 'c40474797065', 'a33c6634', 'c4046b696e64', 'c400', 'c4057368617065', '9102', 'c40464617461', 'c408', '0000803f', '00000040',
  ].join('');
  expect(Buffer.from(t.buffer, 'base64').toString('hex')).toBe(expected);
  expect(t).toMatchObject({ dtype: 'float32', shape: [2] });
});

test('behavior: round trip of every dtype and large dimensions', () => {
  for (const [dtype, size] of [['float16', 2], ['float32', 4], ['float64', 8], ['int8', 1], ['int16', 2], ['int32', 4], ['int64', 8], ['uint8', 1], ['bool', 1]] as const) {
    const shape = [3, 300, 70000 / 700];
    const data = Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) * size }, (_, i) => (i * 31) & 0xff);
    const decoded = decodeTensor(encodeTensor({ dtype, shape, data }));
    expect(decoded.dtype).toBe(dtype);
    expect(decoded.shape).toEqual(shape);
    expect(Buffer.from(decoded.data).equals(Buffer.from(data))).toBe(true);
  }
});

test('behavior: a 0-d tensor travels with shape [0], as the reference sends it', () => {
  const t = encodeTensor({ dtype: 'float32', shape: [], data: bytesOf(Float32Array.of(7)) });
  expect(t.shape).toEqual([0]);
  expect(decodeTensor(t).shape).toEqual([]);
});

test('error: a buffer that disagrees with its fields, or is not msgpack-numpy, is refused with a reason', () => {
  const good = encodeTensor({ dtype: 'float32', shape: [2], data: bytesOf(Float32Array.of(1, 2)) });
  const bad = (t: BtTensor): unknown => {
    try {
      decodeTensor(t);
    } catch (err) {
      return (err as { code: string }).code;
    }
    return 'accepted';
  };
  expect(bad({ ...good, shape: [3] })).toBe('InvalidTensor');
  expect(bad({ ...good, dtype: 'int32' })).toBe('InvalidTensor');
  expect(bad({ ...good, buffer: good.buffer.slice(0, 20) })).toBe('InvalidTensor');
  expect(bad({ ...good, buffer: Buffer.from('{"a":1}').toString('base64') })).toBe('InvalidTensor');
  expect(() => encodeTensor({ dtype: 'float32', shape: [3], data: new Uint8Array(8) })).toThrow(/holds 12 bytes, got 8/);
});

test('behavior: a tensor field hashes as the pydantic model dumps it (a dict in field order)', () => {
  const t = encodeTensor({ dtype: 'float32', shape: [2], data: bytesOf(Float32Array.of(1, 2)) });
  const S = defineSynapse({ name: 'T', request: { x: btTensor }, response: {} });
  const dict = `{'buffer': '${t.buffer}', 'dtype': 'float32', 'shape': [2]}`;
  expect(S.hashOf({ x: t })).toBe(bodyHash([[dict, z.string()]]));
});
