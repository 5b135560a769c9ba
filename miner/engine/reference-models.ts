/**
 * Reference models built in code with the ONNX writer: deterministic weights from a seed, so tests,
 * benchmarks and local miners get the same bytes on every machine.
 */
import { GraphBuilder, encodeModel, type Dim } from './onnx-writer';
import { mulberry32, uniformFloats } from './prng';
import type { ModelSpec } from './spec';
import { EngineError } from './errors';

/** Serialized ONNX bytes plus the spec a handler would declare for them. */
export interface ReferenceModel {
  readonly bytes: Uint8Array;
  readonly spec: ModelSpec;
}

/** The batch dim: symbolic `'N'` when dynamic, else fixed at 1. */
function batchDim(dynamicBatch: boolean): Dim {
  return dynamicBatch ? 'N' : 1;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new EngineError('InvalidOptions', `${name} must be a positive integer (got ${value})`, { option: name });
  return value;
}

/** He-uniform weights for a layer with `fanIn` inputs, small uniform biases. */
function layerParams(next: () => number, weightCount: number, fanIn: number, biasCount: number): { weights: Float32Array; bias: Float32Array } {
  return { weights: uniformFloats(next, weightCount, Math.sqrt(6 / fanIn)), bias: uniformFloats(next, biasCount, 0.05) };
}

