/**
 * Dynamic batching: concurrent requests for one model are stacked along dim 0 into one `session.run`
 * and the outputs are split back by each request's row count.
 *
 * When a batch is dispatched (never while `maxRunsInFlight` batches are running):
 * - at once, when the queued requests hold `maxBatch` rows or more;
 * - when no batch is running: at the next event-loop turn (`setImmediate`), so requests issued in the
 *   same turn share a batch and a lone request waits for no timer (no added latency at concurrency 1);
 * - when a batch is running: as soon as it finishes, or (unless `onlyFullBatchesAhead`) once the oldest
 *   queued request has waited `maxDelayMs`, whichever comes first.
 * The engine runs one inference thread: it allows two runs in flight but only full ones ahead
 * (`onlyFullBatchesAhead`), so a partial batch waits for the running one and leaves with everything that
 * arrived meanwhile, while a full batch is already queued on the thread when the running one ends (no
 * idle round trip through the event loop between two batches of a saturated, compute-heavy model).
 *
 * A batch takes queued requests in arrival order whose inputs agree on every dim but dim 0, up to
 * `maxBatch` rows (a request is never split; one larger than `maxBatch` runs alone). If a merged run
 * fails, each of its requests is retried alone, so one bad request cannot fail its neighbours.
 */
import type { Logger } from '../../common/logger';
import { EngineError, errorMessage } from './errors';
import type { Feeds, Results } from './feeds';
import type { EngineMetrics } from './metrics';
import { concatRows, sliceRows } from './tensors';

export interface BatcherOptions {
  /** Most rows in one run. */
  readonly maxBatch: number;
  /** Longest a queued request waits for a running batch before it is dispatched anyway. */
  readonly maxDelayMs: number;
  /**
   * Batches in flight at most. With one inference thread (a CPU worker, or a session that blocks the main
   * thread) a second batch could only wait behind the first, and dispatching it early would split what
   * would otherwise go out as one larger batch. @default Infinity
   */
  readonly maxRunsInFlight?: number;
  /**
   * While a batch runs, dispatch another only once it holds `maxBatch` rows (never on the `maxDelayMs`
   * timer): with one inference thread a partial batch gains nothing by queueing early, a full one saves
   * the thread's idle time between runs. @default false
   */
  readonly onlyFullBatchesAhead?: boolean;
  /** Runs one (merged) set of feeds; `owned` when the batcher built them (a merge), so no caller holds their buffers. */
  readonly run: (feeds: Feeds, owned: boolean) => Promise<Results>;
  readonly metrics: EngineMetrics | null;
  readonly logger: Logger;
}

interface Pending {
  readonly feeds: Feeds;
  readonly rows: number;
  /** Requests with equal keys can share a batch (same input names and trailing dims). */
  readonly key: string;
  readonly enqueuedAt: number;
  settled: boolean;
  readonly resolve: (results: Results) => void;
  readonly reject: (err: unknown) => void;
  readonly detach: () => void;
}

/** The `Aborted` error of a request whose signal fired. */
export function abortedError(signal: AbortSignal): EngineError {
  return new EngineError('Aborted', 'the request was aborted', { reason: signal.reason instanceof Error ? signal.reason.message : signal.reason }, { cause: signal.reason });
}

/** Rows (dim 0) of a request; the caller has checked that every input agrees. */
export function feedRows(feeds: Feeds): number {
  return Object.values(feeds)[0]?.dims[0] ?? 0;
}

function batchKey(feeds: Feeds): string {
  return Object.keys(feeds)
    .sort()
    .map((name) => `${name}:${feeds[name]!.dims.slice(1).join('x')}`)
    .join('|');
}

