/**
 * The validator API: apps call one validator's HTTP endpoint and it routes their requests to the subnet's
 * best miners (by its own scores), as the gating layer of a mixture of experts; plus read-only views of the
 * subnets, metagraphs, scores, usage and the network's emission, an OpenAPI document, a WebSocket of events
 * and the dashboard page (`dashboard/`).
 *
 * Pipeline of a request, cheapest refusal first: route → API key (401) → per-key token bucket (429) →
 * for infer: subnet (404) → daily quota (429) → body size (413) → JSON (400) → the synapse's request
 * schema (400 naming the field) → routing (502/503/504 when no miner answers).
 *
 * Infer answers as JSON, or as server-sent events (`Accept: text/event-stream` or `?stream=true`): a
 * streaming subnet's chunks as `chunk` events as the miner streams them, then `done`; an error before the
 * first event is the usual JSON error answer, after it an `error` event. The same over a WebSocket at
 * `/v1/subnets/:netuid/infer/ws` (infer-socket.ts).
 */
import { STATUS_CODES, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { silentLogger, type Logger } from '../../common/logger';
import type { Validator } from '../validator';
import { dashboardRouter } from './dashboard';
import { ApiError, ValidatorApiError } from './errors';
import { EventHub, EVENTS_PROTOCOL, protocolKey, type EventHubOptions } from './events';
import { inferRequest, type InferOutcome } from './infer';
import { InferSocketHub } from './infer-socket';
import type { ApiKeyRecord, ApiKeyStore } from './keys';
import { KeyLimiter, type RateLimitOptions } from './limits';
import { sharedNetworkReader } from './network';
import { buildOpenApi } from './openapi';
import { rankMiners, type RoutingView, type StreamSink } from './routing';
import type { HealthBody, MetagraphBody, ScoresBody, SubnetSummary } from './schemas';
import { UsageStats, type SubnetUsage } from './stats';

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 8092;
export const DEFAULT_TOP_K = 3;
export const DEFAULT_API_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The version of the `/v1` contract (the OpenAPI document's `info.version`). */
export const API_VERSION = '1.0.0';

export interface ValidatorApiOptions {
  /** One validator per subnet served. */
  readonly validators: readonly Validator[];
  readonly keys: ApiKeyStore;
  /** @default '127.0.0.1' (loopback: exposing the API is a decision, not a default) */
  readonly host?: string;
  /** @default 8092 (0 picks a free port) */
  readonly port?: number;
  /** Miners tried per inference request, best first. @default 3 */
  readonly topK?: number;
  /** Largest request body, bytes (413 above). @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Defaults for keys without their own limits. */
  readonly rateLimit?: RateLimitOptions;
  /** Answered requests the latency percentiles cover, per subnet. @default 1000 */
  readonly statsWindow?: number;
  readonly events?: EventHubOptions;
  /** Inference requests in flight per `/v1/subnets/:netuid/infer/ws` socket. @default 4 */
  readonly maxInFlightPerSocket?: number;
  readonly logger?: Logger;
  /** Milliseconds since the epoch, for the rate limits. @default Date.now */
  readonly now?: () => number;
}

export interface ValidatorApi {
  /** `http://host:port` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Usage of each served subnet's infer route (what a root validator reads). */
  usage(): SubnetUsage[];
  /** The OpenAPI document served at `/v1/openapi.json`. */
  readonly openapi: Readonly<Record<string, unknown>>;
  /** Stops: closes event subscriptions and every connection (the validators keep running). */
  close(): Promise<void>;
}

interface Locals {
  key?: ApiKeyRecord;
  validator?: Validator;
  errorCode?: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** The inference WebSocket's path. */
const INFER_SOCKET = /^\/v1\/subnets\/([^/]+)\/infer\/ws$/;

/** The field an issue is about, as `image.shape[0]`; `(body)` for the body itself. */
function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out === '' ? '(body)' : out;
}

/** The first issue as an `InvalidRequest` naming its field (under `prefix`, the WebSocket message's `request`). */
function invalidRequest(error: z.ZodError, prefix?: string): ApiError {
  const issue = error.issues[0]!;
  const under = prefix === undefined ? [] : [prefix];
  if (issue.code === 'unrecognized_keys') {
    const field = fieldOf([...under, ...issue.path, issue.keys[0]!]);
    return new ApiError('InvalidRequest', `${field}: unknown field (the request fields are the synapse's)`, { field });
  }
  const field = fieldOf([...under, ...issue.path]);
  return new ApiError('InvalidRequest', `${field}: ${issue.message}`, { field });
}

/**
 * Whether an infer request asks for server-sent events: `?stream=true` (or `1`), or an `Accept` header
 * naming `text/event-stream` without `?stream=false`.
 * @throws ApiError `InvalidRequest` for another `stream` value
 */
function wantsEventStream(req: Request): boolean {
  const raw = req.query['stream'];
  if (raw !== undefined) {
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ApiError('InvalidRequest', 'stream: must be true or false', { field: 'stream' });
  }
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/event-stream');
}

/** Server-sent events on a response: opened once (status 200 and headers), then `event:`/`data:` frames, each awaiting the socket's drain. */
class SseWriter {
  opened = false;

  constructor(private readonly res: Response) {}

  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    this.res.flushHeaders();
  }

  async event(name: string, data: unknown): Promise<void> {
    this.open();
    if (this.res.destroyed) return;
    if (!this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.once('drain', done);
        this.res.once('close', done);
      });
    }
  }
}

