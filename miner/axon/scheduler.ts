/**
 * Admission and ordering of work on the axon: at most `maxConcurrent` handlers run at once and at most
 * `maxPerCaller` for one caller; the rest wait in a queue served by priority (the caller's stake),
 * highest first, then by arrival.
 *
 * A request that cannot start before its deadline is refused at once instead of waiting to fail: the
 * expected wait is estimated from the queue ahead of it and a moving average of recent service times.
 * A queued request whose deadline passes leaves the queue (`Expired`). When the queue is full, a newcomer
 * with a higher priority than the lowest queued one takes its place and that one is refused.
 *
 * (The reference axon computes a priority but, in 10.2, schedules in random order: see docs/wire-protocol.md.)
 */
export interface SchedulerOptions {
  /** Handlers running at once. @default 8 */
  readonly maxConcurrent?: number;
  /** Handlers running at once for one caller. @default 4 */
  readonly maxPerCaller?: number;
  /** Requests waiting at most. @default 256 */
  readonly maxQueue?: number;
  /** Service time assumed before any was measured, ms. @default 50 */
  readonly initialServiceMs?: number;
  /** Monotonic milliseconds. @default performance.now */
  readonly now?: () => number;
}

export interface AdmissionRequest {
  readonly caller: string;
  /** Higher runs first. */
  readonly priority: number;
  /** Monotonic ms by which the work must have started (and finished). */
  readonly deadline: number;
  readonly signal?: AbortSignal;
}

/** Why a request was not admitted: refused at once (`Saturated`), or its deadline passed while queued (`Expired`), or its caller went away (`Aborted`). */
export class AdmissionRefused extends Error {
  constructor(readonly reason: 'Saturated' | 'Expired' | 'Aborted', message: string) {
    super(message);
    this.name = 'AdmissionRefused';
  }
}

/** A running slot; call `release()` exactly once when the work ends. */
export interface Slot {
  /** Monotonic ms the work waited in the queue. */
  readonly waitedMs: number;
  release(): void;
}

interface Waiter {
  readonly request: AdmissionRequest;
  readonly seq: number;
  readonly enqueuedAt: number;
  readonly resolve: (slot: Slot) => void;
  readonly reject: (err: AdmissionRefused) => void;
  timer: NodeJS.Timeout | undefined;
  onAbort: (() => void) | undefined;
}

export class PriorityScheduler {
  readonly maxConcurrent: number;
  readonly maxPerCaller: number;
  readonly maxQueue: number;
  private readonly now: () => number;
  private running = 0;
  private readonly runningByCaller = new Map<string, number>();
  /** Sorted: highest priority first, then lowest seq. */
  private readonly queue: Waiter[] = [];
  private seq = 0;
  private serviceMs: number;

  constructor(options: SchedulerOptions = {}) {
    this.maxConcurrent = positive(options.maxConcurrent ?? 8, 'maxConcurrent');
    this.maxPerCaller = positive(options.maxPerCaller ?? 4, 'maxPerCaller');
    this.maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 256));
    this.serviceMs = options.initialServiceMs ?? 50;
    this.now = options.now ?? (() => performance.now());
  }

  get inFlight(): number {
    return this.running;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** The moving average of service times (ms) that admission estimates with. */
  get averageServiceMs(): number {
    return this.serviceMs;
  }

  /** Resolves with a slot when the work may start; rejects with {@link AdmissionRefused}. */
  acquire(request: AdmissionRequest): Promise<Slot> {
    if (request.signal?.aborted) return Promise.reject(new AdmissionRefused('Aborted', 'the caller went away'));
    const now = this.now();
    if (this.canStart(request.caller)) return Promise.resolve(this.start(request.caller, now, now));
    const ahead = this.queue.filter((w) => w.request.priority >= request.priority).length;
    const expectedStart = now + this.expectedWaitMs(ahead);
    if (expectedStart > request.deadline) {
      return Promise.reject(new AdmissionRefused('Saturated', `cannot start before the timeout: ${ahead} requests ahead, about ${Math.round(expectedStart - now)} ms of wait, ${Math.max(0, Math.round(request.deadline - now))} ms left`));
    }
    if (this.queue.length >= this.maxQueue) {
      const lowest = this.queue[this.queue.length - 1];
      if (lowest === undefined || lowest.request.priority >= request.priority) {
        return Promise.reject(new AdmissionRefused('Saturated', `the queue is full (${this.maxQueue} waiting)`));
      }
      this.remove(lowest);
      lowest.reject(new AdmissionRefused('Saturated', 'displaced from a full queue by a higher-priority request'));
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = { request, seq: this.seq++, enqueuedAt: now, resolve, reject, timer: undefined, onAbort: undefined };
      if (Number.isFinite(request.deadline)) {
        waiter.timer = setTimeout(() => {
          this.remove(waiter);
          reject(new AdmissionRefused('Expired', 'the timeout passed before the request could start'));
        }, Math.max(0, request.deadline - now));
      }
      if (request.signal) {
        waiter.onAbort = () => {
          this.remove(waiter);
          reject(new AdmissionRefused('Aborted', 'the caller went away'));
        };
        request.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.insert(waiter);
    });
  }

  /** Expected ms until a request with `ahead` queued requests in front of it starts. */
  private expectedWaitMs(ahead: number): number {
    return Math.ceil((ahead + 1) / this.maxConcurrent) * this.serviceMs;
  }

  private canStart(caller: string): boolean {
    return this.running < this.maxConcurrent && (this.runningByCaller.get(caller) ?? 0) < this.maxPerCaller;
  }

  private start(caller: string, enqueuedAt: number, now: number): Slot {
    this.running++;
    this.runningByCaller.set(caller, (this.runningByCaller.get(caller) ?? 0) + 1);
    let released = false;
    return {
      waitedMs: now - enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.running--;
        const left = this.runningByCaller.get(caller)! - 1;
        if (left === 0) this.runningByCaller.delete(caller);
        else this.runningByCaller.set(caller, left);
        // An exponential moving average over roughly the last 10 runs.
        this.serviceMs += (this.now() - now - this.serviceMs) * 0.1;
        this.dispatch();
      },
    };
  }

  /** Starts queued work, best first, while slots allow (skipping callers at their own bound). */
  private dispatch(): void {
    for (let i = 0; i < this.queue.length && this.running < this.maxConcurrent; ) {
      const waiter = this.queue[i]!;
      if (!this.canStart(waiter.request.caller)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.detach(waiter);
      waiter.resolve(this.start(waiter.request.caller, waiter.enqueuedAt, this.now()));
    }
  }

  private insert(waiter: Waiter): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = this.queue[mid]!;
      if (other.request.priority > waiter.request.priority || (other.request.priority === waiter.request.priority && other.seq < waiter.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, waiter);
  }

  private remove(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
    this.detach(waiter);
  }

  private detach(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    if (waiter.onAbort) waiter.request.signal?.removeEventListener('abort', waiter.onAbort);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer: ${value}`);
  return value;
}
