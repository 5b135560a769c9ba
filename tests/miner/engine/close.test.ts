/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { InferenceEngine, mlpModel, scaleModel, textLineModel, type ReloadEvent } from '../../../miner/engine';
import { floatRows, rejection, replaceAtomically, tempDir, writeModel } from './helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

test('behavior: close lets queued and running requests finish, then later runs reject EngineClosed', async () => {
  const path = await writeModel(dir.file('close.onnx'), textLineModel({ features: 4, classes: 5 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false });
  const running = engine.run({ image: floatRows(1, [3, 48, 320], 1) });
  await new Promise((r) => setImmediate(r)); // dispatched
  const queued = [2, 3].map((i) => engine.run({ image: floatRows(1, [3, 48, 320], i) }));
  const direct = engine.runUnbatched({ image: floatRows(2, [3, 48, 320], 4) });
  const closing = engine.close();
  expect(engine.closed).toBe(true);
  expect(engine.close()).toBe(closing); // idempotent
  expect((await rejection(engine.run({ image: floatRows(1, [3, 48, 320]) }))).code).toBe('EngineClosed');
  expect((await rejection(engine.runUnbatched({ image: floatRows(1, [3, 48, 320]) }))).code).toBe('EngineClosed');
  const results = await Promise.all([running, ...queued, direct]);
  expect(results.map((r) => r.probabilities!.dims[0])).toEqual([1, 1, 1, 2]);
  await closing;
  expect((await engine.reload())).toMatchObject({ ok: false, error: { code: 'EngineClosed' } });
});

test('behavior: a closed engine stops watching its file', async () => {
  const path = await writeModel(dir.file('unwatched.onnx'), scaleModel({ factor: 2 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', reloadDebounceMs: 20 });
  const events: ReloadEvent[] = [];
  engine.onReload((e) => events.push(e));
  await engine.close();
  await replaceAtomically(path, scaleModel({ factor: 3 }).bytes);
  await new Promise((r) => setTimeout(r, 200));
  expect(events).toEqual([]);
});

test('behavior: an unsubscribed reload listener hears nothing more', async () => {
  const path = await writeModel(dir.file('listener.onnx'), mlpModel({ inputSize: 2, outputSize: 2 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false });
  const events: ReloadEvent[] = [];
  const off = engine.onReload((e) => events.push(e));
  await engine.reload();
  off();
  await engine.reload();
  expect(events.length).toBe(1);
  await engine.close();
});
