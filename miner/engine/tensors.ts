/**
 * Tensor helpers: build `ort.Tensor`s from plain (nested) arrays, zeros for warm-up, and the row
 * concatenation/splitting the batcher does along dim 0.
 */
import { Tensor } from 'onnxruntime-node';

import type { TensorDtype } from './dtypes';
import { EngineError } from './errors';

/** A scalar a plain array may hold (JSON numbers, booleans, strings; bigint for 64-bit integers). */
export type TensorElement = number | bigint | boolean | string;

/** A (possibly nested, rectangular) array of elements, e.g. `[[1, 2], [3, 4]]`. */
export interface NestedArray extends ReadonlyArray<TensorElement | NestedArray> {}

/** The typed array (or string array) behind a tensor of each dtype. */
type TensorData = Tensor['data'];

function invalidValue(message: string, details: Record<string, unknown>): EngineError {
  return new EngineError('InvalidInput', message, { field: 'values', ...details });
}

/** Flattens a nested array, inferring its dims and rejecting ragged ones. */
function flatten(values: NestedArray): { flat: TensorElement[]; dims: number[] } {
  const dims: number[] = [];
  for (let level: TensorElement | NestedArray = values; Array.isArray(level); level = (level as NestedArray)[0]!) {
    dims.push((level as NestedArray).length);
    if ((level as NestedArray).length === 0) break;
  }
  const flat: TensorElement[] = [];
  const walk = (node: TensorElement | NestedArray, depth: number, path: string): void => {
    if (depth === dims.length) {
      if (Array.isArray(node)) throw invalidValue(`values${path}: expected a scalar, got an array (ragged array)`, { path });
      flat.push(node as TensorElement);
      return;
    }
    if (!Array.isArray(node) || node.length !== dims[depth]) {
      const got = Array.isArray(node) ? `length ${node.length}` : 'a scalar';
      throw invalidValue(`values${path}: expected an array of length ${dims[depth]}, got ${got} (ragged array)`, { path });
    }
    (node as NestedArray).forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
  return { flat, dims };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 binary16 bits of a number, rounded to nearest even (onnxruntime takes float16 data as Uint16Array). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow to Inf
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const full = mant | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++; // may carry into Inf, as it should
  return sign | half;
}

const INTEGER_RANGES: Partial<Record<TensorDtype, readonly [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], uint16: [0, 65535], int16: [-32768, 32767], int32: [-2147483648, 2147483647], uint32: [0, 4294967295],
};

function toNumber(dtype: TensorDtype, v: TensorElement, i: number): number {
  if (typeof v !== 'number') throw invalidValue(`values[${i}]: ${dtype} needs a number, got ${typeof v}`, { index: i });
  const range = INTEGER_RANGES[dtype];
  if (range !== undefined && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
    throw invalidValue(`values[${i}]: ${v} is not a ${dtype} (an integer in [${range[0]}, ${range[1]}])`, { index: i });
  }
  return v;
}

function toBigInt(dtype: 'int64' | 'uint64', v: TensorElement, i: number): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
  else throw invalidValue(`values[${i}]: ${dtype} needs a safe integer or a bigint, got ${String(v)}`, { index: i });
  const [lo, hi] = dtype === 'int64' ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
  if (b < lo || b > hi) throw invalidValue(`values[${i}]: ${b} is out of range for ${dtype}`, { index: i });
  return b;
}