export interface MlpModelOptions {
  readonly inputSize: number;
  /** Hidden layer widths (each MatMul + Add + Relu). @default [] */
  readonly hidden?: readonly number[];
  readonly outputSize: number;
  /** Dim 0 symbolic `'N'` (true) or fixed 1 (false). @default true */
  readonly dynamicBatch?: boolean;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * A multilayer perceptron classifier: `input` float32 [N, inputSize] → (MatMul + Add + Relu) per hidden
 * layer → MatMul + Add → Softmax → `probabilities` float32 [N, outputSize].
 */
export function mlpModel(options: MlpModelOptions): ReferenceModel {
  const inputSize = positiveInteger('inputSize', options.inputSize);
  const outputSize = positiveInteger('outputSize', options.outputSize);
  const hidden = (options.hidden ?? []).map((h, i) => positiveInteger(`hidden[${i}]`, h));
  const n = batchDim(options.dynamicBatch ?? true);
  const next = mulberry32(options.seed ?? 1);
  const g = new GraphBuilder();
  let x = g.input('input', 'float32', [n, inputSize]);
  let width = inputSize;
  [...hidden, outputSize].forEach((size, layer) => {
    const { weights, bias } = layerParams(next, width * size, width, size);
    const w = g.initializer(`w${layer}`, weights, [width, size]);
    const b = g.initializer(`b${layer}`, bias, [size]);
    x = g.op('Add', [g.op('MatMul', [x, w]), b]);
    if (layer < hidden.length) x = g.op('Relu', [x]);
    width = size;
  });
  g.op('Softmax', [x], { axis: { int: -1 } }, 'probabilities');
  const spec: ModelSpec = {
    inputs: [{ name: 'input', dtype: 'float32', shape: [n, inputSize] }],
    outputs: [{ name: 'probabilities', dtype: 'float32', shape: [n, outputSize] }],
  };
  g.output('probabilities', 'float32', spec.outputs[0]!.shape);
  return { bytes: encodeModel(g.build({ graphName: 'mlp', docString: `mlp seed=${options.seed ?? 1}` })), spec };
}

export interface TextLineModelOptions {
  /** Image height; a multiple of 8. @default 48 */
  readonly height?: number;
  /** Image width; a multiple of 4. The output has width / 4 time steps. @default 320 */
  readonly width?: number;
  /** Input image channels. @default 3 */
  readonly channels?: number;
  /** Output classes per time step (a CTC alphabet plus blank). @default 97 */
  readonly classes?: number;
  /** Channels of the first stage; later stages use 2x and 4x. Cost grows with its square. @default 64 */
  readonly features?: number;
  /** Dim 0 symbolic `'N'` (true) or fixed 1 (false). @default true */
  readonly dynamicBatch?: boolean;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * A compute-heavy text-line recognizer shaped like a CRNN/CTC model (the benchmark's "heavy" model):
 * `image` float32 [N, C, H, W] → three VGG-style stages of two Conv3x3+Relu each (F, 2F, 4F channels; the
 * first at full resolution), MaxPool 2x2, 2x2 and 2x1 between them → Conv(H/8 x 1)+Relu collapsing the
 * height → per-column linear classifier → Softmax → `probabilities` float32 [N, W/4, classes] (one class
 * distribution per time step, as a CTC decoder takes). With the defaults one image costs about 4.6 GFLOP
 * (1.56 M weights): about 20 ms per image on the 2-core AVX-512 dev box with the CPU provider.
 */
export function textLineModel(options: TextLineModelOptions = {}): ReferenceModel {
  const height = positiveInteger('height', options.height ?? 48);
  const width = positiveInteger('width', options.width ?? 320);
  const channels = positiveInteger('channels', options.channels ?? 3);
  const classes = positiveInteger('classes', options.classes ?? 97);
  const f = positiveInteger('features', options.features ?? 64);
  if (height % 8 !== 0) throw new EngineError('InvalidOptions', `height must be a multiple of 8 (got ${height})`, { option: 'height' });
  if (width % 4 !== 0) throw new EngineError('InvalidOptions', `width must be a multiple of 4 (got ${width})`, { option: 'width' });
  const n = batchDim(options.dynamicBatch ?? true);
  const steps = width / 4;
  const next = mulberry32(options.seed ?? 1);
  const g = new GraphBuilder();

  const conv = (x: string, inC: number, outC: number, kh: number, kw: number, pad: boolean): string => {
    const { weights, bias } = layerParams(next, outC * inC * kh * kw, inC * kh * kw, outC);
    const w = g.initializer('conv_w', weights, [outC, inC, kh, kw]);
    const b = g.initializer('conv_b', bias, [outC]);
    const pads = pad ? [(kh - 1) / 2, (kw - 1) / 2, (kh - 1) / 2, (kw - 1) / 2] : [0, 0, 0, 0];
    return g.op('Relu', [g.op('Conv', [x, w, b], { kernel_shape: { ints: [kh, kw] }, pads: { ints: pads } })]);
  };
  const stage = (x: string, inC: number, outC: number): string => conv(conv(x, inC, outC, 3, 3, true), outC, outC, 3, 3, true);
  const pool = (x: string, kh: number, kw: number): string => g.op('MaxPool', [x], { kernel_shape: { ints: [kh, kw] }, strides: { ints: [kh, kw] } });

  let x = g.input('image', 'float32', [n, channels, height, width]);
  x = pool(stage(x, channels, f), 2, 2); // [N, F, H/2, W/2]
  x = pool(stage(x, f, 2 * f), 2, 2); // [N, 2F, H/4, W/4]
  x = pool(stage(x, 2 * f, 4 * f), 2, 1); // [N, 4F, H/8, W/4]
  x = conv(x, 4 * f, 4 * f, height / 8, 1, false); // [N, 4F, 1, W/4]
  x = g.op('Reshape', [x, g.int64s('columns_shape', [0, 4 * f, steps])]); // [N, 4F, T]
  x = g.op('Transpose', [x], { perm: { ints: [0, 2, 1] } }); // [N, T, 4F]
  const { weights, bias } = layerParams(next, 4 * f * classes, 4 * f, classes);
  x = g.op('Add', [g.op('MatMul', [x, g.initializer('classifier_w', weights, [4 * f, classes])]), g.initializer('classifier_b', bias, [classes])]);
  g.op('Softmax', [x], { axis: { int: -1 } }, 'probabilities');
  const spec: ModelSpec = {
    inputs: [{ name: 'image', dtype: 'float32', shape: [n, channels, height, width] }],
    outputs: [{ name: 'probabilities', dtype: 'float32', shape: [n, steps, classes] }],
  };
  g.output('probabilities', 'float32', spec.outputs[0]!.shape);
  return { bytes: encodeModel(g.build({ graphName: 'text_line' })), spec };
}

export interface ScaleModelOptions {
  /** Features per row. @default 4 */
  readonly size?: number;
  /** `y = x * factor`. Small integer factors keep the result exact, which makes tests crisp. */
  readonly factor: number;
  /** @default true */
  readonly dynamicBatch?: boolean;
}

/** `x` float32 [N, size] → `y` = x * factor, float32 [N, size]. The smallest useful model (hot-reload tests). */
export function scaleModel(options: ScaleModelOptions): ReferenceModel {
  const size = positiveInteger('size', options.size ?? 4);
  const n = batchDim(options.dynamicBatch ?? true);
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [n, size]);
  g.op('Mul', [x, g.initializer('factor', Float32Array.of(options.factor), [])], {}, 'y');
  const spec: ModelSpec = { inputs: [{ name: 'x', dtype: 'float32', shape: [n, size] }], outputs: [{ name: 'y', dtype: 'float32', shape: [n, size] }] };
  g.output('y', 'float32', spec.outputs[0]!.shape);
  return { bytes: encodeModel(g.build({ graphName: 'scale' })), spec };
}

export interface PairModelOptions {
  /** @default 4 */
  readonly size?: number;
  /** @default true */
  readonly dynamicBatch?: boolean;
}

/** Two inputs, two outputs: `a`, `b` float32 [N, size] → `sum` = a + b, `product` = a * b. */
export function pairModel(options: PairModelOptions = {}): ReferenceModel {
  const size = positiveInteger('size', options.size ?? 4);
  const n = batchDim(options.dynamicBatch ?? true);
  const g = new GraphBuilder();
  const a = g.input('a', 'float32', [n, size]);
  const b = g.input('b', 'float32', [n, size]);
  g.op('Add', [a, b], {}, 'sum');
  g.op('Mul', [a, b], {}, 'product');
  const shape = [n, size];
  const spec: ModelSpec = {
    inputs: [{ name: 'a', dtype: 'float32', shape }, { name: 'b', dtype: 'float32', shape }],
    outputs: [{ name: 'sum', dtype: 'float32', shape }, { name: 'product', dtype: 'float32', shape }],
  };
  g.output('sum', 'float32', shape);
  g.output('product', 'float32', shape);
  return { bytes: encodeModel(g.build({ graphName: 'pair' })), spec };
}

export interface EmbeddingModelOptions {
  /** @default 16 */
  readonly vocab?: number;
  /** @default 8 */
  readonly dim?: number;
  /** @default 1 */
  readonly seed?: number;
}

/**
 * An int64-input lookup table: `tokens` int64 [N, T] → `embeddings` float32 [N, T, dim] (Gather). Both N and
 * T are symbolic, so only requests with the same T can share a batch.
 */
export function embeddingModel(options: EmbeddingModelOptions = {}): ReferenceModel {
  const vocab = positiveInteger('vocab', options.vocab ?? 16);
  const dim = positiveInteger('dim', options.dim ?? 8);
  const next = mulberry32(options.seed ?? 1);
  const g = new GraphBuilder();
  const tokens = g.input('tokens', 'int64', ['N', 'T']);
  const table = g.initializer('table', uniformFloats(next, vocab * dim, 1), [vocab, dim]);
  g.op('Gather', [table, tokens], { axis: { int: 0 } }, 'embeddings');
  const spec: ModelSpec = {
    inputs: [{ name: 'tokens', dtype: 'int64', shape: ['N', 'T'] }],
    outputs: [{ name: 'embeddings', dtype: 'float32', shape: ['N', 'T', dim] }],
  };
  g.output('embeddings', 'float32', spec.outputs[0]!.shape);
  return { bytes: encodeModel(g.build({ graphName: 'embedding' })), spec };
}
