/**
 * The `tensor` subnet: generic ONNX inference. `TensorInference` carries named input tensors, runs them
 * through `--model` (dynamic batching, the engine's input check) and answers with every output tensor.
 * Tensors travel as `bt.Tensor` (base64 msgpack-numpy, `protocol/tensor.ts`), so every dtype's values
 * arrive exactly (64-bit integers, NaN and ±Infinity included) and large inputs stay cheap to hash.
 *
 * The matching Python synapse:
 *
 *     class TensorInference(bt.Synapse):
 *         inputs: dict[str, bt.Tensor]
 *         outputs: Optional[dict[str, bt.Tensor]] = None
 *         required_hash_fields = ('inputs',)
 */
import { Tensor } from 'onnxruntime-node';
import { z } from 'zod';
import { btTensor, decodeTensor, defineSynapse, encodeTensor, ProtocolError, type BtTensor, type SynapseRequest, type SynapseResponse, type TensorDtype } from '../../protocol';
import { EngineError, type Feeds, type Results } from '../engine';
import type { MinerHandler } from './handler';
import { runModel } from './run-model';

export const TensorInference = defineSynapse({
  name: 'TensorInference',
  request: { inputs: z.record(z.string(), btTensor) },
  response: { outputs: z.record(z.string(), btTensor) },
});
export type TensorInferenceRequest = SynapseRequest<typeof TensorInference>;
export type TensorInferenceResponse = SynapseResponse<typeof TensorInference>;

/** The typed-array constructor onnxruntime takes for each dtype (float16 as its raw bits, bool as bytes). */
const ARRAYS: Readonly<Record<TensorDtype, { new (buffer: ArrayBuffer): Tensor.DataType }>> = {
  float16: Uint16Array, float32: Float32Array, float64: Float64Array, int8: Int8Array, int16: Int16Array, int32: Int32Array,
  int64: BigInt64Array, uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array, bool: Uint8Array,
};

/** The onnxruntime tensors of a request (the engine then checks names, dtypes and shapes against the model). @throws EngineError `InvalidInput` */
export function feedsOf(inputs: Readonly<Record<string, BtTensor>>): Feeds {
  const feeds: Record<string, Tensor> = {};
  for (const [name, tensor] of Object.entries(inputs)) {
    let raw;
    try {
      raw = decodeTensor(tensor);
    } catch (err) {
      if (err instanceof ProtocolError) throw new EngineError('InvalidInput', `input '${name}': ${err.message}`, { input: name }, { cause: err });
      throw err;
    }
    // A copy: the typed array needs its own aligned buffer.
    const data = new ARRAYS[raw.dtype](raw.data.slice().buffer);
    feeds[name] = new Tensor(raw.dtype, data as never, [...raw.shape]);
  }
  return feeds;
}

/** An output tensor as a `bt.Tensor`. @throws Error for a dtype a `bt.Tensor` cannot carry (strings, 4-bit types) */
export function btTensorOf(name: string, tensor: Tensor): BtTensor {
  const dtype = tensor.type as string;
  if (!(dtype in ARRAYS)) throw new Error(`output '${name}' has dtype ${dtype}, which TensorInference cannot carry`);
  const data = tensor.data as ArrayBufferView;
  return encodeTensor({ dtype: dtype as TensorDtype, shape: [...tensor.dims], data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

/** Every output of a run, as `bt.Tensor`s. */
export function outputsOf(results: Results): Record<string, BtTensor> {
  return Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, btTensorOf(name, tensor)]));
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
      return { outputs: outputsOf(results) };
    });
  },
} satisfies MinerHandler);
