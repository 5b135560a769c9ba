/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { copyFile, writeFile } from 'node:fs/promises';
import { Tensor } from 'onnxruntime-node';

import { InferenceEngine, scaleModel, type ReloadEvent } from '../../../miner/engine';
import { ModelInstance } from '../../../miner/engine/model-instance';
import { nextReload, recordingLogger, recordingMetrics, replaceAtomically, tempDir, writeModel } from './helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const x = (v: number): Record<string, Tensor> => ({ x: new Tensor('float32', Float32Array.of(v, v, v, v), [1, 4]) });
/** The factor a scale model applied (y / x). */
const factorOf = async (p: Promise<Record<string, Tensor>>, v: number): Promise<number> => (await p).y!.data[0] as number / v;

interface Sample { start: number; end: number; factor?: number; error?: unknown }

/** `clients` loops issuing requests back to back until `stop()`; returns every request's timing and outcome. */
function load(engine: InferenceEngine, clients: number): { stop: () => Promise<Sample[]> } {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = 1; running; i++) {
      const v = c * 1000 + i;
      const sample: Sample = { start: performance.now(), end: 0 };
      try {
        sample.factor = await factorOf(engine.run(x(v)), v);
      } catch (err) {
        sample.error = err;
      }
      sample.end = performance.now();
      samples.push(sample);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return samples;
    },
  };
}

test('behavior: replacing the file (rename over it) while requests flow: none fails, later ones see the new model', async () => {
  const path = await writeModel(dir.file('hot.onnx'), scaleModel({ factor: 2 }).bytes);
  const metrics = recordingMetrics();
  const engine = await InferenceEngine.load(path, { device: 'cpu', reloadDebounceMs: 50, metrics });
  const traffic = load(engine, 4);
  await new Promise((r) => setTimeout(r, 50));
  const reloaded = nextReload(engine);
  await replaceAtomically(path, scaleModel({ factor: 3 }).bytes);
  const event = await reloaded;
  const swappedAt = performance.now();
  await new Promise((r) => setTimeout(r, 50));
  const samples = await traffic.stop();

  expect(event).toMatchObject({ ok: true, changed: true, model: { version: 2 } });
  expect(samples.filter((s) => s.error !== undefined)).toEqual([]);
  expect(samples.every((s) => s.factor === 2 || s.factor === 3)).toBe(true);
  expect(samples.filter((s) => s.start > swappedAt).every((s) => s.factor === 3)).toBe(true);
  expect(samples.some((s) => s.factor === 2)).toBe(true);
  expect(samples.filter((s) => s.start > swappedAt).length).toBeGreaterThan(0);
  // Requests that were in flight when the new model was swapped in completed too.
  expect(samples.filter((s) => s.start < swappedAt && s.end > swappedAt).length).toBeGreaterThan(0);
  expect(metrics.reloads).toEqual([true]);
  expect(engine.model.version).toBe(2);
  await engine.close();
});

