/**
 * The miner's inference engine: one ONNX model, loaded on the best available provider, checked against
 * the handler's declared spec, served through the dynamic batcher and hot-reloaded when its file changes.
 */
import { silentLogger, type Logger } from '../../common/logger';
import { Batcher, abortedError, feedRows } from './batcher';
import { EngineError, errorMessage } from './errors';
import { checkFeeds, type Feeds, type Results } from './feeds';
import type { EngineMetrics } from './metrics';
import { ModelInstance, type ModelIdentity, type RunnableSession } from './model-instance';
import { readModelFile } from './model-file';
import { DEVICES, type Device, type Provider, type ProviderSelection } from './providers';
import { createSession, describeSession, openSession, sessionOptions, warmUp, type SessionSettings } from './session';
import { openWorkerSession } from './worker-session';
import { checkModelAgainstSpec, hasDynamicBatchDim, type ModelSpec, type TensorSpec } from './spec';
import { ModelFileWatcher } from './watcher';

/** Options of {@link InferenceEngine.load}. */
export interface EngineOptions extends SessionSettings {
  /** Where to run: `auto` tries CUDA, then WebGPU (with a GPU device node), then CPU. @default 'auto' */
  readonly device?: Device;
  /** Most rows in one batched run; 1 turns batching off. @default 32 */
  readonly maxBatch?: number;
  /**
   * Longest a queued request waits behind a running batch before it goes out as another batch. The
   * engine has one inference thread: a partial batch waits for the running one (only a full batch is
   * queued ahead of it), so this has no effect today; it applies to a batcher that allows several partial
   * runs at once. @default 2
   */
  readonly maxDelayMs?: number;
  /** Run the model once on zeros at load (and at each reload) before serving. @default true */
  readonly warmup?: boolean;
  /**
   * Run CPU inference in a worker thread, so the event loop stays free while a model computes
   * (onnxruntime-node's `run` blocks the thread it is called on). GPU providers run on the main thread.
   * @default true
   */
  readonly worker?: boolean;
  /** Hot-reload the model when its file changes. @default true */
  readonly watch?: boolean;
  /** Quiet time after the last file event before a reload starts. @default 200 */
  readonly reloadDebounceMs?: number;
  /** What the handler declares; the model (and every reloaded one) must match it. @default undefined (no check) */
  readonly spec?: ModelSpec;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default null (no metrics) */
  readonly metrics?: EngineMetrics | null;
}

/** Options of one request. */
export interface RunOptions {
  /** Aborting rejects the request with `Aborted`: a queued request is dropped, a running one's result discarded. */
  readonly signal?: AbortSignal;
}

/** The outcome of a reload attempt (hot or explicit). */
export type ReloadEvent =
  | { readonly ok: true; readonly changed: boolean; readonly model: ModelIdentity; readonly durationMs: number }
  | { readonly ok: false; readonly path: string; readonly error: EngineError; readonly durationMs: number };

export type ReloadListener = (event: ReloadEvent) => void;

export const DEFAULT_MAX_BATCH = 32;
export const DEFAULT_MAX_DELAY_MS = 2;
export const DEFAULT_RELOAD_DEBOUNCE_MS = 200;

interface Resolved {
  readonly device: Device;
  readonly settings: SessionSettings;
  readonly maxBatch: number;
  readonly maxDelayMs: number;
  readonly warmup: boolean;
  readonly watch: boolean;
  readonly worker: boolean;
  readonly reloadDebounceMs: number;
  readonly spec: ModelSpec | undefined;
  readonly logger: Logger;
  readonly metrics: EngineMetrics | null;
}

function badOption(option: string, message: string): EngineError {
  return new EngineError('InvalidOptions', `${option} ${message}`, { option });
}

