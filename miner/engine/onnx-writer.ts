/**
 * An ONNX graph writer on top of onnx-proto: describe a graph as plain data (or build it with
 * {@link GraphBuilder}), get a serialized `ModelProto` that onnxruntime loads. Used by the reference
 * models, by the subnets to export trained models and by the benchmarks.
 */
import { endianness } from 'node:os';
import { onnx } from 'onnx-proto';

import { ONNX_ELEMENT_TYPE, type TensorDtype } from './dtypes';
import { EngineError } from './errors';

/** A dimension: a number is fixed, a string is symbolic (an ONNX `dim_param`, e.g. the batch dim `'N'`). */
export type Dim = number | string;

/** A named, typed graph input or output. */
export interface ValueInfo {
  readonly name: string;
  readonly dtype: TensorDtype;
  readonly shape: readonly Dim[];
}

/** The typed arrays an initializer (a constant weight tensor) may hold; the dtype follows the array type. */
export type InitializerData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A constant tensor stored in the graph (weights, shapes, axes). */
export interface InitializerDef {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: InitializerData;
}

/** A node attribute; the key says its ONNX type (ONNX tells `int` from `float`, JavaScript numbers do not). */
export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly strings: readonly string[] }
  | { readonly tensor: Omit<InitializerDef, 'name'> };

/** One operator application. Value names are SSA: each is produced once (by an input, initializer or node). */
export interface NodeDef {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Operator domain. @default '' (the default ONNX domain) */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A whole model as data. */
export interface ModelDef {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly NodeDef[];
  readonly initializers?: readonly InitializerDef[];
  /** Default-domain opset. @default 17 (onnxruntime 1.30 implements it fully on CPU and WebGPU) */
  readonly opset?: number;
  /** ONNX IR version. @default 8 */
  readonly irVersion?: number;
  /** @default 'tensornet' */
  readonly producerName?: string;
  /** @default 'graph' */
  readonly graphName?: string;
  readonly docString?: string;
  /** Free-form `metadata_props` (e.g. a training run id). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

function invalid(message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError('InvalidGraph', message, details);
}

function initializerDtype(data: InitializerData): TensorDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  return 'int8';
}

function tensorProto(name: string, dims: readonly number[], data: InitializerData): onnx.ITensorProto {
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw invalid(`initializer '${name}': dim ${d} is not a non-negative integer`, { tensor: name });
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw invalid(`initializer '${name}': dims [${dims.join(', ')}] hold ${count} elements, data has ${data.length}`, { tensor: name });
  }
  // raw_data is little-endian by the ONNX spec; typed arrays use the host's order.
  if (endianness() !== 'LE') throw invalid('the ONNX writer needs a little-endian host');
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return { name, dims: [...dims], dataType: ONNX_ELEMENT_TYPE[initializerDtype(data)], rawData: raw };
}

function valueInfoProto(info: ValueInfo): onnx.IValueInfoProto {
  const dim = info.shape.map((d): onnx.TensorShapeProto.IDimension => {
    if (typeof d === 'string') {
      if (d === '') throw invalid(`'${info.name}': a symbolic dim needs a name`, { tensor: info.name });
      return { dimParam: d };
    }
    if (!Number.isSafeInteger(d) || d < 0) throw invalid(`'${info.name}': dim ${d} is not a non-negative integer`, { tensor: info.name });
    return { dimValue: d };
  });
  return { name: info.name, type: { tensorType: { elemType: ONNX_ELEMENT_TYPE[info.dtype], shape: { dim } } } };
}

function attributeProto(name: string, value: AttributeValue): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  const integer = (n: number): number => {
    if (!Number.isSafeInteger(n)) throw invalid(`attribute '${name}': ${n} is not an integer`, { attribute: name });
    return n;
  };
  if ('int' in value) return { name, type: T.INT, i: integer(value.int) };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('string' in value) return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints.map(integer) };
  if ('floats' in value) return { name, type: T.FLOATS, floats: [...value.floats] };
  if ('strings' in value) return { name, type: T.STRINGS, strings: value.strings.map((s) => new TextEncoder().encode(s)) };
  return { name, type: T.TENSOR, t: tensorProto(name, value.tensor.dims, value.tensor.data) };
}

/** Checks that every value is defined once and before use, and that graph outputs exist. */
function checkNames(def: ModelDef): void {
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (name === '') throw invalid(`${what}: empty value name`);
    if (defined.has(name)) throw invalid(`${what}: value '${name}' is defined twice`, { value: name });
    defined.add(name);
  };
  for (const i of def.inputs) define(i.name, 'graph input');
  for (const i of def.initializers ?? []) define(i.name, 'initializer');
  def.nodes.forEach((node, index) => {
    const what = `node ${index} (${node.op})`;
    for (const input of node.inputs) {
      // '' marks an omitted optional input.
      if (input !== '' && !defined.has(input)) throw invalid(`${what}: input '${input}' is not defined before it`, { value: input, node: index });
    }
    if (node.outputs.length === 0) throw invalid(`${what}: no outputs`, { node: index });
    for (const output of node.outputs) define(output, what);
  });
  for (const o of def.outputs) {
    if (!defined.has(o.name)) throw invalid(`graph output '${o.name}' is not produced by any node, input or initializer`, { value: o.name });
  }
}

/** Builds the `ModelProto` of a model definition (throws `InvalidGraph` on inconsistent definitions). */
export function buildModelProto(def: ModelDef): onnx.ModelProto {
  checkNames(def);
  const nodes = def.nodes.map((node, index): onnx.INodeProto => ({
    opType: node.op,
    name: node.name ?? `${node.op}_${index}`,
    domain: node.domain ?? '',
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attributeProto(name, value)),
  }));
  return onnx.ModelProto.create({
    irVersion: def.irVersion ?? DEFAULT_IR_VERSION,
    opsetImport: [{ domain: '', version: def.opset ?? DEFAULT_OPSET }],
    producerName: def.producerName ?? 'tensornet',
    docString: def.docString ?? '',
    metadataProps: Object.entries(def.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: def.graphName ?? 'graph',
      node: nodes,
      initializer: (def.initializers ?? []).map((i) => tensorProto(i.name, i.dims, i.data)),
      input: def.inputs.map(valueInfoProto),
      output: def.outputs.map(valueInfoProto),
    },
  });
}

