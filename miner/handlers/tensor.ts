/**
 * The `tensor` subnet: generic ONNX inference. `TensorInference` carries named input tensors, runs them
 * through `--model` (dynamic batching, the engine's input check) and answers with every output tensor.
 *
 * The matching Python synapse:
 *
 *     class Tensor(pydantic.BaseModel):
 *         dtype: Literal['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']
 *         dims: list[int]
 *         data: list[float]          # row-major, len == prod(dims); bool as 0/1
 *
 *     class TensorInference(bt.Synapse):
 *         inputs: dict[str, Tensor]
 *         outputs: Optional[dict[str, Tensor]] = None
 *         required_hash_fields = ('inputs',)
 *
 * `data` is a float list on the wire (pydantic turns ints into floats there), so 64-bit integers travel
 * exactly only within ±2^53; an output beyond that, or a NaN/±Infinity output JSON cannot carry, fails
 * the request (500) rather than being sent altered.
 */
import type { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { defineSynapse, type SynapseRequest, type SynapseResponse } from '../../protocol';
import { EngineError, tensorFromArray, type Feeds, type Results } from '../engine';
import type { MinerHandler } from './handler';
import { runModel } from './run-model';

/** The dtypes a `TensorInference` tensor may have (onnxruntime's names; no strings, no packed 4-bit types). */
export const WIRE_DTYPES = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'] as const;
export type WireDtype = (typeof WIRE_DTYPES)[number];

/** One tensor on the wire: dtype, dims and the row-major elements. */
export const WireTensorSchema = z.object({
  dtype: z.enum(WIRE_DTYPES),
  dims: z.array(z.number().int().nonnegative()),
  data: z.array(z.number()),
});
export type WireTensor = z.infer<typeof WireTensorSchema>;

export const TensorInference = defineSynapse({
  name: 'TensorInference',
  request: { inputs: z.record(z.string(), WireTensorSchema) },
  response: { outputs: z.record(z.string(), WireTensorSchema) },
});
export type TensorInferenceRequest = SynapseRequest<typeof TensorInference>;
export type TensorInferenceResponse = SynapseResponse<typeof TensorInference>;

function invalidInput(input: string, message: string, cause?: unknown): EngineError {
  return new EngineError('InvalidInput', `input '${input}': ${message}`, { input, field: 'values' }, cause === undefined ? undefined : { cause });
}

/** The onnxruntime tensors of a request (the engine then checks names, dtypes and shapes against the model). @throws EngineError `InvalidInput` */
export function feedsOf(inputs: Readonly<Record<string, WireTensor>>): Feeds {
  const feeds: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(inputs)) {
    let values: ReadonlyArray<number | boolean> = tensor.data;
    if (tensor.dtype === 'bool') {
      values = tensor.data.map((v, i) => {
        if (v !== 0 && v !== 1) throw invalidInput(name, `data[${i}]: bool takes 0 or 1 (got ${v})`);
        return v === 1;
      });
    }
    try {
      feeds[name] = tensorFromArray(tensor.dtype, values, tensor.dims);
    } catch (err) {
      throw err instanceof EngineError ? invalidInput(name, err.message, err) : err;
    }
  }
  return feeds;
}

const halfBuffer = new DataView(new ArrayBuffer(4));

/** The number an IEEE 754 binary16 bit pattern stands for. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  halfBuffer.setUint32(0, ((bits & 0x8000) << 16) | ((exp - 15 + 127) << 23) | (mant << 13));
  return halfBuffer.getFloat32(0);
}

function isWireDtype(dtype: string): dtype is WireDtype {
  return (WIRE_DTYPES as readonly string[]).includes(dtype);
}

/** An output tensor on the wire. @throws Error when JSON cannot carry it exactly (the request fails with 500, logged). */
export function wireTensorOf(name: string, tensor: Tensor): WireTensor {
  const dtype = tensor.type;
  if (!isWireDtype(dtype)) throw new Error(`output '${name}' has dtype ${dtype}, which TensorInference cannot carry`);
  let data: number[];
  if (dtype === 'int64' || dtype === 'uint64') {
    data = Array.from(tensor.data as BigInt64Array | BigUint64Array, (v) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new Error(`output '${name}' holds ${v}, beyond the ±2^53 a JSON number carries exactly`);
      return n;
    });
  } else if (dtype === 'float16') {
    data = Array.from(tensor.data as Uint16Array, fromFloat16Bits);
  } else {
    data = Array.from(tensor.data as ArrayLike<number>);
  }
  if (dtype.startsWith('float') && !data.every(Number.isFinite)) throw new Error(`output '${name}' holds NaN or ±Infinity, which JSON cannot carry`);
  return { dtype, dims: [...tensor.dims], data };
}

/** Every output of a run, on the wire. */
export function wireOutputsOf(results: Results): Record<string, WireTensor> {
  return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, wireTensorOf(name, tensor)]));
}

/** `tensor`: serves `TensorInference` with any ONNX model (`--model` required; no declared spec). */
export const tensorHandler: MinerHandler = Object.freeze({
  subnet: 'tensor',
  description: 'generic ONNX inference: TensorInference runs --model on named input tensors and returns every output',
  synapses: Object.freeze([TensorInference]),
  model: 'required',
  attach(axon, { engine }) {
    if (engine === null) throw new TypeError('the tensor handler needs an inference engine');
    axon.attach(TensorInference, async (input, ctx) => {
      const results = await runModel(engine, TensorInference.name, () => feedsOf(input.inputs), ctx.signal);
      return { outputs: wireOutputsOf(results) };
    });
  },
} satisfies MinerHandler);
