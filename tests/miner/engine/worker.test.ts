/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { InferenceSession, Tensor } from 'onnxruntime-node';

import { InferenceEngine, mlpModel, type Results } from '../../../miner/engine';
import { tempDir, writeModel } from './helpers';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const model = mlpModel({ inputSize: 64, hidden: [2048, 2048], outputSize: 8, dynamicBatch: true, seed: 5 });
const feeds = (rows = 2) => ({ input: new Tensor('float32', Float32Array.from({ length: rows * 64 }, (_, i) => ((i * 13) % 17) / 17), [rows, 64]) });
const bits = (r: Results) => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, Buffer.from((t.data as Float32Array).buffer, (t.data as Float32Array).byteOffset, (t.data as Float32Array).byteLength).toString('hex')]));

/**
 * onnxruntime-node's `run` executes on the calling thread: a callback queued right after starting a run
 * on the main thread only gets to run once the inference is over. In the worker the event loop is free.
 */
async function loopFreeDuringRun(engine: InferenceEngine): Promise<boolean> {
  // The immediate runs in the check phase after this turn's poll phase, which could already deliver the
  // worker's answer if the main thread were descheduled for longer than the run (a loaded machine). A
  // 256-row batch keeps the run at ~1 G multiply-adds (hundreds of ms), far beyond such a stall.
  let fired = false;
  const run = engine.runUnbatched(feeds(256));
  setImmediate(() => (fired = true));
  await run;
  return fired;
}

test('behavior: CPU inference runs in a worker thread, leaving the event loop free, with bit-identical results', async () => {
  const path = await writeModel(dir.file('mlp.onnx'), model.bytes);
  const inWorker = await InferenceEngine.load(path, { device: 'cpu', watch: false });
  const onMain = await InferenceEngine.load(path, { device: 'cpu', watch: false, worker: false });
  try {
    expect(await loopFreeDuringRun(inWorker)).toBe(true);
    expect(await loopFreeDuringRun(onMain)).toBe(false);
    const direct = await (await InferenceSession.create(model.bytes)).run(feeds());
    expect(bits(await inWorker.run(feeds()))).toEqual(bits(direct));
    expect(bits(await onMain.run(feeds()))).toEqual(bits(direct));
  } finally {
    await inWorker.close();
    await onMain.close();
  }
});

test('error: a run after close is refused, and the worker does not keep the process alive', async () => {
  const path = await writeModel(dir.file('mlp2.onnx'), model.bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false });
  await engine.close();
  await expect(engine.run(feeds())).rejects.toMatchObject({ code: 'EngineClosed' });
});

test('behavior: in a plain process (no test runner keeping it alive) a load, a run and a close complete and the process exits', async () => {
  // Runs the compiled engine (`npm test` builds dist/ first): an idle inference thread must not hold the
  // process open, and a pending run must.
  const { execFile } = await import('node:child_process');
  const { join } = await import('node:path');
  const path = await writeModel(dir.file('plain.onnx'), model.bytes);
  const script = `
    const { InferenceEngine } = require(${JSON.stringify(join(__dirname, '../../../dist/miner/engine'))});
    const { Tensor } = require('onnxruntime-node');
    (async () => {
      const engine = await InferenceEngine.load(${JSON.stringify(path)}, { device: 'cpu', watch: false });
      const out = await engine.run({ input: new Tensor('float32', new Float32Array(64).fill(0.5), [1, 64]) });
      await engine.close();
      console.log('ok', out.probabilities.dims.join('x'));
    })();`;
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '../../..'), timeout: 30_000 }, (err, out) => (err ? reject(err) : resolve(out))),
  );
  expect(stdout.trim()).toBe('ok 1x8');
});
