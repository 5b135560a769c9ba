/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { onnx } from 'onnx-proto';

import { EngineError, GraphBuilder, encodeModel, buildModelProto, embeddingModel, mlpModel, textLineModel, scaleModel, type ModelDef } from '../../../miner/engine';
import { expectThrownCode } from '../../helpers/expect-code';

const cpu = (bytes: Uint8Array): Promise<InferenceSession> => InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });

test('behavior: a written graph loads in onnxruntime with its names, dtypes and symbolic dims, and computes', async () => {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['batch', 3]);
  const w = g.initializer('w', Float32Array.of(1, 0, 0, 1, 2, 3), [3, 2]);
  const y = g.op('MatMul', [x, w]);
  g.op('Relu', [g.op('Add', [y, g.initializer('b', Float32Array.of(-10, 1), [2])])], {}, 'out');
  g.output('out', 'float32', ['batch', 2]);
  const session = await cpu(encodeModel(g.build()));
  expect(session.inputMetadata).toEqual([{ name: 'x', isTensor: true, type: 'float32', shape: ['batch', 3] }]);
  expect(session.outputMetadata).toEqual([{ name: 'out', isTensor: true, type: 'float32', shape: ['batch', 2] }]);
  const { out } = await session.run({ x: new Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]) });
  // [1,2,3]·w = [1+0+6, 0+2+9] = [7, 11] → +b → [-3, 12] → relu → [0, 12]; [4,5,6] → [4+12, 5+18] = [16, 23] → [6, 24]
  expect(Array.from(out!.data as Float32Array)).toEqual([0, 12, 6, 24]);
  await session.release();
});

test('behavior: opset 17, IR 8 and metadata are written; int64 initializers and int attributes round-trip', () => {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['N', 2, 2]);
  g.op('Reshape', [x, g.int64s('shape', [0, -1])], {}, 'flat');
  g.output('flat', 'float32', ['N', 4]);
  const proto = onnx.ModelProto.decode(encodeModel(g.build({ metadata: { run: 'r1' } })));
  expect(Number(proto.opsetImport[0]!.version)).toBe(17);
  expect(Number(proto.irVersion)).toBe(8);
  expect(proto.metadataProps).toEqual([expect.objectContaining({ key: 'run', value: 'r1' })]);
  const shape = proto.graph!.initializer![0]!;
  expect(shape.dataType).toBe(onnx.TensorProto.DataType.INT64);
  expect(Array.from(new BigInt64Array(Uint8Array.from(shape.rawData!).buffer))).toEqual([0n, -1n]);
  expect(proto.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['N', 2, 2]);
});

test('behavior: reference models are deterministic in their seed', () => {
  const a = mlpModel({ inputSize: 8, hidden: [16], outputSize: 4, seed: 7 }).bytes;
  expect(Buffer.from(mlpModel({ inputSize: 8, hidden: [16], outputSize: 4, seed: 7 }).bytes).equals(Buffer.from(a))).toBe(true);
  expect(Buffer.from(mlpModel({ inputSize: 8, hidden: [16], outputSize: 4, seed: 8 }).bytes).equals(Buffer.from(a))).toBe(false);
  expect(Buffer.from(textLineModel({ features: 2, seed: 1 }).bytes).equals(Buffer.from(textLineModel({ features: 2, seed: 1 }).bytes))).toBe(true);
});

test('behavior: reference models run with the shapes their specs declare', async () => {
  const cases: Array<{ model: ReturnType<typeof mlpModel>; feeds: Record<string, Tensor>; out: number[] }> = [
    { model: mlpModel({ inputSize: 5, hidden: [7, 3], outputSize: 4, seed: 1 }), feeds: { input: new Tensor('float32', new Float32Array(10).fill(0.5), [2, 5]) }, out: [2, 4] },
    { model: mlpModel({ inputSize: 5, outputSize: 4, dynamicBatch: false }), feeds: { input: new Tensor('float32', new Float32Array(5), [1, 5]) }, out: [1, 4] },
    { model: textLineModel({ features: 2, classes: 11 }), feeds: { image: new Tensor('float32', new Float32Array(2 * 3 * 48 * 320).fill(0.1), [2, 3, 48, 320]) }, out: [2, 80, 11] },
    { model: embeddingModel({ vocab: 5, dim: 3 }), feeds: { tokens: new Tensor('int64', BigInt64Array.of(0n, 4n, 2n, 1n, 1n, 3n), [2, 3]) }, out: [2, 3, 3] },
    { model: scaleModel({ factor: 3, size: 2 }), feeds: { x: new Tensor('float32', Float32Array.of(1, 2), [1, 2]) }, out: [1, 2] },
  ];
  for (const { model, feeds, out } of cases) {
    const session = await cpu(model.bytes);
    const outputName = model.spec.outputs[0]!.name;
    expect(session.inputMetadata.map((m) => m.name)).toEqual(model.spec.inputs.map((i) => i.name));
    const result = (await session.run(feeds))[outputName]!;
    expect(result.dims).toEqual(out);
    if (outputName === 'probabilities') {
      // Softmax rows sum to 1.
      const classes = out[out.length - 1]!;
      const data = result.data as Float32Array;
      for (let r = 0; r < data.length / classes; r++) {
        expect(data.slice(r * classes, (r + 1) * classes).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
    await session.release();
  }
});

test('error: inconsistent graphs are refused with InvalidGraph before serialization', () => {
  const base: ModelDef = { inputs: [{ name: 'x', dtype: 'float32', shape: [1] }], outputs: [{ name: 'y', dtype: 'float32', shape: [1] }], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] };
  expect(() => buildModelProto(base)).not.toThrow();
  const undefinedInput = expectThrownCode(() => encodeModel({ ...base, nodes: [{ op: 'Relu', inputs: ['nope'], outputs: ['y'] }] }), EngineError, 'InvalidGraph');
  expect(undefinedInput.message).toContain("input 'nope' is not defined");
  expectThrownCode(() => encodeModel({ ...base, nodes: [...base.nodes, { op: 'Relu', inputs: ['x'], outputs: ['y'] }] }), EngineError, 'InvalidGraph');
  expectThrownCode(() => encodeModel({ ...base, outputs: [{ name: 'z', dtype: 'float32', shape: [1] }] }), EngineError, 'InvalidGraph');
  const badData = expectThrownCode(() => encodeModel({ ...base, initializers: [{ name: 'w', dims: [2, 2], data: new Float32Array(3) }] }), EngineError, 'InvalidGraph');
  expect(badData.message).toContain('hold 4 elements, data has 3');
  expectThrownCode(() => encodeModel({ ...base, nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'], attributes: { k: { int: 1.5 } } }] }), EngineError, 'InvalidGraph');
  expectThrownCode(() => encodeModel({ ...base, inputs: [{ name: 'x', dtype: 'float32', shape: [-1] }] }), EngineError, 'InvalidGraph');
  expectThrownCode(() => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [1]);
    g.op('Relu', ['x'], {}, 'x');
  }, EngineError, 'InvalidGraph');
});