test('behavior: an in-place overwrite (cp over the file) also reloads', async () => {
  const path = await writeModel(dir.file('cp.onnx'), scaleModel({ factor: 2 }).bytes);
  const source = await writeModel(dir.file('cp-source.bin'), scaleModel({ factor: 5 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', reloadDebounceMs: 50 });
  const reloaded = nextReload(engine);
  await copyFile(source, path);
  expect(await reloaded).toMatchObject({ ok: true, changed: true });
  expect(await factorOf(engine.run(x(1)), 1)).toBe(5);
  await engine.close();
});

test('behavior: a reload that fails keeps the old model serving, logs the error and tells listeners', async () => {
  const path = await writeModel(dir.file('bad.onnx'), scaleModel({ factor: 2 }).bytes);
  const metrics = recordingMetrics();
  const logger = recordingLogger();
  const engine = await InferenceEngine.load(path, { device: 'cpu', reloadDebounceMs: 50, metrics, logger });
  const events: ReloadEvent[] = [];
  engine.onReload((e) => events.push(e));

  let reloaded = nextReload(engine);
  await replaceAtomically(path, new TextEncoder().encode('not a model'));
  expect(await reloaded).toMatchObject({ ok: false, error: { code: 'ModelInvalid' } });
  expect(await factorOf(engine.run(x(3)), 3)).toBe(2);

  // A valid model with another interface ([N, 5] instead of [N, 4]) is refused against the served one.
  reloaded = nextReload(engine);
  await replaceAtomically(path, scaleModel({ factor: 3, size: 5 }).bytes);
  const mismatch = await reloaded;
  expect(mismatch).toMatchObject({ ok: false, error: { code: 'ModelSpecMismatch', details: { tensor: 'x', field: 'shape' } } });
  expect(mismatch.ok || mismatch.error.message).toContain('the model being served');
  expect(await factorOf(engine.run(x(3)), 3)).toBe(2);

  reloaded = nextReload(engine);
  await replaceAtomically(path, scaleModel({ factor: 4 }).bytes);
  expect(await reloaded).toMatchObject({ ok: true, changed: true, model: { version: 2 } });
  expect(await factorOf(engine.run(x(3)), 3)).toBe(4);

  expect(events.map((e) => e.ok)).toEqual([false, false, true]);
  expect(metrics.reloads).toEqual([false, false, true]);
  const errors = logger.entries.filter((e) => e.level === 'error');
  expect(errors.map((e) => e.context?.code)).toEqual(['ModelInvalid', 'ModelSpecMismatch']);
  expect(errors[0]!.message).toContain('previous model keeps serving');
  await engine.close();
});

test('behavior: explicit reload() with requests pending; unchanged content is a no-op; the spec is enforced on reload', async () => {
  const model = scaleModel({ factor: 2 });
  const path = await writeModel(dir.file('explicit.onnx'), model.bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false, spec: model.spec });
  expect(await engine.reload()).toMatchObject({ ok: true, changed: false, model: { version: 1 } });

  await writeFile(path, scaleModel({ factor: 7 }).bytes);
  const before = Array.from({ length: 10 }, (_, i) => factorOf(engine.run(x(i + 1)), i + 1));
  const event = await engine.reload();
  const after = await Promise.all(Array.from({ length: 5 }, (_, i) => factorOf(engine.run(x(i + 1)), i + 1)));
  expect(event).toMatchObject({ ok: true, changed: true, model: { version: 2 } });
  for (const f of await Promise.all(before)) expect([2, 7]).toContain(f);
  expect(after).toEqual([7, 7, 7, 7, 7]);

  await writeFile(path, scaleModel({ factor: 7, size: 5 }).bytes);
  const refused = await engine.reload();
  expect(refused).toMatchObject({ ok: false, error: { code: 'ModelSpecMismatch' } });
  expect(refused.ok || refused.error.message).toContain('the spec says');
  expect(engine.model.version).toBe(2);
  await engine.close();
});

test('behavior: a retired model instance releases its session only after its in-flight runs finish', async () => {
  const released: string[] = [];
  let finishRun: () => void = () => undefined;
  const session = {
    run: () => new Promise<Record<string, Tensor>>((resolve) => (finishRun = () => resolve({}))),
    release: async () => void released.push('released'),
  };
  const instance = new ModelInstance(session, { inputs: [], outputs: [] }, { path: 'p', sha256: 's', version: 1, loadedAt: new Date() });
  const running = instance.run({});
  const retired = instance.retire();
  await new Promise((r) => setTimeout(r, 10));
  expect(released).toEqual([]); // still running
  expect(instance.runsInFlight).toBe(1);
  finishRun();
  await running;
  await retired;
  expect(released).toEqual(['released']);
  expect(instance.retire()).toBe(retired);
  await expect(instance.run({})).rejects.toMatchObject({ code: 'EngineClosed' });
});
