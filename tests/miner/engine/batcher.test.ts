/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { Tensor } from 'onnxruntime-node';

import { silentLogger } from '../../../common/logger';
import { Batcher } from '../../../miner/engine/batcher';
import { EngineError, type Feeds, type Results } from '../../../miner/engine';
import { recordingMetrics, rejection } from './helpers';

/** A runner whose runs stay pending until released, so a test controls when a batch "finishes". */
function gatedRunner(): { run: (feeds: Feeds) => Promise<Results>; calls: Feeds[]; finish: (i: number) => void; failOn?: number } {
  const gates: Array<() => void> = [];
  const calls: Feeds[] = [];
  const state = {
    calls,
    failOn: undefined as number | undefined,
    run: (feeds: Feeds): Promise<Results> => {
      calls.push(feeds);
      return new Promise<Results>((resolve, reject) => {
        gates.push(() => {
          const x = feeds.x!.data as Float32Array;
          if (state.failOn !== undefined && x.includes(state.failOn)) reject(new Error(`poisoned row ${state.failOn}`));
          else resolve({ y: new Tensor('float32', x.map((v) => v * 10), [...feeds.x!.dims]) });
        });
      });
    },
    finish: (i: number) => gates[i]!(),
  };
  return state;
}

const row = (v: number): Feeds => ({ x: new Tensor('float32', Float32Array.of(v), [1, 1]) });
const values = (r: Results): number[] => Array.from(r.y!.data as Float32Array);
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('behavior: while a batch runs, queued requests go out when it finishes', async () => {
  const runner = gatedRunner();
  const metrics = recordingMetrics();
  const b = new Batcher({ maxBatch: 8, maxDelayMs: 60_000, run: runner.run, metrics, logger: silentLogger });
  const first = b.submit(row(1));
  await tick();
  expect(runner.calls.length).toBe(1);
  const rest = [b.submit(row(2)), b.submit(row(3))];
  await tick();
  expect(runner.calls.length).toBe(1); // waiting for the running batch (the delay is a minute)
  runner.finish(0);
  expect(values(await first)).toEqual([10]);
  await tick();
  await tick(); // the finished batch's bookkeeping, then the dispatch it scheduled
  expect(runner.calls.length).toBe(2);
  runner.finish(1);
  expect((await Promise.all(rest)).map(values)).toEqual([[20], [30]]);
  expect(metrics.batchSizes).toEqual([1, 2]);
});

test('behavior: or once the oldest queued request has waited maxDelayMs, even though a batch still runs', async () => {
  const runner = gatedRunner();
  const b = new Batcher({ maxBatch: 8, maxDelayMs: 30, run: runner.run, metrics: null, logger: silentLogger });
  const first = b.submit(row(1));
  await tick();
  const queuedAt = performance.now();
  const second = b.submit(row(2));
  while (runner.calls.length < 2) await new Promise((r) => setTimeout(r, 5));
  expect(performance.now() - queuedAt).toBeGreaterThanOrEqual(25);
  expect(b.runningBatches).toBe(2);
  runner.finish(1);
  runner.finish(0);
  expect(values(await second)).toEqual([20]);
  expect(values(await first)).toEqual([10]);
});

test('behavior: with onlyFullBatchesAhead (the engine), only a full batch is queued behind the running one; a partial one waits for it', async () => {
  const runner = gatedRunner();
  const metrics = recordingMetrics();
  const b = new Batcher({ maxBatch: 2, maxDelayMs: 0, maxRunsInFlight: 2, onlyFullBatchesAhead: true, run: runner.run, metrics, logger: silentLogger });
  const first = b.submit(row(1));
  await tick();
  expect(runner.calls.length).toBe(1);
  const second = b.submit(row(2));
  await new Promise((r) => setTimeout(r, 20));
  expect(runner.calls.length).toBe(1); // partial: no timer sends it out early, although maxDelayMs is 0
  const third = b.submit(row(3));
  expect(runner.calls.length).toBe(2); // now full: queued at once behind the running batch
  const fourth = b.submit(row(4));
  expect(b.runningBatches).toBe(2);
  runner.finish(0);
  expect(values(await first)).toEqual([10]);
  await tick();
  await tick();
  expect(runner.calls.length).toBe(2); // a full batch still runs: the partial one keeps waiting (and gathering)
  runner.finish(1);
  expect((await Promise.all([second, third])).map(values)).toEqual([[20], [30]]);
  await tick();
  await tick();
  expect(runner.calls.length).toBe(3);
  runner.finish(2);
  expect(values(await fourth)).toEqual([40]);
  expect(metrics.batchSizes).toEqual([1, 2, 1]);
});

test('behavior: a failed merged run is retried request by request, so only the bad request fails', async () => {
  const runner = gatedRunner();
  runner.failOn = 3;
  const b = new Batcher({ maxBatch: 8, maxDelayMs: 1, run: runner.run, metrics: null, logger: silentLogger });
  const results = [1, 2, 3, 4].map((v) => b.submit(row(v)));
  const settle = Promise.allSettled(results);
  for (let i = 0; i < 5; i++) {
    while (runner.calls.length <= i) await tick();
    runner.finish(i); // the merged run, then the four retries
  }
  const outcomes = await settle;
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect(values((outcomes[3] as PromiseFulfilledResult<Results>).value)).toEqual([40]);
  expect(runner.calls.map((f) => f.x!.dims[0])).toEqual([4, 1, 1, 1, 1]);
});

test('behavior: drain resolves once nothing is queued or running; an output that is not per-row fails the merged split', async () => {
  const b = new Batcher({
    maxBatch: 8,
    maxDelayMs: 1,
    // Returns one row whatever the batch: merged results cannot be split, so each request is retried alone.
    run: async (feeds) => ({ y: new Tensor('float32', Float32Array.of((feeds.x!.data as Float32Array)[0]!), [1, 1]) }),
    metrics: null,
    logger: silentLogger,
  });
  const results = Promise.all([b.submit(row(5)), b.submit(row(6))]);
  await b.drain();
  expect(b.queued).toBe(0);
  expect((await results).map(values)).toEqual([[5], [6]]);
  const failing = new Batcher({ maxBatch: 8, maxDelayMs: 1, run: async () => { throw new EngineError('InferenceFailed', 'boom'); }, metrics: null, logger: silentLogger });
  expect(await rejection(failing.submit(row(1)))).toMatchObject({ code: 'InferenceFailed' });
});
