/**
 * The axon: a miner's signed HTTP endpoint (express). `POST /<SynapseName>` per attached synapse plus the
 * `/Synapse` ping, speaking the reference SDK's wire format (docs/wire-protocol.md) so Python dendrites
 * query it unchanged.
 *
 * Pipeline, cheapest refusal first, everything before the body is read decided from headers alone:
 * route (404) → headers and signature, nonce (400/401) → caller registration, validator permit and
 * minimum stake (403) → nonce recorded → body size (413) → body JSON and schema (400 naming the field)
 * → body hash (400) → admission by stake (503 when it cannot start before its timeout, 408 when the
 * timeout passes while queued) → the handler, abandoned when the caller's timeout passes (408).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Keypair } from '../../chain-client/wallet';
import { silentLogger, type Logger } from '../../common/logger';
import {
  BASE_SYNAPSE_FIELDS, DEFAULT_TIMEOUT_S, PING_SYNAPSE, inputObjHeadersOf, PROTOCOL_VERSION, pythonFloatRepr, pythonRepr, synapseJson, terminalInfo, terminalInfoHeaders, timeNs,
  type SynapseDefinition, type SynapseRequest, type SynapseResponse, type TerminalInfo,
} from '../../protocol';
import { authenticate, timeoutOf, type AuthContext, type Authenticated } from './auth';
import { readBody } from './body';
import { topLevelMembers } from './json-members';
import { NonceStore } from './nonce-store';
import { AxonRefusal } from './refusals';
import { AdmissionRefused, PriorityScheduler, type SchedulerOptions } from './scheduler';

/** What the axon knows of a caller, from the metagraph. */
export interface CallerInfo {
  readonly uid: number;
  /** Stake in TAO: the request's priority. */
  readonly stake: number;
  readonly validatorPermit: boolean;
}

/** Looks callers up by hotkey: a snapshot refreshed outside the request path (never a chain query per request). */
export interface CallerDirectory {
  lookup(hotkey: string): CallerInfo | undefined;
}

/** Who may call (403 otherwise). */
export interface CallerPolicy {
  /** Serve hotkeys not registered on the subnet (priority 0). @default false */
  readonly allowUnregistered?: boolean;
  /** Serve only callers holding a validator permit. @default false */
  readonly requireValidatorPermit?: boolean;
  /** Minimum stake (TAO) a caller must have. @default 0 */
  readonly minStake?: number;
}

/** What a handler gets besides its input. */
export interface ForwardContext {
  /** Fires when the caller's timeout passes or the caller disconnects: stop working. */
  readonly signal: AbortSignal;
  readonly caller: { readonly hotkey: string; readonly info: CallerInfo | undefined };
  /** The caller's timeout, seconds. */
  readonly timeoutS: number;
}

export type Forward<D extends SynapseDefinition> = (input: SynapseRequest<D>, ctx: ForwardContext) => Promise<SynapseResponse<D>>;
export type StreamForward<D extends SynapseDefinition> = (input: SynapseRequest<D>, ctx: ForwardContext) => AsyncIterable<string | Uint8Array>;

/** Counters and histograms the axon reports to (the CLI binds them to Prometheus). */
export interface AxonMetrics {
  request(route: string, status: number, seconds: number): void;
  queue(queued: number, inFlight: number): void;
}

export interface AxonOptions extends SchedulerOptions, CallerPolicy {
  /** The miner's hotkey: requests must be signed for it. */
  readonly hotkey: Keypair;
  readonly callers: CallerDirectory;
  /** @default '0.0.0.0' */
  readonly host?: string;
  /** @default 8091 (0 picks a free port) */
  readonly port?: number;
  /** The address announced on chain and reported in responses. @default host */
  readonly externalIp?: string;
  /** @default the bound port */
  readonly externalPort?: number;
  /** @default 4 MiB */
  readonly maxBodyBytes?: number;
  /** Longest timeout a caller may ask for, seconds. @default 60 */
  readonly maxTimeoutS?: number;
  /** Where accepted nonces are kept across restarts; `null` keeps them in memory only. @default null */
  readonly nonceFile?: string | null;
  /** @default 16_000 */
  readonly nonceMaxAgeMs?: number;
  /** @default 4_000 */
  readonly nonceMaxFutureMs?: number;
  readonly logger?: Logger;
  readonly metrics?: AxonMetrics | null;
}

