import type { Tensor } from 'onnxruntime-node';

/** A tensor element type, named as onnxruntime-node names it (`Tensor.Type`). */
export type TensorDtype = Tensor.Type;

/** Every dtype, in ONNX `TensorProto.DataType` order. */
export const TENSOR_DTYPES: readonly TensorDtype[] = Object.freeze([
  'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool', 'float16', 'float64', 'uint32', 'uint64', 'uint4', 'int4',
]);

/** ONNX `TensorProto.DataType` of each dtype. */
export const ONNX_ELEMENT_TYPE: Readonly<Record<TensorDtype, number>> = Object.freeze({
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, string: 8, bool: 9,
  float16: 10, float64: 11, uint32: 12, uint64: 13, uint4: 21, int4: 22,
});

export function isTensorDtype(value: string): value is TensorDtype {
  return (TENSOR_DTYPES as readonly string[]).includes(value);
}
