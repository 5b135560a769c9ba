import { AdmissionRefused, PriorityScheduler } from '../../miner/axon';

test('default: runs up to maxConcurrent at once, then serves the queue by priority, then arrival', async () => {
  const s = new PriorityScheduler({ maxConcurrent: 1, maxPerCaller: 10, initialServiceMs: 1 });
  const started: string[] = [];
  const first = await s.acquire({ caller: 'a', priority: 1, deadline: Infinity });
  const wait = (caller: string, priority: number) => s.acquire({ caller, priority, deadline: Infinity }).then((slot) => {
    started.push(caller);
    slot.release();
  });
  const all = Promise.all([wait('low1', 1), wait('high', 100), wait('low2', 1), wait('mid', 50)]);
  expect(s.queued).toBe(4);
  first.release();
  await all;
  expect(started).toEqual(['high', 'mid', 'low1', 'low2']);
});

test('behavior: the per-caller bound lets another caller start', async () => {
  const s = new PriorityScheduler({ maxConcurrent: 2, maxPerCaller: 1 });
  const a = await s.acquire({ caller: 'a', priority: 9, deadline: Infinity });
  const a2 = s.acquire({ caller: 'a', priority: 9, deadline: Infinity });
  const b = await s.acquire({ caller: 'b', priority: 1, deadline: Infinity });
  expect(s.inFlight).toBe(2);
  b.release();
  a.release();
  (await a2).release();
  expect(s.inFlight).toBe(0);
});

test('error: refused at once when the expected wait exceeds the deadline; expired while queued', async () => {
  let t = 0;
  const s = new PriorityScheduler({ maxConcurrent: 1, initialServiceMs: 100, now: () => t });
  const busy = await s.acquire({ caller: 'a', priority: 1, deadline: Infinity });
  await expect(s.acquire({ caller: 'b', priority: 1, deadline: 50 })).rejects.toMatchObject({ reason: 'Saturated' });
  const queued = s.acquire({ caller: 'c', priority: 1, deadline: 150 });
  t = 10; // the deadline timer is real: 150 ms from enqueueing
  await expect(queued).rejects.toMatchObject({ reason: 'Expired' });
  expect(s.queued).toBe(0);
  busy.release();
});

test('behavior: a full queue gives a higher-priority newcomer the place of the lowest', async () => {
  const s = new PriorityScheduler({ maxConcurrent: 1, maxQueue: 1, initialServiceMs: 1 });
  const busy = await s.acquire({ caller: 'a', priority: 1, deadline: Infinity });
  const low = s.acquire({ caller: 'low', priority: 1, deadline: Infinity });
  await expect(s.acquire({ caller: 'same', priority: 1, deadline: Infinity })).rejects.toBeInstanceOf(AdmissionRefused);
  const high = s.acquire({ caller: 'high', priority: 5, deadline: Infinity });
  await expect(low).rejects.toMatchObject({ reason: 'Saturated' });
  busy.release();
  (await high).release();
});

test('behavior: an aborted waiter leaves the queue', async () => {
  const s = new PriorityScheduler({ maxConcurrent: 1 });
  const busy = await s.acquire({ caller: 'a', priority: 1, deadline: Infinity });
  const controller = new AbortController();
  const waiting = s.acquire({ caller: 'b', priority: 1, deadline: Infinity, signal: controller.signal });
  controller.abort();
  await expect(waiting).rejects.toMatchObject({ reason: 'Aborted' });
  expect(s.queued).toBe(0);
  busy.release();
});
