/**
 * `bt.Tensor`, the reference SDK's tensor payload: `{buffer, dtype, shape}` where `buffer` is base64 of
 * `msgpack.packb(ndarray, default=msgpack_numpy.encode)`, i.e. the msgpack map
 * `{b"nd": True, b"type": "<f4", b"kind": b"", b"shape": [..], b"data": <raw little-endian bytes>}`.
 *
 * Tensors travel this way rather than as JSON number lists because the body hash renders every hashed
 * value with Python's `str()`: a 3×48×320 float image as a list costs ~30 ms to hash and ~10 ms to parse
 * and validate, as a base64 string well under a millisecond.
 *
 * The codec is written for this one fixed layout (a five-entry map with byte-string keys); the msgpack
 * library available to JS cannot write byte-string map keys.
 */
import { z } from 'zod';
import { ProtocolError } from './errors';

/** numpy dtype name → its `dtype.str` and element size. */
const DTYPES = {
  float16: { str: '<f2', bytes: 2 },
  float32: { str: '<f4', bytes: 4 },
  float64: { str: '<f8', bytes: 8 },
  int8: { str: '|i1', bytes: 1 },
  int16: { str: '<i2', bytes: 2 },
  int32: { str: '<i4', bytes: 4 },
  int64: { str: '<i8', bytes: 8 },
  uint8: { str: '|u1', bytes: 1 },
  uint16: { str: '<u2', bytes: 2 },
  uint32: { str: '<u4', bytes: 4 },
  uint64: { str: '<u8', bytes: 8 },
  bool: { str: '|b1', bytes: 1 },
} as const;

export type TensorDtype = keyof typeof DTYPES;
export const TENSOR_DTYPES = Object.keys(DTYPES) as TensorDtype[];

/** The zod schema of a `bt.Tensor` field (field order as the pydantic model: buffer, dtype, shape). */
export const btTensor = z.object({
  buffer: z.string(),
  dtype: z.enum(TENSOR_DTYPES as [TensorDtype, ...TensorDtype[]]),
  shape: z.array(z.number().int().nonnegative()),
});
export type BtTensor = z.infer<typeof btTensor>;

/** A decoded tensor: its dtype, shape and raw little-endian bytes. */
export interface RawTensor {
  readonly dtype: TensorDtype;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

const te = new TextEncoder();
const KEYS = ['nd', 'type', 'kind', 'shape', 'data'].map((k) => te.encode(k));

/** Encodes raw little-endian element bytes (e.g. `new Uint8Array(float32Array.buffer)`) as a `bt.Tensor`. @throws ProtocolError `InvalidTensor` */
export function encodeTensor(tensor: RawTensor): BtTensor {
  const spec = DTYPES[tensor.dtype];
  const elements = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== elements * spec.bytes) invalid(`a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}] holds ${elements * spec.bytes} bytes, got ${tensor.data.length}`);
  const parts: number[] = [0x85];
  const bytes = (b: Uint8Array): void => {
    header(parts, b.length, 0xc4, 0xc5, 0xc6);
    for (const x of b) parts.push(x);
  };
  bytes(KEYS[0]!);
  parts.push(0xc3);
  bytes(KEYS[1]!);
  parts.push(0xa0 | spec.str.length, ...te.encode(spec.str));
  bytes(KEYS[2]!);
  bytes(new Uint8Array());
  bytes(KEYS[3]!);
  if (tensor.shape.length > 15) invalid('at most 15 dimensions');
  parts.push(0x90 | tensor.shape.length);
  for (const dim of tensor.shape) uint(parts, dim);
  bytes(KEYS[4]!);
  header(parts, tensor.data.length, 0xc4, 0xc5, 0xc6);
  const head = Uint8Array.from(parts);
  const packed = Buffer.concat([head, tensor.data]);
  // The reference sends a 0-d tensor's shape as [0].
  return { buffer: packed.toString('base64'), dtype: tensor.dtype, shape: tensor.shape.length === 0 ? [0] : [...tensor.shape] };
}

/**
 * Decodes a `bt.Tensor` (as the reference writes it: byte-string or text keys, any integer width).
 * @throws ProtocolError `InvalidTensor` naming what is wrong
 */
