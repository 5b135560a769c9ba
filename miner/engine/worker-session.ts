/**
 * A CPU session that runs in a worker thread. onnxruntime-node's `session.run` executes synchronously on
 * the calling thread (its promise only defers the start to `setImmediate`), so on the main thread every
 * inference blocks the event loop for its whole duration: an axon could not read, verify or answer
 * requests while a 20 ms model runs. In a worker the model computes while the main thread serves HTTP.
 * Results are bit-identical (the same onnxruntime, the same session options).
 *
 * The worker's code is a plain JavaScript string (no build step: it runs the same under ts-jest and from
 * `dist/`); it only opens the session, runs what it is sent and posts the outputs back, transferring
 * their buffers.
 */
import { Worker } from 'node:worker_threads';
import { Tensor } from 'onnxruntime-node';
import { EngineError, errorMessage } from './errors';
import type { Feeds, Results } from './feeds';
import type { RunnableSession } from './model-instance';

const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ort);
ort.InferenceSession.create(workerData.bytes, workerData.options).then((session) => {
  parentPort.on('message', (msg) => {
    if (msg.release) {
      session.release().then(() => parentPort.postMessage({ released: true }));
      return;
    }
    const feeds = {};
    for (const [name, t] of Object.entries(msg.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    session.run(feeds).then((out) => {
      const results = {};
      const transfer = [];
      for (const [name, t] of Object.entries(out)) {
        results[name] = { type: t.type, data: t.data, dims: t.dims };
        if (t.data.buffer instanceof ArrayBuffer) transfer.push(t.data.buffer);
      }
      parentPort.postMessage({ id: msg.id, results }, transfer);
    }, (err) => parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) }));
  });
  parentPort.postMessage({ ready: true });
}, (err) => parentPort.postMessage({ failed: String((err && err.message) || err) }));
`;

interface WireTensor {
  readonly type: Tensor.Type;
  readonly data: Tensor.DataType;
  readonly dims: readonly number[];
}

type Reply = { id: number; results?: Record<string, WireTensor>; error?: string };

/** Opens `bytes` with `options` (onnxruntime session options) in a new worker thread. @throws EngineError `ModelInvalid` */
export async function openWorkerSession(bytes: Uint8Array, options: Record<string, unknown>, source: string): Promise<RunnableSession> {
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { ort: require.resolve('onnxruntime-node'), bytes, options } });
  const pending = new Map<number, { resolve: (r: Results) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  const failAll = (err: Error): void => {
    dead = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: { ready?: boolean; failed?: string }): void => {
      worker.off('error', onError);
      if (msg.ready) resolve();
      else reject(new EngineError('ModelInvalid', `${source}: onnxruntime cannot load the model in the inference thread: ${msg.failed}`, { path: source }));
    };
    const onError = (err: Error): void => reject(new EngineError('ModelInvalid', `${source}: the inference thread failed: ${errorMessage(err)}`, { path: source }, { cause: err }));
    worker.once('message', onMessage);
    worker.once('error', onError);
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  // An idle worker must not keep the process alive, a busy one must (or an awaited run would be dropped).
  const track = (): void => {
    if (pending.size > 0) worker.ref();
    else worker.unref();
  };
  worker.on('message', (msg: Reply) => {
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    track();
    if (msg.error !== undefined || msg.results === undefined) {
      p.reject(new Error(msg.error ?? 'the inference thread answered without results'));
      return;
    }
    const results: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(msg.results)) results[name] = new Tensor(t.type, t.data as never, t.dims);
    p.resolve(results as Results);
  });
  worker.on('error', (err) => failAll(new EngineError('InferenceFailed', `the inference thread failed: ${errorMessage(err)}`, {}, { cause: err })));
  worker.on('exit', () => failAll(new EngineError('EngineClosed', 'the inference thread has exited')));
  worker.unref();

  const post = (feeds: Feeds, owned: boolean): Promise<Results> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    const wire: Record<string, WireTensor> = {};
    // Feeds no caller holds any more (a merged batch) are moved to the worker, not copied: 64 rows of 784
    // floats take ~0.1-0.3 ms to clone and ~15 µs to transfer.
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      wire[name] = { type: t.type, data: t.data, dims: t.dims };
      const data = t.data as ArrayBufferView | string[];
      if (owned && ArrayBuffer.isView(data) && data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !transfer.includes(data.buffer)) {
        transfer.push(data.buffer);
      }
    }
    return new Promise<Results>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      track();
      worker.postMessage({ id, feeds: wire }, transfer);
    });
  };

  return {
    run(feeds: Feeds): Promise<Results> {
      return post(feeds, false);
    },
    runOwned(feeds: Feeds): Promise<Results> {
      return post(feeds, true);
    },
    async release(): Promise<void> {
      if (dead) return;
      worker.ref();
      await new Promise<void>((resolve) => {
        const onReleased = (msg: { released?: boolean }): void => {
          if (msg.released) {
            worker.off('message', onReleased);
            resolve();
          }
        };
        worker.on('message', onReleased);
        worker.postMessage({ release: true });
      });
      await worker.terminate();
    },
  };
}
