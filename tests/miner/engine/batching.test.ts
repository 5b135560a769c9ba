/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { Tensor } from 'onnxruntime-node';

import { InferenceEngine, embeddingModel, mlpModel, pairModel, textLineModel, tensorFromArray, type ReferenceModel, type Results } from '../../../miner/engine';
import { floatRows, recordingMetrics, rejection, tempDir, writeModel } from './helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

async function engineFor(name: string, model: ReferenceModel, options: Parameters<typeof InferenceEngine.load>[1] = {}): Promise<{ engine: InferenceEngine; metrics: ReturnType<typeof recordingMetrics> }> {
  const metrics = recordingMetrics();
  const path = await writeModel(dir.file(`${name}.onnx`), model.bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false, intraOpNumThreads: 1, metrics, spec: model.spec, ...options });
  metrics.batchSizes.length = 0; // the warm-up does not go through the batcher; start clean anyway
  return { engine, metrics };
}

/** Tensor contents as plain arrays, for exact comparison. */
function plain(results: Results): Record<string, { dims: readonly number[]; data: number[] }> {
  return Object.fromEntries(Object.entries(results).map(([k, t]) => [k, { dims: t.dims, data: Array.from(t.data as Float32Array) }]));
}

// Tolerance: none. On the CPU provider each output element of these models is reduced in the same order
// whatever the batch size (MLAS GEMM/conv kernels partition rows, not the reduction), so a request's rows
// in a batch are bit-identical to the request run alone. The test compares exactly.
test('behavior: concurrent requests merge into one run and each gets exactly its result alone', async () => {
  for (const [name, model, rowShape] of [
    ['mlp', mlpModel({ inputSize: 16, hidden: [32, 16], outputSize: 5, seed: 21 }), [16]],
    ['text', textLineModel({ features: 4, classes: 13, seed: 5 }), [3, 48, 320]],
  ] as const) {
    const { engine, metrics } = await engineFor(name, model);
    const inputName = model.spec.inputs[0]!.name;
    const rows = [1, 3, 1, 2, 1, 4, 1, 1]; // requests of several rows, 14 rows in all
    const feeds = rows.map((r, i) => ({ [inputName]: floatRows(r, rowShape, i + 1) }));
    const alone: Array<ReturnType<typeof plain>> = [];
    for (const f of feeds) alone.push(plain(await engine.runUnbatched(f)));
    const batchesBefore = metrics.inferences.length;
    const together = await Promise.all(feeds.map((f) => engine.run(f)));
    expect(metrics.batchSizes).toEqual([14]); // one merged run of all rows
    expect(metrics.inferences.length - batchesBefore).toBe(1);
    together.forEach((result, i) => expect(plain(result)).toEqual(alone[i]));
    // The merged feeds are moved to the inference thread, never the callers' own: theirs stay readable.
    feeds.forEach((f, i) => expect(Array.from((f[inputName]!.data as Float32Array).subarray(0, 3))).toEqual(Array.from((floatRows(rows[i]!, rowShape, i + 1).data as Float32Array).subarray(0, 3))));
    await engine.close();
  }
});

test('behavior: every input is concatenated and every output split (two inputs, two outputs)', async () => {
  const { engine, metrics } = await engineFor('pair', pairModel({ size: 3 }));
  const requests = [1, 2, 3].map((r, i) => ({ a: floatRows(r, [3], i), b: floatRows(r, [3], i + 10) }));
  const results = await Promise.all(requests.map((f) => engine.run(f)));
  expect(metrics.batchSizes).toEqual([6]);
  results.forEach((res, i) => {
    const a = requests[i]!.a.data as Float32Array;
    const b = requests[i]!.b.data as Float32Array;
    expect(res.sum!.dims).toEqual([i + 1, 3]);
    expect(Array.from(res.sum!.data as Float32Array)).toEqual(Array.from(a, (v, j) => Math.fround(v + b[j]!)));
    expect(Array.from(res.product!.data as Float32Array)).toEqual(Array.from(a, (v, j) => Math.fround(v * b[j]!)));
  });
  await engine.close();
});

test('behavior: batches hold at most maxBatch rows, in arrival order; a larger request runs alone', async () => {
  const { engine, metrics } = await engineFor('mlp-max', mlpModel({ inputSize: 4, outputSize: 2, seed: 2 }), { maxBatch: 4 });
  const rows = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 6, 1];
  const feeds = rows.map((r, i) => ({ input: floatRows(r, [4], i) }));
  const results = await Promise.all(feeds.map((f) => engine.run(f)));
  expect(metrics.batchSizes).toEqual([4, 4, 2, 6, 1]);
  for (let i = 0; i < feeds.length; i++) expect(plain(results[i]!)).toEqual(plain(await engine.runUnbatched(feeds[i]!)));
  await engine.close();
});

