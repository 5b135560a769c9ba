/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { Tensor } from 'onnxruntime-node';

import { EngineError, GraphBuilder, InferenceEngine, encodeModel, embeddingModel, mlpModel, pairModel, tensorFromArray, type ModelSpec } from '../../../miner/engine';
import { rejection, tempDir, writeModel } from './helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
let mlpPath: string;
const mlp = mlpModel({ inputSize: 4, hidden: [8], outputSize: 3, seed: 11 });
const load = (path: string, spec?: ModelSpec): Promise<InferenceEngine> => InferenceEngine.load(path, { device: 'cpu', watch: false, spec });

beforeAll(async () => {
  dir = await tempDir();
  mlpPath = await writeModel(dir.file('mlp.onnx'), mlp.bytes);
});
afterAll(() => dir.cleanup());

test('behavior: a model matching its spec loads; inputs, outputs, identity and batching are reported', async () => {
  const engine = await load(mlpPath, mlp.spec);
  expect(engine.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['N', 4] }]);
  expect(engine.outputs).toEqual([{ name: 'probabilities', dtype: 'float32', shape: ['N', 3] }]);
  expect(engine.model).toMatchObject({ path: mlpPath, version: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  expect(engine.batching).toBe(true);
  const { probabilities } = await engine.run({ input: tensorFromArray('float32', [[1, 2, 3, 4]]) });
  expect(probabilities!.dims).toEqual([1, 3]);
  await engine.close();
});

test('error: a missing file is ModelNotFound; junk, empty or truncated bytes are ModelInvalid', async () => {
  expect(await rejection(load(dir.file('nope.onnx')))).toMatchObject({ code: 'ModelNotFound', details: { path: dir.file('nope.onnx'), errno: 'ENOENT' } });
  expect(await rejection(load(dir.dir))).toMatchObject({ code: 'ModelNotFound', details: { errno: 'EISDIR' } });
  const junk = await writeModel(dir.file('junk.onnx'), new TextEncoder().encode('definitely not protobuf'));
  const err = await rejection(load(junk));
  expect(err).toBeInstanceOf(EngineError);
  expect(err.code).toBe('ModelInvalid');
  expect(err.message).toContain('junk.onnx');
  expect((await rejection(load(await writeModel(dir.file('empty.onnx'), new Uint8Array(0))))).code).toBe('ModelInvalid');
  expect((await rejection(load(await writeModel(dir.file('cut.onnx'), mlp.bytes.slice(0, mlp.bytes.length >> 1))))).code).toBe('ModelInvalid');
});

test('error: spec mismatches name the tensor and what differs (name, dtype, shape)', async () => {
  const cases: Array<[ModelSpec, Record<string, unknown>, string]> = [
    [{ ...mlp.spec, inputs: [{ name: 'pixels', dtype: 'float32', shape: ['N', 4] }] }, { tensor: 'pixels', field: 'name', side: 'input' }, "has no input 'pixels'"],
    [{ ...mlp.spec, outputs: [] }, { tensor: 'probabilities', field: 'name', side: 'output' }, 'does not declare'],
    [{ ...mlp.spec, inputs: [{ name: 'input', dtype: 'float16', shape: ['N', 4] }] }, { tensor: 'input', field: 'dtype', expected: 'float16', actual: 'float32' }, 'dtype is float32, the spec says float16'],
    [{ ...mlp.spec, inputs: [{ name: 'input', dtype: 'float32', shape: ['N', 5] }] }, { tensor: 'input', field: 'shape' }, 'dim 1 is 4'],
    [{ ...mlp.spec, inputs: [{ name: 'input', dtype: 'float32', shape: [1, 4] }] }, { tensor: 'input', field: 'shape' }, "dim 0 is dynamic 'N'"],
    [{ ...mlp.spec, outputs: [{ name: 'probabilities', dtype: 'float32', shape: ['N', 'classes'] }] }, { tensor: 'probabilities', field: 'shape', side: 'output' }, "dim 1 is fixed at 3"],
    [{ ...mlp.spec, inputs: [{ name: 'input', dtype: 'float32', shape: ['N', 4, 1] }] }, { tensor: 'input', field: 'shape' }, 'rank is 2'],
  ];
  for (const [spec, details, message] of cases) {
    const err = await rejection(load(mlpPath, spec));
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe('ModelSpecMismatch');
    expect(err.details).toMatchObject(details);
    expect(err.message).toContain(message);
  }
});