export class Batcher {
  private readonly queue: Pending[] = [];
  private running = 0;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: BatcherOptions) {}

  /** Requests waiting to be dispatched. */
  get queued(): number {
    return this.queue.length;
  }

  /** Batches currently running. */
  get runningBatches(): number {
    return this.running;
  }

  /** Queues one request (feeds already checked); resolves with its own rows of every output. */
  submit(feeds: Feeds, signal?: AbortSignal): Promise<Results> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    return new Promise<Results>((resolve, reject) => {
      const onAbort = (): void => this.abort(entry, signal!);
      const entry: Pending = {
        feeds,
        rows: feedRows(feeds),
        key: batchKey(feeds),
        enqueuedAt: performance.now(),
        settled: false,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
      this.options.metrics?.queueDepth(this.queue.length);
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or running. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private abort(entry: Pending, signal: AbortSignal): void {
    if (entry.settled) return;
    entry.settled = true;
    const index = this.queue.indexOf(entry);
    if (index >= 0) {
      // Still queued: it never runs. (Already running: its rows are computed and dropped.)
      this.queue.splice(index, 1);
      this.options.metrics?.queueDepth(this.queue.length);
      if (this.queue.length === 0) this.clearWakeups();
      this.checkIdle();
    }
    entry.reject(abortedError(signal));
  }

  private clearWakeups(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.immediate = undefined;
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.queue.length === 0) return;
    if (this.running >= (this.options.maxRunsInFlight ?? Infinity)) return; // the finishing run schedules again
    const rows = this.queue.reduce((sum, e) => sum + e.rows, 0);
    if (rows >= this.options.maxBatch) {
      this.dispatch();
    } else if (this.running === 0) {
      this.immediate ??= setImmediate(() => this.dispatch());
    } else if (this.timer === undefined && !this.options.onlyFullBatchesAhead) {
      const wait = Math.max(0, this.queue[0]!.enqueuedAt + this.options.maxDelayMs - performance.now());
      this.timer = setTimeout(() => this.dispatch(), wait);
    }
  }

  private dispatch(): void {
    this.clearWakeups();
    const head = this.queue[0];
    if (head === undefined) return;
    const batch: Pending[] = [];
    let rows = 0;
    for (const entry of this.queue) {
      if (entry.key !== head.key) continue;
      if (batch.length > 0 && rows + entry.rows > this.options.maxBatch) break;
      batch.push(entry);
      rows += entry.rows;
    }
    for (const entry of batch) this.queue.splice(this.queue.indexOf(entry), 1);
    this.options.metrics?.queueDepth(this.queue.length);
    this.running++;
    void this.execute(batch, rows).finally(() => {
      this.running--;
      this.schedule();
      this.checkIdle();
    });
    this.schedule();
  }

  private async execute(batch: readonly Pending[], rows: number): Promise<void> {
    this.options.metrics?.batchSize(rows);
    if (batch.length === 1) {
      await this.runAlone(batch[0]!);
      return;
    }
    let parts: Results[];
    try {
      parts = this.split(await this.options.run(this.merge(batch), true), batch, rows);
    } catch (err) {
      this.options.logger.warn('batched run failed; retrying its requests one by one', { requests: batch.length, rows, error: errorMessage(err) });
      for (const entry of batch) if (!entry.settled) await this.runAlone(entry);
      return;
    }
    batch.forEach((entry, i) => this.deliver(entry, parts[i]!));
  }

  private async runAlone(entry: Pending): Promise<void> {
    try {
      this.deliver(entry, await this.options.run(entry.feeds, false));
    } catch (err) {
      this.fail(entry, err);
    }
  }

  private merge(batch: readonly Pending[]): Feeds {
    const names = Object.keys(batch[0]!.feeds);
    return Object.fromEntries(names.map((name) => [name, concatRows(batch.map((e) => e.feeds[name]!))]));
  }

  private split(results: Results, batch: readonly Pending[], rows: number): Results[] {
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.dims[0] !== rows) {
        throw new EngineError('InferenceFailed', `output '${name}' has ${tensor.dims[0]} rows for a batch of ${rows}: its dim 0 is not a batch dimension`, { output: name });
      }
    }
    let offset = 0;
    return batch.map((entry) => {
      const part = Object.fromEntries(Object.entries(results).map(([name, t]) => [name, sliceRows(t, offset, offset + entry.rows)]));
      offset += entry.rows;
      return part;
    });
  }

  private deliver(entry: Pending, results: Results): void {
    if (entry.settled) return;
    entry.settled = true;
    entry.detach();
    entry.resolve(results);
  }

  private fail(entry: Pending, err: unknown): void {
    if (entry.settled) return;
    entry.settled = true;
    entry.detach();
    entry.reject(err);
  }

  private checkIdle(): void {
    if (this.queue.length > 0 || this.running > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