/** Starts the API. @throws ValidatorApiError `DuplicateSubnet`, `InvalidOptions` */
export async function createValidatorApi(options: ValidatorApiOptions): Promise<ValidatorApi> {
  const log = options.logger ?? silentLogger;
  const topK = options.topK ?? DEFAULT_TOP_K;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_API_MAX_BODY_BYTES;
  const invalid = (reason: string): never => {
    throw new ValidatorApiError('InvalidOptions', reason);
  };
  if (!(Number.isInteger(topK) && topK >= 1)) invalid(`topK must be a positive integer, got ${topK}`);
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 1)) invalid(`maxBodyBytes must be a positive integer, got ${maxBodyBytes}`);
  const perMinute = options.rateLimit?.requestsPerMinute;
  if (perMinute !== undefined && !(Number.isInteger(perMinute) && perMinute >= 1)) invalid(`rateLimit.requestsPerMinute must be a positive integer, got ${perMinute}`);
  const perDay = options.rateLimit?.requestsPerDay;
  if (perDay !== undefined && perDay !== null && !(Number.isInteger(perDay) && perDay >= 1)) invalid(`rateLimit.requestsPerDay must be a positive integer or null, got ${perDay}`);
  const maxInFlightPerSocket = options.maxInFlightPerSocket ?? 4;
  if (!(Number.isInteger(maxInFlightPerSocket) && maxInFlightPerSocket >= 1)) invalid(`maxInFlightPerSocket must be a positive integer, got ${maxInFlightPerSocket}`);
  const statsWindow = options.statsWindow ?? 1000;
  if (!(Number.isInteger(statsWindow) && statsWindow >= 1)) invalid(`statsWindow must be a positive integer, got ${statsWindow}`);

  const validators = new Map<number, Validator>();
  for (const v of options.validators) {
    if (validators.has(v.netuid)) throw new ValidatorApiError('DuplicateSubnet', `two validators were given for subnet ${v.netuid}`, { netuid: v.netuid });
    validators.set(v.netuid, v);
  }
  const netuids = [...validators.keys()].sort((a, b) => a - b);
  const limiter = new KeyLimiter(options.rateLimit ?? {}, options.now ?? Date.now);
  const stats = new UsageStats(statsWindow);
  for (const netuid of netuids) stats.track(netuid);
  const openapi = buildOpenApi(netuids.map((netuid) => ({ netuid, subnet: validators.get(netuid)!.subnet })), { version: API_VERSION });
  const hub = new EventHub([...validators.values()], options.events ?? {});
  const inferSockets = new InferSocketHub({ maxPayloadBytes: maxBodyBytes, maxInFlight: maxInFlightPerSocket });
  const readNetwork = sharedNetworkReader(netuids.length === 0 ? null : validators.get(netuids[0]!)!.client, new Set(netuids));
  const started = performance.now();

  const verify = (secret: string | undefined): ApiKeyRecord => {
    const key = secret === undefined ? null : options.keys.verify(secret);
    if (key === null) throw new ApiError('Unauthorized', 'the API key is not valid (malformed, unknown or revoked)');
    return key;
  };
  const authenticate = (header: string | undefined): ApiKeyRecord => {
    if (header === undefined || header === '') throw new ApiError('Unauthorized', 'missing API key: send Authorization: Bearer <secret>');
    return verify(BEARER.exec(header)?.[1]);
  };
  /** The events socket: the Authorization header, else (browsers) the key offered as a `bearer.<secret>` subprotocol. */
  const authenticateUpgrade = (req: IncomingMessage): ApiKeyRecord => {
    const offered = req.headers.authorization === undefined ? protocolKey(req.headers['sec-websocket-protocol']) : undefined;
    if (offered === undefined) return authenticate(req.headers.authorization);
    if (offered === null) throw new ApiError('Unauthorized', `offer one subprotocol bearer.<secret> together with ${EVENTS_PROTOCOL}`);
    return verify(offered);
  };
  const rateLimit = (key: ApiKeyRecord): void => {
    const refusal = limiter.takeRequest(key.id, key.limits);
    if (refusal !== null) throw new ApiError(refusal.code, refusal.message, {}, { retryAfterS: refusal.retryAfterS });
  };
  const subnetOf = (raw: string): Validator => {
    const validator = /^\d{1,5}$/.test(raw) ? validators.get(Number(raw)) : undefined;
    if (validator === undefined) throw new ApiError('UnknownSubnet', `subnet ${JSON.stringify(raw)} is not served here (served: ${netuids.join(', ') || 'none'})`, { netuid: raw });
    return validator;
  };
  /** Routes one inference request (JSON, SSE and the WebSocket alike); never throws: a bug is an `InternalError` outcome. */
  const infer = async (v: Validator, input: Readonly<Record<string, unknown>>, signal: AbortSignal, sink?: StreamSink): Promise<InferOutcome> => {
    try {
      return await inferRequest(v as RoutingView, input, { topK, signal }, sink);
    } catch (err) {
      return { ok: false, started: false, error: internalError(err, log) };
    }
  };
  const summaryOf = (v: Validator): SubnetSummary => ({
    netuid: v.netuid, name: v.subnet.name, version: v.subnet.version, description: v.subnet.description, block: v.metagraph.block, n: v.metagraph.n, servingMiners: rankMiners(v).length,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    const begun = performance.now();
    res.once('close', () => {
      log.info('api request', {
        method: req.method, path: req.path, status: res.statusCode, ms: Math.round((performance.now() - begun) * 100) / 100,
        key: res.locals.key?.id ?? null, ...(res.locals.errorCode === undefined ? {} : { code: res.locals.errorCode }), ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    next();
  });

  app.get('/v1/health', (_req, res) => {
    const subnets = [...validators.values()].map((v) => ({ netuid: v.netuid, block: v.metagraph.block, servingMiners: rankMiners(v).length }));
    const body: HealthBody = { status: subnets.every((s) => s.servingMiners > 0) ? 'ok' : 'degraded', uptimeS: (performance.now() - started) / 1000, subnets };
    res.json(body);
  });
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(dashboardRouter());

  app.use('/v1', (req: Request, res: Response<unknown, Locals>, next: NextFunction) => {
    const key = authenticate(req.headers.authorization);
    res.locals.key = key;
    rateLimit(key);
    next();
  });

  app.get('/v1/network', async (_req, res) => {
    res.json(await readNetwork());
  });
  app.get('/v1/subnets', (_req, res) => {
    res.json({ subnets: netuids.map((netuid) => summaryOf(validators.get(netuid)!)) });
  });
  app.get('/v1/subnets/:netuid/metagraph', (req, res) => {
    const v = subnetOf(req.params.netuid);
    const g = v.metagraph;
    const scores = v.scores;
    const body: MetagraphBody = {
      netuid: v.netuid,
      block: g.block,
      neurons: g.uids.map((uid) => ({
        uid, hotkey: g.hotkeys[uid]!, coldkey: g.coldkeys[uid]!, stake: g.stake[uid]!.rao.toString(), incentive: g.incentive[uid]!, dividends: g.dividends[uid]!, trust: g.trust[uid]!,
        consensus: g.consensus[uid]!, vtrust: g.validatorTrust[uid]!, emission: g.emission[uid]!.rao.toString(), active: g.active[uid]!, validatorPermit: g.validatorPermit[uid]!,
        axon: { ip: g.axons[uid]!.ip, port: g.axons[uid]!.port, serving: g.axons[uid]!.isServing }, score: scores[uid] ?? 0,
      })),
    };
    res.json(body);
  });
  app.get('/v1/subnets/:netuid/scores', (req, res) => {
    const v = subnetOf(req.params.netuid);
    const scores = v.scores;
    const body: ScoresBody = { netuid: v.netuid, block: v.metagraph.block, scores: v.metagraph.uids.map((uid) => ({ uid, hotkey: v.metagraph.hotkeys[uid]!, score: scores[uid] ?? 0 })) };
    res.json(body);
  });
  app.get('/v1/subnets/:netuid/stats', (req, res) => {
    res.json(stats.usage(subnetOf(req.params.netuid).netuid));
  });
  app.get('/v1/events', () => {
    throw new ApiError('UpgradeRequired', '/v1/events is a WebSocket: connect with Upgrade: websocket');
  });

  app.post(
    '/v1/subnets/:netuid/infer',
    (req: Request<{ netuid: string }>, res: Response<unknown, Locals>, next: NextFunction) => {
      res.locals.validator = subnetOf(req.params.netuid);
      const key = res.locals.key!;
      const refusal = limiter.takeQuota(key.id, key.limits);
      if (refusal !== null) throw new ApiError(refusal.code, refusal.message, {}, { retryAfterS: refusal.retryAfterS });
      next();
    },
    // Any content type is read as JSON: the body is always the synapse's request fields.
    express.json({ limit: maxBodyBytes, type: () => true, strict: true }),
    async (req: Request<{ netuid: string }>, res: Response<unknown, Locals>) => {
      const v = res.locals.validator!;
      const asSse = wantsEventStream(req);
      const parsed = v.subnet.synapse.request.safeParse(req.body ?? {});
      if (!parsed.success) throw invalidRequest(parsed.error);
      const gone = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) gone.abort();
      };
      res.once('close', onClose);
      const begun = performance.now();
      const input = parsed.data as Record<string, unknown>;
      if (!asSse) {
        const outcome = await infer(v, input, gone.signal);
        stats.record(v.netuid, outcome.ok, (performance.now() - begun) / 1000);
        if (!outcome.ok) throw outcome.error;
        res.json(outcome.result);
        return;
      }
      // Server-sent events: the response opens with the first chunk (or the whole answer), so a failure
      // before it is still a JSON error answer with its status; after it, an `error` event ends the stream.
      const sse = new SseWriter(res);
      const outcome = await infer(v, input, gone.signal, { start: () => sse.open(), chunk: (chunk, index) => sse.event('chunk', { index, chunk }) });
      stats.record(v.netuid, outcome.ok, (performance.now() - begun) / 1000);
      if (gone.signal.aborted) return;
      if (!outcome.ok && !sse.opened) throw outcome.error;
      sse.open();
      if (outcome.ok) {
        await sse.event('done', outcome.result);
      } else {
        res.locals.errorCode = outcome.error.code;
        await sse.event('error', outcome.error.toBody().error);
      }
      res.end();
    },
  );
  app.get('/v1/subnets/:netuid/infer/ws', (req: Request<{ netuid: string }>) => {
    subnetOf(req.params.netuid);
    throw new ApiError('UpgradeRequired', `/v1/subnets/${req.params.netuid}/infer/ws is a WebSocket: connect with Upgrade: websocket`);
  });

  app.use(() => {
    throw new ApiError('NotFound', 'no such route (GET /v1/openapi.json lists them)');
  });
  app.use((err: unknown, req: Request, res: Response<unknown, Locals>, _next: NextFunction) => {
    const apiError = toApiError(err, maxBodyBytes) ?? internalError(err, log);
    res.locals.errorCode = apiError.code;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (apiError.retryAfterS !== undefined) res.setHeader('Retry-After', String(apiError.retryAfterS));
    if (apiError.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    // A refused body may be unread: close the connection rather than read what is left of it.
    if (!req.complete) res.setHeader('Connection', 'close');
    res.status(apiError.status).json(apiError.toBody());
  });

  const server = createServer(app);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const begun = performance.now();
    // A client that resets the connection mid-handshake must not become an uncaught 'error'.
    socket.on('error', () => socket.destroy());
    let keyId: string | null = null;
    const logUpgrade = (status: number, code?: string): void => {
      log.info('api request', { method: req.method, path: new URL(req.url ?? '/', 'http://localhost').pathname, status, ms: Math.round((performance.now() - begun) * 100) / 100, key: keyId, ...(code === undefined ? {} : { code }) });
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const inferSocket = INFER_SOCKET.exec(url.pathname);
      if (url.pathname !== '/v1/events' && inferSocket === null) throw new ApiError('NotFound', 'no WebSocket here (the events are at /v1/events, inference at /v1/subnets/:netuid/infer/ws)');
      const key = authenticateUpgrade(req);
      keyId = key.id;
      rateLimit(key);
      if (inferSocket !== null) {
        const v = subnetOf(decodeURIComponent(inferSocket[1]!));
        const path = url.pathname;
        inferSockets.server.handleUpgrade(req, socket, head, (ws) => {
          inferSockets.add(ws, {
            netuid: v.netuid,
            admit: () => {
              const refusal = limiter.takeRequest(key.id, key.limits) ?? limiter.takeQuota(key.id, key.limits);
              return refusal === null ? null : new ApiError(refusal.code, refusal.message, { retryAfterS: refusal.retryAfterS }, { retryAfterS: refusal.retryAfterS });
            },
            parse: (request) => {
              const parsed = v.subnet.synapse.request.safeParse(request);
              return parsed.success ? { ok: true, input: parsed.data as Record<string, unknown> } : { ok: false, error: invalidRequest(parsed.error, 'request') };
            },
            infer: async (input, signal, sink) => {
              const begun = performance.now();
              const outcome = await infer(v, input, signal, sink);
              if (!signal.aborted) stats.record(v.netuid, outcome.ok, (performance.now() - begun) / 1000);
              return outcome;
            },
            log: (status, ms, code) => log.info('api request', { method: 'WS', path, status, ms: Math.round(ms * 100) / 100, key: key.id, ...(code === undefined ? {} : { code }) }),
          });
          logUpgrade(101);
        });
        return;
      }
      const asked = url.searchParams.getAll('netuid').flatMap((s) => s.split(','));
      const subscribed = asked.length === 0 ? netuids : asked.map((raw) => subnetOf(raw.trim()).netuid);
      hub.server.handleUpgrade(req, socket, head, (ws) => {
        hub.add(ws, subscribed);
        logUpgrade(101);
      });
    } catch (err) {
      const apiError = err instanceof ApiError ? err : internalError(err, log);
      const body = JSON.stringify(apiError.toBody());
      const headers = [
        `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status] ?? ''}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close',
        ...(apiError.retryAfterS === undefined ? [] : [`Retry-After: ${apiError.retryAfterS}`]), ...(apiError.status === 401 ? ['WWW-Authenticate: Bearer'] : []),
      ];
      socket.end(`${headers.join('\r\n')}\r\n\r\n${body}`);
      logUpgrade(apiError.status, apiError.code);
    }
  });

  const host = options.host ?? DEFAULT_API_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_API_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('validator API listening', { url, subnets: netuids, topK });

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    openapi,
    usage: () => stats.all(),
    close() {
      closing ??= (async () => {
        await hub.close();
        await inferSockets.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        log.info('validator API stopped', { url });
      })();
      return closing;
    },
  };
}

/** body-parser's errors (they carry a `type`) as catalog errors; null for anything else. */
function toApiError(err: unknown, maxBodyBytes: number): ApiError | null {
  if (err instanceof ApiError) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return null;
  if (type === 'entity.too.large') return new ApiError('PayloadTooLarge', `the request body exceeds the limit of ${maxBodyBytes} bytes`, { limit: maxBodyBytes });
  if (type === 'entity.parse.failed') return new ApiError('InvalidJson', `the body is not valid JSON: ${(err as Error).message}`);
  return new ApiError('InvalidJson', `the body could not be read: ${(err as Error).message}`);
}

function internalError(err: unknown, log: Logger): ApiError {
  const id = randomUUID();
  log.error('validator API request failed', { id, err: err instanceof Error ? err.message : String(err) });
  return new ApiError('InternalError', `internal error #${id} (the validator's log has it)`);
}