export const DEFAULT_AXON_PORT = 8091;
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

interface Route {
  readonly synapse: SynapseDefinition;
  readonly forward: ((input: unknown, ctx: ForwardContext) => Promise<unknown> | AsyncIterable<string | Uint8Array>) | null;
  /** Body keys accepted besides the request fields: the base synapse fields and the response fields. */
  readonly ignoredKeys: ReadonlySet<string>;
}

/** The `/Synapse` ping: the base class, no fields. */
const PING = PING_SYNAPSE.name;

export class Axon {
  private readonly routes = new Map<string, Route>();
  private readonly scheduler: PriorityScheduler;
  private readonly nonces: NonceStore;
  private readonly log: Logger;
  private readonly authContext: AuthContext;
  private readonly axonUuid = randomUUID();
  private server: Server | null = null;
  private boundPort: number | null = null;
  private stopping = false;
  private inFlight = 0;
  private drained: (() => void) | null = null;

  constructor(private readonly options: AxonOptions) {
    if (!options.hotkey.pair) throw new TypeError('the axon hotkey must be able to sign (a public-only key was given)');
    this.scheduler = new PriorityScheduler(options);
    this.nonces = NonceStore.open({ path: options.nonceFile ?? null, maxAgeMs: options.nonceMaxAgeMs, maxFutureMs: options.nonceMaxFutureMs });
    this.log = options.logger ?? silentLogger;
    this.authContext = { axonHotkey: options.hotkey.address, nonces: this.nonces, maxTimeoutS: options.maxTimeoutS ?? 60, defaultTimeoutS: DEFAULT_TIMEOUT_S };
    this.routes.set(PING, { synapse: PING_SYNAPSE, forward: null, ignoredKeys: new Set(BASE_SYNAPSE_FIELDS) });
  }

  get hotkey(): string {
    return this.options.hotkey.address;
  }

  /** The bound port (after `start()`; still known while and after stopping, for responses built then). */
  get port(): number {
    if (this.boundPort === null) throw new Error('the axon is not started');
    return this.boundPort;
  }

  get externalIp(): string {
    return this.options.externalIp ?? this.options.host ?? '0.0.0.0';
  }

  get externalPort(): number {
    return this.options.externalPort ?? this.port;
  }

  /** Synapse names served (the ping included). */
  get synapses(): readonly string[] {
    return [...this.routes.keys()];
  }

  /** Serves `synapse` with `forward` (a stream for streaming synapses). */
  attach<D extends SynapseDefinition>(synapse: D, forward: D['streaming'] extends true ? StreamForward<D> : Forward<D> | StreamForward<D>): this {
    if (this.routes.has(synapse.name)) throw new TypeError(`synapse ${synapse.name} is already attached`);
    const ignoredKeys = new Set<string>([...BASE_SYNAPSE_FIELDS, ...Object.keys(synapse.response.shape)]);
    this.routes.set(synapse.name, { synapse, forward: forward as Route['forward'], ignoredKeys });
    return this;
  }

  /** Starts listening. */
  async start(): Promise<this> {
    await cryptoWaitReady();
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use((req, res) => void this.handle(req, res));
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? DEFAULT_AXON_PORT, this.options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    this.log.info('axon listening', { host: this.options.host ?? '0.0.0.0', port: this.port, hotkey: this.hotkey, synapses: this.synapses });
    return this;
  }

