/**
 * One loaded generation of a model: its session plus in-flight accounting, so a hot reload can retire it
 * and release the session only after the runs already started on it have finished.
 */
import { EngineError } from './errors';
import type { Feeds, Results } from './feeds';
import type { ModelSpec } from './spec';

/** The part of an onnxruntime `InferenceSession` an instance uses. */
export interface RunnableSession {
  run(feeds: Feeds): Promise<Results>;
  /** `run` for feeds whose buffers belong to this run alone (a merged batch): they may be moved rather than copied. */
  runOwned?(feeds: Feeds): Promise<Results>;
  release(): Promise<void>;
}

/** Identity of a loaded model generation. */
export interface ModelIdentity {
  readonly path: string;
  /** Hex SHA-256 of the model bytes. */
  readonly sha256: string;
  /** 1 for the model loaded first, +1 per successful reload. */
  readonly version: number;
  readonly loadedAt: Date;
}

export class ModelInstance {
  private inFlight = 0;
  private retiring: Promise<void> | undefined;
  private drained: (() => void) | undefined;
  private released = false;

  constructor(
    private readonly session: RunnableSession,
    /** The model's inputs and outputs as onnxruntime reports them. */
    readonly model: ModelSpec,
    readonly identity: ModelIdentity,
  ) {}

  /** Runs currently executing on this instance. */
  get runsInFlight(): number {
    return this.inFlight;
  }

  /** One `session.run`. Allowed while retiring (runs dispatched just before a swap), refused once released. */
  async run(feeds: Feeds, owned = false): Promise<Results> {
    if (this.released) throw new EngineError('EngineClosed', `model version ${this.identity.version} was already released`);
    this.inFlight++;
    try {
      return await (owned && this.session.runOwned ? this.session.runOwned(feeds) : this.session.run(feeds));
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.drained !== undefined) this.drained();
    }
  }

  /** Releases the session once no run is in flight (checked again after every wait); idempotent. */
  retire(): Promise<void> {
    this.retiring ??= this.releaseWhenIdle();
    return this.retiring;
  }

  private async releaseWhenIdle(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.drained = undefined;
    this.released = true; // no await between the idle check and this: no run can slip in
    await this.session.release();
  }
}