test('behavior: requests whose other dims differ are not merged with each other (int64 tokens of different lengths)', async () => {
  const { engine, metrics } = await engineFor('emb', embeddingModel({ vocab: 6, dim: 3, seed: 4 }));
  const short = (t: number): Record<string, Tensor> => ({ tokens: tensorFromArray('int64', [[t, t + 1]]) });
  const long = (t: number): Record<string, Tensor> => ({ tokens: tensorFromArray('int64', [[t, t, t]]) });
  const feeds = [short(0), long(1), short(2), long(3), short(4)];
  const results = await Promise.all(feeds.map((f) => engine.run(f)));
  expect([...metrics.batchSizes].sort()).toEqual([2, 3]); // the T=2 requests together, the T=3 ones together
  for (let i = 0; i < feeds.length; i++) expect(plain(results[i]!)).toEqual(plain(await engine.runUnbatched(feeds[i]!)));
  await engine.close();
});

test('behavior: a model without a dynamic batch dim bypasses the batcher (one run per request)', async () => {
  const model = mlpModel({ inputSize: 4, outputSize: 3, dynamicBatch: false, seed: 9 });
  const { engine, metrics } = await engineFor('fixed', model);
  expect(engine.batching).toBe(false);
  const feeds = [0, 1, 2, 3].map((i) => ({ input: floatRows(1, [4], i) }));
  const results = await Promise.all(feeds.map((f) => engine.run(f)));
  expect(metrics.batchSizes).toEqual([]);
  expect(metrics.inferences.length).toBe(4);
  for (let i = 0; i < feeds.length; i++) expect(plain(results[i]!)).toEqual(plain(await engine.runUnbatched(feeds[i]!)));
  expect((await rejection(engine.run({ input: floatRows(2, [4]) }))).code).toBe('InvalidInput');
  await engine.close();
  // maxBatch 1 turns batching off for batchable models too.
  const off = await engineFor('off', mlpModel({ inputSize: 4, outputSize: 3 }), { maxBatch: 1 });
  expect(off.engine.batching).toBe(false);
  await off.engine.close();
});

test('behavior: a lone request waits for no timer (no added latency at concurrency 1)', async () => {
  const { engine, metrics } = await engineFor('lone', mlpModel({ inputSize: 4, outputSize: 2 }), { maxDelayMs: 5_000 });
  const started = performance.now();
  for (let i = 0; i < 5; i++) await engine.run({ input: floatRows(1, [4], i) });
  expect(performance.now() - started).toBeLessThan(1_000); // a 5 s delay per request would show
  expect(metrics.batchSizes).toEqual([1, 1, 1, 1, 1]);
  await engine.close();
});

test('behavior: requests arriving while a batch runs go together in the next batch', async () => {
  const { engine, metrics } = await engineFor('waves', textLineModel({ features: 4, classes: 7 }), { maxDelayMs: 1_000 });
  const first = engine.run({ image: floatRows(1, [3, 48, 320], 1) });
  await new Promise((r) => setImmediate(r)); // the first batch is dispatched (running)
  const later = [2, 3, 4].map((i) => engine.run({ image: floatRows(1, [3, 48, 320], i) }));
  await Promise.all([first, ...later]);
  expect(metrics.batchSizes).toEqual([1, 3]);
  await engine.close();
});

test('behavior: an aborted request still queued is removed and rejects Aborted; the others are unaffected', async () => {
  const { engine, metrics } = await engineFor('abort', mlpModel({ inputSize: 4, outputSize: 2, seed: 3 }));
  const controller = new AbortController();
  const keep1 = engine.run({ input: floatRows(1, [4], 1) });
  const dropped = engine.run({ input: floatRows(5, [4], 2) }, { signal: controller.signal });
  const keep2 = engine.run({ input: floatRows(1, [4], 3) });
  expect(metrics.queueDepths.at(-1)).toBe(3);
  controller.abort(new Error('client went away'));
  expect(metrics.queueDepths.at(-1)).toBe(2);
  const err = await rejection(dropped);
  expect(err).toMatchObject({ code: 'Aborted', details: { reason: 'client went away' } });
  await Promise.all([keep1, keep2]);
  expect(metrics.batchSizes).toEqual([2]); // the aborted request's 5 rows never ran
  // Already aborted: rejected without queueing.
  expect((await rejection(engine.run({ input: floatRows(1, [4]) }, { signal: AbortSignal.abort() }))).code).toBe('Aborted');
  expect((await rejection(engine.runUnbatched({ input: floatRows(1, [4]) }, { signal: AbortSignal.abort() }))).code).toBe('Aborted');
  expect(metrics.batchSizes).toEqual([2]);
  await engine.close();
});

test('behavior: a request aborted while its batch runs rejects Aborted at once; its batch-mates get their results', async () => {
  const { engine, metrics } = await engineFor('abort-running', textLineModel({ features: 4, classes: 7 }));
  const controller = new AbortController();
  const a = engine.run({ image: floatRows(1, [3, 48, 320], 1) }, { signal: controller.signal });
  const b = engine.run({ image: floatRows(1, [3, 48, 320], 2) });
  await new Promise((r) => setImmediate(r)); // dispatched: the run is in flight
  expect(metrics.batchSizes).toEqual([2]);
  controller.abort();
  expect((await rejection(a)).code).toBe('Aborted');
  expect((await b).probabilities!.dims).toEqual([1, 80, 7]);
  // Unbatched runs discard their result the same way.
  const c = new AbortController();
  const direct = engine.runUnbatched({ image: floatRows(1, [3, 48, 320], 3) }, { signal: c.signal });
  c.abort();
  expect((await rejection(direct)).code).toBe('Aborted');
  await engine.close();
});