/** Serializes a model definition to ONNX bytes (what `InferenceSession.create` and `.onnx` files hold). */
export function encodeModel(def: ModelDef): Uint8Array {
  return onnx.ModelProto.encode(buildModelProto(def)).finish();
}

/**
 * Builds a {@link ModelDef} step by step, naming intermediate values for you:
 * ```ts
 * const g = new GraphBuilder();
 * const x = g.input('x', 'float32', ['N', 4]);
 * const w = g.initializer('w', new Float32Array(8), [4, 2]);
 * g.output(g.op('MatMul', [x, w], {}, 'y'), 'float32', ['N', 2]);
 * const bytes = encodeModel(g.build());
 * ```
 */
export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly nodes: NodeDef[] = [];
  private readonly initializers: InitializerDef[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  private fresh(hint: string): string {
    let name = hint;
    while (this.used.has(name)) name = `${hint}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw invalid(`value '${name}' is defined twice`, { value: name });
    this.used.add(name);
    return name;
  }

  /** Declares a graph input; returns its value name. */
  input(name: string, dtype: TensorDtype, shape: readonly Dim[]): string {
    this.inputs.push({ name: this.claim(name), dtype, shape });
    return name;
  }

  /** Adds a constant tensor; returns its (made unique) value name. */
  initializer(nameHint: string, data: InitializerData, dims: readonly number[]): string {
    const name = this.fresh(nameHint);
    this.initializers.push({ name, data, dims });
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, pads). */
  int64s(nameHint: string, values: readonly number[]): string {
    return this.initializer(nameHint, BigInt64Array.from(values, (v) => BigInt(v)), [values.length]);
  }

  /** Applies a single-output operator; returns the output's value name (`outputName` or a generated one). */
  op(op: string, inputs: readonly string[], attributes: Readonly<Record<string, AttributeValue>> = {}, outputName?: string): string {
    const output = outputName === undefined ? this.fresh(op.toLowerCase()) : this.claim(outputName);
    this.nodes.push({ op, inputs, outputs: [output], attributes });
    return output;
  }

  /** Applies an operator with several outputs; returns their value names in order. */
  opMulti(op: string, inputs: readonly string[], outputCount: number, attributes: Readonly<Record<string, AttributeValue>> = {}): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs, attributes });
    return outputs;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, dtype: TensorDtype, shape: readonly Dim[]): void {
    this.outputs.push({ name, dtype, shape });
  }

  /** The model definition built so far (model-level fields from `options`). */
  build(options: Omit<ModelDef, 'inputs' | 'outputs' | 'nodes' | 'initializers'> = {}): ModelDef {
    return { ...options, inputs: [...this.inputs], outputs: [...this.outputs], nodes: [...this.nodes], initializers: [...this.initializers] };
  }
}