function typedData(dtype: TensorDtype, flat: readonly TensorElement[]): TensorData {
  switch (dtype) {
    case 'float32': return Float32Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'float64': return Float64Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'float16': return Uint16Array.from(flat, (v, i) => toFloat16Bits(toNumber(dtype, v, i)));
    case 'uint8': return Uint8Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'int8': return Int8Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'uint16': return Uint16Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'int16': return Int16Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'int32': return Int32Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'uint32': return Uint32Array.from(flat, (v, i) => toNumber(dtype, v, i));
    case 'int64': return BigInt64Array.from(flat, (v, i) => toBigInt('int64', v, i));
    case 'uint64': return BigUint64Array.from(flat, (v, i) => toBigInt('uint64', v, i));
    case 'bool': return Uint8Array.from(flat, (v, i) => {
      if (typeof v !== 'boolean') throw invalidValue(`values[${i}]: bool needs true or false, got ${typeof v}`, { index: i });
      return v ? 1 : 0;
    });
    case 'string': return flat.map((v, i) => {
      if (typeof v !== 'string') throw invalidValue(`values[${i}]: string needs a string, got ${typeof v}`, { index: i });
      return v;
    });
    default:
      throw invalidValue(`dtype ${dtype} cannot be built from a plain array (4-bit types are packed)`, { dtype });
  }
}

/**
 * Makes a tensor from a plain array. Without `dims`, the array may be nested and its dims are inferred
 * (`[[1, 2], [3, 4]]` → [2, 2]); with `dims`, it may also be flat. Integers are range-checked, int64/uint64
 * take safe integers or bigints, float16 takes numbers (rounded to nearest even). Wrong values throw
 * `InvalidInput` (`details.field: 'values'`).
 */
export function tensorFromArray(dtype: TensorDtype, values: NestedArray, dims?: readonly number[]): Tensor {
  const nested = flatten(values);
  const shape = dims === undefined ? nested.dims : [...dims];
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw invalidValue(`dims: ${d} is not a non-negative integer`, { dims: shape });
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== nested.flat.length) {
    throw invalidValue(`dims [${shape.join(', ')}] hold ${count} elements, values have ${nested.flat.length}`, { dims: shape });
  }
  return new Tensor(dtype, typedData(dtype, nested.flat), shape);
}

/** Element count of a shape. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function emptyData(dtype: TensorDtype, length: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(length);
    case 'float64': return new Float64Array(length);
    case 'float16': case 'uint16': return new Uint16Array(length);
    case 'uint8': case 'bool': case 'uint4': return new Uint8Array(length);
    case 'int8': case 'int4': return new Int8Array(length);
    case 'int16': return new Int16Array(length);
    case 'int32': return new Int32Array(length);
    case 'uint32': return new Uint32Array(length);
    case 'int64': return new BigInt64Array(length);
    case 'uint64': return new BigUint64Array(length);
    case 'string': return new Array<string>(length).fill('');
  }
}

/** A tensor of zeros (`''` for strings, false for bools) with the given dims; used for warm-up runs. */
export function zerosTensor(dtype: TensorDtype, dims: readonly number[]): Tensor {
  const length = dtype === 'uint4' || dtype === 'int4' ? Math.ceil(elementCount(dims) / 2) : elementCount(dims);
  return new Tensor(dtype, emptyData(dtype, length), [...dims]);
}

/** Concatenates tensors of one dtype along dim 0; all other dims must agree (the caller checks). */
export function concatRows(parts: readonly Tensor[]): Tensor {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  const rows = parts.reduce((sum, t) => sum + t.dims[0]!, 0);
  const dims = [rows, ...first.dims.slice(1)];
  if (first.type === 'string') {
    return new Tensor('string', parts.flatMap((t) => t.data as string[]), dims);
  }
  const out = emptyData(first.type as TensorDtype, parts.reduce((sum, t) => sum + t.data.length, 0)) as Exclude<TensorData, string[]>;
  let offset = 0;
  for (const part of parts) {
    // Same dtype, so the same typed-array class; `set` copies element-wise.
    (out as Float32Array).set(part.data as Float32Array, offset);
    offset += part.data.length;
  }
  return new Tensor(first.type as TensorDtype, out, dims);
}

/** Rows [start, end) of a tensor along dim 0, copied (callers may keep or mutate their result freely). */
export function sliceRows(tensor: Tensor, start: number, end: number): Tensor {
  const rowSize = elementCount(tensor.dims.slice(1));
  const dims = [end - start, ...tensor.dims.slice(1)];
  const data = tensor.data.slice(start * rowSize, end * rowSize) as TensorData;
  return new Tensor(tensor.type as TensorDtype, data, dims);
}