  /**
   * Stops: new requests are refused (503) and connections stop being accepted; in-flight requests finish
   * (up to `graceMs`, after which their connections are closed); the nonce store is flushed.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const server = this.server;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (this.inFlight > 0) {
        const drained = new Promise<void>((resolve) => (this.drained = resolve));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    }
    this.nonces.close();
    this.log.info('axon stopped', { port: this.boundPort });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    this.inFlight++;
    let routeName = 'unknown';
    let auth: Authenticated | undefined;
    try {
      const path = (req.url ?? '/').split('?')[0]!;
      const name = path.slice(1);
      const route = this.routes.get(name);
      if (route === undefined || name.includes('/')) {
        throw new AxonRefusal('UnknownSynapse', `Synapse name '${name}' not found. Available synapses ${pythonRepr([...this.routes.keys()])}`);
      }
      routeName = name;
      if (req.method !== 'POST' && req.method !== 'GET') throw new AxonRefusal('MethodNotAllowed', `Method ${req.method} is not allowed; use POST`);
      if (this.stopping) throw new AxonRefusal('ShuttingDown', 'Service unavailable: the axon is shutting down');
      auth = authenticate(req.headers, this.authContext);
      const info = this.options.callers.lookup(auth.hotkey);
      this.checkCaller(auth.hotkey, info);
      this.nonces.commit(auth.nonceKey, auth.nonce);

      const deadline = started + auth.timeoutS * 1000;
      const body = await readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, deadline, auth.timeoutS);
      const { input, raw } = parseInput(route, body, auth.bodyHash);
      // Aborted when the caller disconnects (and, once the handler runs, when its timeout passes).
      const aborter = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) aborter.abort();
      };
      res.once('close', onClose);
      const slot = await this.admit(auth, info, deadline, aborter.signal);
      this.reportQueue();
      try {
        await this.run(route, input, raw, auth, info, res, started, deadline, aborter);
      } finally {
        slot.release();
        res.off('close', onClose);
        this.reportQueue();
      }
    } catch (err) {
      const refusal = err instanceof AxonRefusal ? err : this.internalError(err, routeName);
      if (!res.headersSent) this.refuse(res, refusal, routeName, auth, req, started);
      else res.destroy();
    } finally {
      this.options.metrics?.request(routeName, res.statusCode, (performance.now() - started) / 1000);
      if (--this.inFlight === 0 && this.drained) this.drained();
    }
  }

  private checkCaller(hotkey: string, info: CallerInfo | undefined): void {
    const forbid = (reason: string): never => {
      throw new AxonRefusal('Blacklisted', `Forbidden. Key is blacklisted: ${reason}.`);
    };
    if (info === undefined) {
      if (!this.options.allowUnregistered) forbid(`Unrecognized hotkey ${hotkey} (not registered on this subnet)`);
      return;
    }
    if (this.options.requireValidatorPermit && !info.validatorPermit) forbid(`Non-validator hotkey ${hotkey} (uid ${info.uid} has no validator permit)`);
    const minStake = this.options.minStake ?? 0;
    if (info.stake < minStake) forbid(`Stake of ${hotkey} is ${info.stake} TAO, below the minimum of ${minStake} TAO`);
  }

  private async admit(auth: Authenticated, info: CallerInfo | undefined, deadline: number, signal: AbortSignal): Promise<{ release(): void }> {
    try {
      return await this.scheduler.acquire({ caller: auth.hotkey, priority: info?.stake ?? 0, deadline, signal });
    } catch (err) {
      if (!(err instanceof AdmissionRefused)) throw err;
      if (err.reason === 'Expired') throw new AxonRefusal('Timeout', `Response timeout after: ${auth.timeoutS}s`);
      throw new AxonRefusal('Overloaded', `Service unavailable: ${err.message}`);
    }
  }

  private async run(route: Route, input: Record<string, unknown>, raw: RawFields | null, auth: Authenticated, info: CallerInfo | undefined, res: ServerResponse, started: number, deadline: number, aborter: AbortController): Promise<void> {
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw new AxonRefusal('Timeout', `Response timeout after: ${auth.timeoutS}s`);
    // One controller per request fires on disconnect or on the caller's timeout (cheaper than
    // AbortSignal.any over AbortSignal.timeout, which the hot path paid on every request).
    const timer = setTimeout(() => aborter.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), Math.ceil(remaining));
    timer.unref();
    try {
      await this.forward(route, input, raw, auth, info, res, started, aborter.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async forward(route: Route, input: Record<string, unknown>, raw: RawFields | null, auth: Authenticated, info: CallerInfo | undefined, res: ServerResponse, started: number, signal: AbortSignal): Promise<void> {
    const ctx: ForwardContext = { signal, caller: { hotkey: auth.hotkey, info }, timeoutS: auth.timeoutS };
    if (route.forward === null) {
      this.respond(res, route, auth, input, raw, {}, started);
      return;
    }
    const result = route.forward(input, ctx);
    if (isAsyncIterable(result)) {
      await this.stream(res, route, auth, result, started, signal);
      return;
    }
    if (route.synapse.streaming) throw new Error(`the handler of streaming synapse ${route.synapse.name} returned a value instead of a stream`);
    const timedOut = new Promise<never>((_, reject) => {
      const onAbort = (): void => reject(new AxonRefusal('Timeout', `Response timeout after: ${auth.timeoutS}s`));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    timedOut.catch(() => undefined);
    const output = await Promise.race([result, timedOut]);
    const checked = route.synapse.response.safeParse(output);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new Error(`the handler of ${route.synapse.name} returned an invalid response at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    this.respond(res, route, auth, input, raw, checked.data as Record<string, unknown>, started);
  }

  private respond(res: ServerResponse, route: Route, auth: Authenticated, input: Record<string, unknown>, raw: RawFields | null, output: Record<string, unknown>, started: number): void {
    const processTime = (performance.now() - started) / 1000;
    const axon = this.axonInfo(200, 'Success', processTime, false);
    const dendrite = dendriteInfo(auth);
    const headers = { ...this.synapseHeaders(route.synapse, auth, axon, dendrite, input), 'content-type': 'application/json' };
    if (raw === null) {
      const body = synapseJson({ name: route.synapse.name, timeout: auth.timeoutS, totalSize: 0, dendrite, axon, fields: { ...input, ...output } });
      res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    // The input fields are echoed as the bytes received (and hashed), not serialized again: for a large
    // tensor that is most of the answer. The outputs follow the base fields, then the inputs.
    const head = synapseJson({ name: route.synapse.name, timeout: auth.timeoutS, totalSize: 0, dendrite, axon, fields: output });
    const parts: Buffer[] = [Buffer.from(head.slice(0, -1))];
    for (const [field, bytes] of raw) parts.push(Buffer.from(`,${JSON.stringify(field)}:`), bytes);
    parts.push(Buffer.from('}'));
    const body = Buffer.concat(parts);
    res.writeHead(200, { ...headers, 'content-length': body.length });
    res.end(body);
  }

  private async stream(res: ServerResponse, route: Route, auth: Authenticated, chunks: AsyncIterable<string | Uint8Array>, started: number, signal: AbortSignal): Promise<void> {
    const iterator = chunks[Symbol.asyncIterator]();
    // The first chunk decides the status: a handler failing before it still gets a proper error response.
    const first = await iterator.next();
    const axon = this.axonInfo(200, 'Success', (performance.now() - started) / 1000, false);
    res.writeHead(200, { ...this.synapseHeaders(route.synapse, auth, axon, dendriteInfo(auth), {}), 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let complete = false;
    try {
      for (let step = first; !step.done; step = await iterator.next()) {
        if (signal.aborted) break;
        if (!res.write(step.value)) await new Promise<void>((resolve) => res.once('drain', resolve));
      }
      complete = !signal.aborted;
    } finally {
      if (signal.aborted) await iterator.return?.();
      // Only a stream the handler finished ends cleanly; one cut short (a handler failing mid-stream, the
      // timeout) is reset, so the caller cannot take a truncated answer for a whole one.
      if (complete) res.end();
      else res.destroy();
    }
  }

  private synapseHeaders(synapse: SynapseDefinition, auth: Authenticated, axon: TerminalInfo, dendrite: TerminalInfo, input: Record<string, unknown>): Record<string, string> {
    const headers: Record<string, string> = {
      name: synapse.name, timeout: pythonFloatRepr(auth.timeoutS), ...terminalInfoHeaders('axon', axon), ...terminalInfoHeaders('dendrite', dendrite), ...inputObjHeadersOf(synapse, input),
    };
    headers['header_size'] = '0';
    headers['total_size'] = '0';
    headers['computed_body_hash'] = auth.bodyHash;
    return headers;
  }

  private axonInfo(statusCode: number, message: string, processTime: number, withIdentity: boolean): TerminalInfo {
    return terminalInfo({
      status_code: statusCode, status_message: message, process_time: processTime, ip: this.externalIp, port: this.boundPort === null ? null : this.externalPort, hotkey: this.hotkey,
      ...(withIdentity ? { version: PROTOCOL_VERSION, uuid: this.axonUuid, nonce: timeNs() } : {}),
    });
  }

  private refuse(res: ServerResponse, refusal: AxonRefusal, route: string, auth: Authenticated | undefined, req: IncomingMessage, started: number): void {
    const axon = this.axonInfo(refusal.status, headerSafe(refusal.message), (performance.now() - started) / 1000, true);
    const headers: Record<string, string> = { name: route, ...terminalInfoHeaders('axon', axon) };
    try {
      headers['timeout'] = pythonFloatRepr(auth?.timeoutS ?? timeoutOf(req.headers, { maxTimeoutS: Infinity, defaultTimeoutS: DEFAULT_TIMEOUT_S }));
    } catch {
      // An unparsable timeout is what is being refused; the header is left out.
    }
    if (req.socket.remoteAddress) headers['bt_header_dendrite_ip'] = req.socket.remoteAddress;
    if (req.socket.remotePort) headers['bt_header_dendrite_port'] = String(req.socket.remotePort);
    const body = JSON.stringify({ message: refusal.message, code: refusal.code });
    // A refused request's body may be unread or partly read: close the connection rather than parse what is left of it.
    const unread = !req.complete;
    res.writeHead(refusal.status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(unread ? { connection: 'close' } : {}) });
    res.end(body);
    this.log.debug('request refused', { route, status: refusal.status, code: refusal.code, caller: auth?.hotkey });
  }

  private internalError(err: unknown, route: string): AxonRefusal {
    const id = randomUUID();
    this.log.error('handler failed', { route, id, error: err instanceof Error ? err.message : String(err) });
    return new AxonRefusal('InternalError', `Internal Server Error #${id}`);
  }

  private reportQueue(): void {
    this.options.metrics?.queue(this.scheduler.queued, this.scheduler.inFlight);
  }
}

/** The dendrite's TerminalInfo as its (signed) headers establish it. */
function dendriteInfo(auth: Authenticated): TerminalInfo {
  return terminalInfo({ ip: auth.dendriteIp, version: auth.version, nonce: auth.nonce, uuid: auth.uuid, hotkey: auth.hotkey });
}

/**
 * The request fields of a body: base synapse fields and response fields are accepted and ignored (the
 * reference dendrite sends the whole model); any other key is refused, so nothing unhashed reaches the handler.
 * @throws AxonRefusal `InvalidBody`, `BodyHashMismatch`
 */
/** Request fields as the bytes of their JSON values in the received body. */
type RawFields = ReadonlyMap<string, Buffer>;

function parseInput(route: Route, body: Buffer, signedHash: string): { input: Record<string, unknown>; raw: RawFields | null } {
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AxonRefusal('InvalidBody', `the body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new AxonRefusal('InvalidBody', 'the body must be a JSON object (the synapse)');
  const fields: Record<string, unknown> = {};
  const requestKeys = new Set(Object.keys(route.synapse.request.shape));
  for (const [key, value] of Object.entries(json)) {
    if (requestKeys.has(key)) fields[key] = value;
    else if (!route.ignoredKeys.has(key)) throw new AxonRefusal('InvalidBody', `${route.synapse.name}.${key}: not a field of this synapse`);
  }
  const parsed = route.synapse.request.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AxonRefusal('InvalidBody', `${route.synapse.name}.${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  const input = parsed.data as Record<string, unknown>;
  // The hash covers the JSON as received, rendered the way pydantic would hold it (not zod's output, which
  // may resolve a union of objects to another member than pydantic does).
  const hash = route.synapse.hashOf(fields as SynapseRequest<SynapseDefinition>);
  if (hash !== signedHash) throw new AxonRefusal('BodyHashMismatch', `Hash mismatch between header body hash ${signedHash} and parsed body hash ${hash}`);
  return { input, raw: rawFields(body, requestKeys, fields) };
}

/**
 * The received bytes of every request field, echoed in the answer as they came (the values the body hash
 * covered); null when a field was not sent (its default is then serialized) or the body's layout is not
 * one the scanner follows.
 */
function rawFields(body: Buffer, requestKeys: ReadonlySet<string>, sent: Readonly<Record<string, unknown>>): RawFields | null {
  const members = topLevelMembers(body);
  if (members === null) return null;
  const raw = new Map<string, Buffer>();
  for (const key of requestKeys) {
    const range = members.get(key);
    if (range === undefined || !(key in sent)) return null;
    raw.set(key, body.subarray(range[0], range[1]));
  }
  return raw;
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 512);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
