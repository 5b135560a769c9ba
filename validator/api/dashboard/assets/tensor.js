// bt.Tensor in the browser: the same bytes protocol/tensor.ts's encodeTensor writes — base64 of the msgpack map
// {b"nd": True, b"type": "<f4", b"kind": b"", b"shape": [..], b"data": <little-endian bytes>}.

const DTYPES = { float32: { str: '<f4', bytes: 4 }, uint8: { str: '|u1', bytes: 1 } };
const KEYS = ['nd', 'type', 'kind', 'shape', 'data'].map((k) => new TextEncoder().encode(k));

function lengthHeader(parts, n) {
  if (n < 0x100) parts.push(0xc4, n);
  else if (n < 0x10000) parts.push(0xc5, n >> 8, n & 0xff);
  else parts.push(0xc6, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function unsigned(parts, v) {
  if (!Number.isSafeInteger(v) || v < 0 || v >= 2 ** 32) throw new RangeError(`a dimension must be an integer in [0, 2^32): ${v}`);
  if (v <= 0x7f) parts.push(v);
  else if (v < 0x100) parts.push(0xcc, v);
  else if (v < 0x10000) parts.push(0xcd, v >> 8, v & 0xff);
  else parts.push(0xce, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
}

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A bt.Tensor of `dtype` ('float32' | 'uint8') and `shape` from a typed array of its elements (row-major). */
export function encodeTensor(dtype, shape, values) {
  const spec = DTYPES[dtype];
  if (spec === undefined) throw new TypeError(`unsupported dtype ${dtype}`);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (values.length !== elements) throw new RangeError(`shape [${shape.join(', ')}] needs ${elements} values, got ${values.length}`);
  if (shape.length > 15) throw new RangeError('at most 15 dimensions');
  // Typed arrays are little-endian on every platform a browser runs on; DataView makes it explicit.
  const data = new Uint8Array(elements * spec.bytes);
  if (dtype === 'uint8') data.set(values);
  else {
    const view = new DataView(data.buffer);
    for (let i = 0; i < elements; i++) view.setFloat32(i * 4, values[i], true);
  }
  const parts = [0x85];
  const key = (i) => {
    lengthHeader(parts, KEYS[i].length);
    parts.push(...KEYS[i]);
  };
  key(0);
  parts.push(0xc3);
  key(1);
  parts.push(0xa0 | spec.str.length, ...new TextEncoder().encode(spec.str));
  key(2);
  lengthHeader(parts, 0);
  key(3);
  parts.push(0x90 | shape.length);
  for (const dim of shape) unsigned(parts, dim);
  key(4);
  lengthHeader(parts, data.length);
  const packed = new Uint8Array(parts.length + data.length);
  packed.set(parts);
  packed.set(data, parts.length);
  return { buffer: base64(packed), dtype, shape: shape.length === 0 ? [0] : [...shape] };
}