export function decodeTensor(tensor: BtTensor): RawTensor {
  const buf = Buffer.from(tensor.buffer, 'base64');
  let at = 0;
  const need = (n: number): void => {
    if (at + n > buf.length) invalid('the buffer ends early');
  };
  const byte = (): number => {
    need(1);
    return buf[at++]!;
  };
  const length = (tag: number, fix: number | null, b8: number, b16: number, b32: number): number => {
    if (fix !== null && (tag & 0xe0) === fix) return tag & 0x1f;
    if (tag === b8) return byte();
    if (tag === b16) {
      need(2);
      at += 2;
      return buf.readUInt16BE(at - 2);
    }
    if (tag === b32) {
      need(4);
      at += 4;
      return buf.readUInt32BE(at - 4);
    }
    return invalid(`unexpected msgpack byte 0x${tag.toString(16)}`);
  };
  const bytesOrString = (): Buffer => {
    const tag = byte();
    const n = (tag & 0xe0) === 0xa0 || tag === 0xd9 || tag === 0xda || tag === 0xdb ? length(tag, 0xa0, 0xd9, 0xda, 0xdb) : length(tag, null, 0xc4, 0xc5, 0xc6);
    need(n);
    at += n;
    return buf.subarray(at - n, at);
  };
  const integer = (): number => {
    const tag = byte();
    if (tag <= 0x7f) return tag;
    const widths: Record<number, number> = { 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8 };
    const w = widths[tag] ?? invalid(`a shape entry must be a non-negative integer (msgpack byte 0x${tag.toString(16)})`);
    need(w);
    at += w;
    const v = w === 8 ? Number(buf.readBigUInt64BE(at - 8)) : buf.readUIntBE(at - w, w);
    if (!Number.isSafeInteger(v)) invalid('a shape entry is too large');
    return v;
  };
  const entries = byte();
  if ((entries & 0xf0) !== 0x80) invalid('the buffer is not a msgpack-numpy map');
  let type: string | undefined;
  let shape: number[] | undefined;
  let data: Buffer | undefined;
  for (let i = 0; i < (entries & 0x0f); i++) {
    const key = bytesOrString().toString('latin1');
    if (key === 'nd') {
      if (byte() !== 0xc3) invalid('nd must be True');
    } else if (key === 'type') type = bytesOrString().toString('latin1');
    else if (key === 'kind') {
      if (bytesOrString().length !== 0) invalid('structured (void) dtypes are not supported');
    } else if (key === 'shape') {
      const tag = byte();
      const n = (tag & 0xf0) === 0x90 ? tag & 0x0f : length(tag, null, -1, 0xdc, 0xdd);
      shape = Array.from({ length: n }, integer);
    } else if (key === 'data') data = bytesOrString();
    else invalid(`unexpected key ${JSON.stringify(key)}`);
  }
  if (at !== buf.length) invalid('trailing bytes after the tensor');
  if (type === undefined || shape === undefined || data === undefined) invalid('type, shape and data are all required');
  const dtype = TENSOR_DTYPES.find((d) => DTYPES[d].str === type) ?? invalid(`unsupported numpy dtype ${type}`);
  if (dtype !== tensor.dtype) invalid(`dtype field ${tensor.dtype} does not match the buffer's ${type}`);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (data.length !== elements * DTYPES[dtype].bytes) invalid(`shape [${shape.join(', ')}] needs ${elements * DTYPES[dtype].bytes} bytes of ${dtype}, the buffer holds ${data.length}`);
  const declared = tensor.shape.length === 1 && tensor.shape[0] === 0 && shape.length === 0 ? [] : tensor.shape;
  if (declared.length !== shape.length || declared.some((d, i) => d !== shape[i])) invalid(`shape field [${tensor.shape.join(', ')}] does not match the buffer's [${shape.join(', ')}]`);
  return { dtype, shape, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

function header(parts: number[], n: number, b8: number, b16: number, b32: number): void {
  if (n < 0x100) parts.push(b8, n);
  else if (n < 0x10000) parts.push(b16, n >> 8, n & 0xff);
  else parts.push(b32, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function uint(parts: number[], v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) invalid(`a dimension must be a non-negative integer: ${v}`);
  if (v <= 0x7f) parts.push(v);
  else if (v < 0x100) parts.push(0xcc, v);
  else if (v < 0x10000) parts.push(0xcd, v >> 8, v & 0xff);
  else if (v < 0x100000000) parts.push(0xce, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  else invalid('a dimension beyond 2^32 is not supported');
}

function invalid(reason: string): never {
  throw new ProtocolError('InvalidTensor', `bt.Tensor: ${reason}`, { reason });
}
