/**
 * The engine's metrics, as an interface the miner implements (with prom-client or anything else);
 * the engine itself never imports a metrics library.
 */
import type { Provider } from './providers';

export interface EngineMetrics {
  /** Rows in one batched `session.run` (every batcher dispatch, a lone request included). */
  batchSize(rows: number): void;
  /** Requests waiting in the batch queue, after each change. */
  queueDepth(requests: number): void;
  /** Seconds one `session.run` took (batched and unbatched). */
  inference(seconds: number): void;
  /** The provider a model was loaded on. */
  provider(name: Provider): void;
  /** A hot reload finished: `true` when the new model now serves, `false` when the old one kept serving. */
  reload(ok: boolean): void;
}
