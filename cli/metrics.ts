/**
 * Prometheus metrics of the CLI's long-running commands: the only module that imports prom-client.
 * Libraries report to interfaces (`AxonMetrics`, `EngineMetrics`); the factories here bind them to a
 * registry, and `createMetricsServer` serves that registry on its own port (node:http, never the axon's),
 * bound to 127.0.0.1 by default so it is not exposed with the axon.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { silentLogger, type Logger } from '../common/logger';
import type { AxonMetrics } from '../miner/axon';
import type { EngineMetrics } from '../miner/engine';

/** Where the metrics server binds unless told: loopback, so the scrape endpoint is not public with the axon. */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

/** A fresh registry (never prom-client's global one: several commands may run in one process) with the default process and Node.js metrics. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Request latency buckets, seconds: a refusal decided from headers takes well under a millisecond, a small
 * model's answer a few ms, a heavy one up to seconds; the top buckets sit at the reference dendrite's
 * default timeout (12 s) and the axon's longest accepted timeout (60 s), so timeouts land in their own buckets.
 */
const REQUEST_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 12, 30, 60];

/** The axon's metrics: requests by route and status, latency by route, the scheduler's queue and running handlers. */
export function createAxonMetrics(registry: Registry): AxonMetrics {
  const requests = new Counter({ name: 'tensornet_axon_requests_total', help: 'Axon requests answered, by synapse route and HTTP status', labelNames: ['route', 'status'] as const, registers: [registry] });
  const duration = new Histogram({
    name: 'tensornet_axon_request_duration_seconds',
    help: 'Time from a request arriving to its answer (refusals included), by synapse route',
    labelNames: ['route'] as const,
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });
  const queueDepth = new Gauge({ name: 'tensornet_axon_queue_depth', help: 'Admitted requests waiting for a handler slot (stake-priority queue)', registers: [registry] });
  const inFlight = new Gauge({ name: 'tensornet_axon_in_flight', help: 'Handlers running now', registers: [registry] });
  return {
    request(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      duration.observe({ route }, seconds);
    },
    queue(queued, running) {
      queueDepth.set(queued);
      inFlight.set(running);
    },
  };
}

/**
 * Inference (`session.run`) buckets, seconds: from sub-millisecond CPU runs of small MLPs to the seconds a
 * large batch of a heavy model takes on CPU.
 */
const INFERENCE_SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Batch size buckets, rows: powers of two up to `maxBatch`, plus `maxBatch` itself, so "full batch" is its
 * own bucket and `le="1"` counts requests that ran alone (batching had nothing to merge).
 */
export function batchSizeBuckets(maxBatch: number): number[] {
  const buckets: number[] = [];
  for (let b = 1; b < maxBatch; b *= 2) buckets.push(b);
  buckets.push(Math.max(1, maxBatch));
  return buckets;
}

export interface EngineMetricsOptions {
  /** The engine's `maxBatch`: the top batch-size bucket. @default 32 */
  readonly maxBatch?: number;
}

/** The inference engine's metrics: batch sizes, batch queue depth, run time, the provider in use, reloads. */
export function createEngineMetrics(registry: Registry, options: EngineMetricsOptions = {}): EngineMetrics {
  const batchSize = new Histogram({ name: 'tensornet_engine_batch_size', help: 'Rows per session.run (a lone request included)', buckets: batchSizeBuckets(options.maxBatch ?? 32), registers: [registry] });
  const queueDepth = new Gauge({ name: 'tensornet_engine_queue_depth', help: 'Requests waiting in the dynamic batcher', registers: [registry] });
  const inference = new Histogram({ name: 'tensornet_engine_inference_duration_seconds', help: 'Time of one session.run (batched or not)', buckets: INFERENCE_SECONDS_BUCKETS, registers: [registry] });
  const provider = new Gauge({ name: 'tensornet_engine_provider_info', help: 'The execution provider the model runs on (value 1)', labelNames: ['provider'] as const, registers: [registry] });
  const reloads = new Counter({ name: 'tensornet_engine_reloads_total', help: 'Hot reloads of the model file, by result (failed: the previous model kept serving)', labelNames: ['result'] as const, registers: [registry] });
  return {
    batchSize: (rows) => batchSize.observe(rows),
    queueDepth: (requests) => queueDepth.set(requests),
    inference: (seconds) => inference.observe(seconds),
    provider(name) {
      provider.reset();
      provider.set({ provider: name }, 1);
    },
    reload: (ok) => reloads.inc({ result: ok ? 'ok' : 'failed' }),
  };
}

export interface MetricsServerOptions {
  readonly registry: Registry;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly logger?: Logger;
}

export interface MetricsServer {
  /** The bound port. */
  readonly port: number;
  /** `http://host:port/metrics` */
  readonly url: string;
  /** Stops listening and closes open (keep-alive) scrape connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) on its own port; any other path is 404, any other method 405.
 * @throws the listen error (`EADDRINUSE`, `EACCES`, …) as Node reports it
 */
export async function createMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options;
  const log = options.logger ?? silentLogger;
  const host = options.host ?? DEFAULT_METRICS_HOST;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        log.error('collecting metrics failed', { error: err instanceof Error ? err.message : String(err) });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('collecting metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  log.info('metrics served', { url });
  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => log.info('metrics server closed', { url }));
      return closing;
    },
  };
}