test('error: feeds that do not fit are InvalidInput naming the input and the field', async () => {
  const engine = await load(mlpPath, mlp.spec);
  const good = tensorFromArray('float32', [[1, 2, 3, 4]]);
  const cases: Array<[unknown, Record<string, unknown>, string]> = [
    [{}, { input: 'input', field: 'name' }, "missing input 'input'"],
    [{ input: good, extra: good }, { input: 'extra', field: 'name' }, "unknown input 'extra'"],
    [{ input: tensorFromArray('int32', [[1, 2, 3, 4]]) }, { input: 'input', field: 'dtype', expected: 'float32', actual: 'int32' }, 'has dtype int32'],
    [{ input: tensorFromArray('float32', [1, 2, 3, 4]) }, { input: 'input', field: 'shape' }, 'rank 2'],
    [{ input: tensorFromArray('float32', [[1, 2, 3]]) }, { input: 'input', field: 'shape', dim: 1 }, 'dim 1 must be 4'],
    [{ input: [[1, 2, 3, 4]] }, { input: 'input', field: 'value' }, 'not an onnxruntime Tensor'],
    [null, { field: 'value' }, 'feeds must be an object'],
  ];
  for (const [feeds, details, message] of cases) {
    const err = await rejection(engine.run(feeds as Record<string, Tensor>));
    expect(err).toMatchObject({ code: 'InvalidInput', details });
    expect(err.message).toContain(message);
    expect((await rejection(engine.runUnbatched(feeds as Record<string, Tensor>))).code).toBe('InvalidInput');
  }
  await engine.close();
});

test('error: a named dynamic dim must agree across inputs, and batched inputs must agree on dim 0', async () => {
  const pair = pairModel({ size: 2 });
  const engine = await load(await writeModel(dir.file('pair.onnx'), pair.bytes), pair.spec);
  const err = await rejection(engine.run({ a: tensorFromArray('float32', [[1, 2]]), b: tensorFromArray('float32', [[1, 2], [3, 4]]) }));
  expect(err).toMatchObject({ code: 'InvalidInput', details: { input: 'b', field: 'shape', dim: 0 } });
  expect(err.message).toContain("input 'a' has N = 1");
  await engine.close();
  // Without a spec the model's own dim names apply; the engine still refuses disagreeing batch dims.
  const unnamed = await load(await writeModel(dir.file('pair2.onnx'), pair.bytes));
  expect((await rejection(unnamed.run({ a: tensorFromArray('float32', [[1, 2]]), b: tensorFromArray('float32', [[1, 2], [3, 4]]) }))).code).toBe('InvalidInput');
  await unnamed.close();
});

test('behavior: int64 inputs; a model whose warm-up fails at dynamic dims = 1 is ModelInvalid', async () => {
  const emb = embeddingModel({ vocab: 4, dim: 2, seed: 3 });
  const engine = await load(await writeModel(dir.file('emb.onnx'), emb.bytes), emb.spec);
  const { embeddings } = await engine.run({ tokens: tensorFromArray('int64', [[0, 3, 3]]) });
  expect(embeddings!.dims).toEqual([1, 3, 2]);
  const data = embeddings!.data as Float32Array;
  expect(Array.from(data.slice(2, 4))).toEqual(Array.from(data.slice(4, 6))); // same token, same row
  await engine.close();

  // Reshape [N, 4] to [3, -1]: fine for N = 3, impossible for the warm-up's N = 1.
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['N', 4]);
  g.op('Reshape', [x, g.int64s('shape', [3, -1])], {}, 'y');
  g.output('y', 'float32', [3, 'M']);
  const path = await writeModel(dir.file('reshape.onnx'), encodeModel(g.build()));
  const err = await rejection(load(path));
  expect(err.code).toBe('ModelInvalid');
  expect(err.message).toContain('warm-up');
  const cold = await InferenceEngine.load(path, { device: 'cpu', watch: false, warmup: false });
  expect((await cold.run({ x: new Tensor('float32', new Float32Array(12), [3, 4]) })).y!.dims).toEqual([3, 4]);
  await cold.close();
});

test('error: out-of-range options are InvalidOptions', async () => {
  for (const [options, option] of [[{ maxBatch: 0 }, 'maxBatch'], [{ maxDelayMs: -1 }, 'maxDelayMs'], [{ device: 'tpu' }, 'device'], [{ reloadDebounceMs: Infinity }, 'reloadDebounceMs']] as const) {
    expect(await rejection(InferenceEngine.load(mlpPath, { watch: false, ...(options as object) }))).toMatchObject({ code: 'InvalidOptions', details: { option } });
  }
});