function resolveOptions(options: EngineOptions): Resolved {
  const device = options.device ?? 'auto';
  if (!DEVICES.includes(device)) throw badOption('device', `must be one of ${DEVICES.join(', ')} (got ${String(device)})`);
  const integer = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) throw badOption(name, `must be an integer >= ${min} (got ${value})`);
  };
  integer('maxBatch', options.maxBatch, 1);
  integer('intraOpNumThreads', options.intraOpNumThreads, 0);
  integer('interOpNumThreads', options.interOpNumThreads, 0);
  for (const [name, value] of [['maxDelayMs', options.maxDelayMs], ['reloadDebounceMs', options.reloadDebounceMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw badOption(name, `must be a finite number >= 0 (got ${value})`);
  }
  const settings: SessionSettings = { intraOpNumThreads: options.intraOpNumThreads, interOpNumThreads: options.interOpNumThreads };
  return {
    device,
    settings,
    maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    warmup: options.warmup ?? true,
    watch: options.watch ?? true,
    worker: options.worker ?? true,
    reloadDebounceMs: options.reloadDebounceMs ?? DEFAULT_RELOAD_DEBOUNCE_MS,
    spec: options.spec,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? null,
  };
}

/** Why a model cannot be batched (null when it can). */
function batchingBlocker(model: ModelSpec, maxBatch: number): string | null {
  if (maxBatch === 1) return 'maxBatch is 1';
  if (!hasDynamicBatchDim(model)) {
    const fixed = [...model.inputs, ...model.outputs].find((t) => t.shape.length === 0 || typeof t.shape[0] === 'number');
    return `dim 0 of '${fixed?.name ?? '?'}' is not dynamic`;
  }
  const packed = [...model.inputs, ...model.outputs].find((t) => t.dtype === 'uint4' || t.dtype === 'int4');
  return packed === undefined ? null : `'${packed.name}' is a packed 4-bit tensor`;
}

export class InferenceEngine {
  private current: ModelInstance;
  private readonly batcher: Batcher | null;
  private readonly watcher: ModelFileWatcher | null;
  private readonly listeners = new Set<ReloadListener>();
  private readonly directRuns = new Set<Promise<unknown>>();
  private reloadChain: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  /**
   * Loads a model file: reads it (`ModelNotFound`), opens it on the device's provider (`ModelInvalid`,
   * `ProviderUnavailable`), checks it against `options.spec` (`ModelSpecMismatch`), warms it up, and
   * starts watching the file.
   */
  static async load(path: string, options: EngineOptions = {}): Promise<InferenceEngine> {
    const resolved = resolveOptions(options);
    const file = await readModelFile(path);
    const { session, selection } = await openSession(file.bytes, { device: resolved.device, settings: resolved.settings, source: path, logger: resolved.logger });
    try {
      const model = describeSession(session, path);
      if (resolved.spec !== undefined) checkModelAgainstSpec(model, resolved.spec);
      if (resolved.warmup) await warmUp(session, model.inputs, path);
      const runner = await runnerOf(session, file.bytes, selection.provider, resolved, model, path);
      const instance = new ModelInstance(runner, model, { path, sha256: file.sha256, version: 1, loadedAt: new Date() });
      resolved.metrics?.provider(selection.provider);
      return new InferenceEngine(path, resolved, selection, instance);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** Whether requests go through the batcher (the model has a dynamic dim 0 everywhere and maxBatch > 1). */
  readonly batching: boolean;

  private constructor(
    /** The model file. */
    readonly path: string,
    private readonly options: Resolved,
    /** The provider decision: what runs, and why others were skipped. */
    readonly selection: ProviderSelection,
    initial: ModelInstance,
  ) {
    this.current = initial;
    const blocker = batchingBlocker(initial.model, options.maxBatch);
    this.batching = blocker === null;
    this.batcher = this.batching
      ? new Batcher({ maxBatch: options.maxBatch, maxDelayMs: options.maxDelayMs, maxRunsInFlight: 2, onlyFullBatchesAhead: true, run: (feeds, owned) => this.runOnCurrent(feeds, owned), metrics: options.metrics, logger: options.logger })
      : null;
    options.logger.info('inference engine ready', {
      path,
      provider: selection.provider,
      sha256: initial.identity.sha256,
      batching: this.batching ? { maxBatch: options.maxBatch, maxDelayMs: options.maxDelayMs } : `off (${blocker})`,
    });
    this.watcher = options.watch
      ? new ModelFileWatcher(path, () => void this.reload(), { debounceMs: options.reloadDebounceMs, logger: options.logger })
      : null;
  }

  /** The execution provider running the model. */
  get provider(): Provider {
    return this.selection.provider;
  }

  /** The served model's inputs, as onnxruntime reports them (dynamic dims are strings). */
  get inputs(): readonly TensorSpec[] {
    return this.current.model.inputs;
  }

  /** The served model's outputs. */
  get outputs(): readonly TensorSpec[] {
    return this.current.model.outputs;
  }

  /** The declared spec, when one was given. */
  get spec(): ModelSpec | undefined {
    return this.options.spec;
  }

  /** Which file content serves now (path, SHA-256, version, load time). */
  get model(): ModelIdentity {
    return this.current.identity;
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Checks feeds against the model (the declared spec when given) without running anything; throws
   * `InvalidInput` naming the input and the field that is wrong. `run` does this itself.
   */
  checkFeeds(feeds: unknown): asserts feeds is Feeds {
    checkFeeds(feeds, (this.options.spec ?? this.current.model).inputs);
  }

  /**
   * Runs one request, through the batcher when the model batches. The result holds this request's rows of
   * every output. It equals what the request gets alone: bit for bit on the CPU provider for the reference
   * models (tested; MLAS reduces each output element in the same order whatever the batch size), which
   * onnxruntime does not promise for every operator and provider, so compare GPU results with a tolerance.
   */
  async run(feeds: Feeds, options: RunOptions = {}): Promise<Results> {
    this.assertOpen();
    this.checkFeeds(feeds);
    if (this.batcher === null) return this.runDirect(feeds, options.signal);
    const rows = Object.values(feeds).map((t) => t.dims[0]!);
    if (rows.some((r) => r !== rows[0])) {
      const names = Object.keys(feeds);
      throw new EngineError('InvalidInput', `inputs disagree on dim 0 (the batch): ${names.map((n, i) => `${n}=${rows[i]}`).join(', ')}`, { input: names[rows.findIndex((r) => r !== rows[0])], field: 'shape' });
    }
    // Zero-row requests cannot share a batch meaningfully; they run alone.
    return feedRows(feeds) === 0 ? this.runDirect(feeds, options.signal) : this.batcher.submit(feeds, options.signal);
  }

  /** Runs one request as its own `session.run`, bypassing the batcher (the benchmark's baseline). */
  async runUnbatched(feeds: Feeds, options: RunOptions = {}): Promise<Results> {
    this.assertOpen();
    this.checkFeeds(feeds);
    return this.runDirect(feeds, options.signal);
  }

  /** Subscribes to reload outcomes; returns the unsubscribe function. */
  onReload(listener: ReloadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reloads the model file now (the watcher calls this on file changes). The new model is read, opened
   * on the same provider, checked against the spec and against the served model's interface, warmed up,
   * then swapped in; runs already started finish on the old session, which is released after them. A
   * failure leaves the old model serving. Never throws: the outcome is returned and sent to listeners.
   */
  reload(): Promise<ReloadEvent> {
    const attempt = this.reloadChain.then(() => this.reloadOnce());
    this.reloadChain = attempt;
    return attempt;
  }

  /** Stops watching, lets queued and running requests finish, releases the session. Later runs reject `EngineClosed`. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watcher?.close();
      await this.reloadChain;
      await this.batcher?.drain();
      await Promise.allSettled([...this.directRuns]);
      await this.current.retire();
      this.options.logger.info('inference engine closed', { path: this.path });
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new EngineError('EngineClosed', `the inference engine for ${this.path} is closed`, { path: this.path });
  }

  private async runOnCurrent(feeds: Feeds, owned = false): Promise<Results> {
    const instance = this.current;
    const started = performance.now();
    try {
      return await instance.run(feeds, owned);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError('InferenceFailed', `onnxruntime failed to run ${this.path}: ${errorMessage(err)}`, { path: this.path, version: instance.identity.version }, { cause: err });
    } finally {
      this.options.metrics?.inference((performance.now() - started) / 1000);
    }
  }

  private runDirect(feeds: Feeds, signal: AbortSignal | undefined): Promise<Results> {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    const work = this.runOnCurrent(feeds);
    const tracked = work.finally(() => this.directRuns.delete(tracked)).catch(() => undefined);
    this.directRuns.add(tracked);
    if (signal === undefined) return work;
    return new Promise<Results>((resolve, reject) => {
      const onAbort = (): void => reject(abortedError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (results) => { signal.removeEventListener('abort', onAbort); resolve(results); },
        (err: unknown) => { signal.removeEventListener('abort', onAbort); reject(err); },
      );
    });
  }

  private async reloadOnce(): Promise<ReloadEvent> {
    const started = performance.now();
    const elapsed = (): number => performance.now() - started;
    const { logger, metrics, spec, settings } = this.options;
    if (this.closing !== undefined) {
      return { ok: false, path: this.path, error: new EngineError('EngineClosed', 'the engine closed before the reload'), durationMs: elapsed() };
    }
    let event: ReloadEvent;
    let session: Awaited<ReturnType<typeof createSession>> | undefined;
    try {
      const file = await readModelFile(this.path);
      if (file.sha256 === this.current.identity.sha256) {
        event = { ok: true, changed: false, model: this.current.identity, durationMs: elapsed() };
        logger.debug('model file event, content unchanged', { path: this.path, sha256: file.sha256 });
      } else {
        try {
          session = await createSession(file.bytes, this.provider, settings);
        } catch (err) {
          throw new EngineError('ModelInvalid', `${this.path}: onnxruntime cannot load the model: ${errorMessage(err)}`, { path: this.path }, { cause: err });
        }
        const model = describeSession(session, this.path);
        if (spec !== undefined) checkModelAgainstSpec(model, spec);
        checkModelAgainstSpec(model, this.current.model, 'the model being served');
        if (this.options.warmup) await warmUp(session, model.inputs, this.path);
        if (this.closing !== undefined) throw new EngineError('EngineClosed', 'the engine closed during the reload');
        const previous = this.current;
        const runner = await runnerOf(session, file.bytes, this.provider, this.options, model, this.path);
        this.current = new ModelInstance(runner, model, { path: this.path, sha256: file.sha256, version: previous.identity.version + 1, loadedAt: new Date() });
        session = undefined; // owned by the instance now
        void previous.retire().catch((err: unknown) => logger.error('releasing the previous model failed', { path: this.path, error: errorMessage(err) }));
        event = { ok: true, changed: true, model: this.current.identity, durationMs: elapsed() };
        metrics?.reload(true);
        logger.info('model reloaded', { path: this.path, version: this.current.identity.version, sha256: file.sha256, ms: Math.round(event.durationMs) });
      }
    } catch (err) {
      if (session !== undefined) await session.release().catch(() => undefined);
      const error = err instanceof EngineError ? err : new EngineError('ModelInvalid', `${this.path}: ${errorMessage(err)}`, { path: this.path }, { cause: err });
      event = { ok: false, path: this.path, error, durationMs: elapsed() };
      metrics?.reload(false);
      logger.error('model reload failed; the previous model keeps serving', { path: this.path, code: error.code, error: error.message, version: this.current.identity.version });
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        logger.error('reload listener threw', { error: errorMessage(err) });
      }
    }
    return event;
  }
}

/**
 * What serves the runs of a loaded model: `session` itself, or (CPU, `worker` on) the same model opened in
 * a worker thread and warmed up there, after which the main-thread `session` is released.
 */
async function runnerOf(session: RunnableSession, bytes: Uint8Array, provider: Provider, options: Pick<Resolved, 'worker' | 'settings' | 'warmup'>, model: ModelSpec, source: string): Promise<RunnableSession> {
  if (!options.worker || provider !== 'cpu') return session;
  const runner = await openWorkerSession(bytes, { ...sessionOptions(provider, options.settings) }, source);
  try {
    if (options.warmup) await warmUp(runner, model.inputs, source);
  } catch (err) {
    await runner.release();
    throw err;
  }
  await session.release();
  return runner;
}
