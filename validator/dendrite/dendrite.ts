/**
 * The dendrite: signed requests to axons in the reference SDK's wire format (so it queries Python miners
 * and tensornet miners alike), with bounded concurrency, a deadline over each whole exchange, a cap on
 * answer size, and every failure returned as a typed result (the reference's `DENDRITE_ERROR_MAPPING`
 * codes: 503 unreachable, 408 timeout, the HTTP code of a refusal, 422 unparseable, 400 payload error) —
 * a miner that hangs, refuses, trickles bytes or answers garbage never throws into the validator.
 *
 * Streaming synapses (`stream`): the same signed request, then the `text/event-stream` body decoded into
 * chunks as it arrives and handed over as an async iterable, under the same deadline (connect + send + the
 * whole stream) and byte cap, with the assembled answer and the answer's headers in the final result.
 */
import type { Keypair } from '../../chain-client/wallet';
import { buildRequest, DEFAULT_TIMEOUT_S, uuid1, type AxonTarget, type SynapseDefinition, type SynapseRequest, type SynapseResponse } from '../../protocol';
import { ChunkQueue, type StreamCall, type StreamQueryOptions, type StreamResult } from './stream';
import { HttpTransport, TransportError, type DendriteTransport, type TransportRequest, type TransportStream } from './transport';

/** How an answer came back (the validator's scoring statuses). */
export type QueryStatus = 'ok' | 'timeout' | 'unavailable' | 'refused' | 'invalid' | 'error';

export interface QueryResult<D extends SynapseDefinition> {
  readonly target: AxonTarget;
  readonly status: QueryStatus;
  /** The reference dendrite's `dendrite.status_code`: 200 on success, else the mapped failure code. */
  readonly code: number;
  readonly message: string;
  /** Seconds from sending to having read the whole answer (or failing). */
  readonly latencyS: number;
  /** The whole JSON body of a 200 answer (the filled synapse). */
  readonly body: Readonly<Record<string, unknown>> | null;
  /** The response fields, validated against the synapse's response schema (`ok` only). */
  readonly response: SynapseResponse<D> | null;
}

export interface DendriteOptions {
  /** The validator's hotkey: signs every request. */
  readonly hotkey: Keypair;
  /** @default a keep-alive undici pool */
  readonly transport?: DendriteTransport;
  /** Requests in flight at once across all axons; the rest wait their turn (their deadline starts when they are sent). @default 64 */
  readonly maxConcurrency?: number;
  /** Largest answer body read, bytes. @default 16 MiB */
  readonly maxResponseBytes?: number;
  /**
   * This validator's external IP, sent as `bt_header_dendrite_ip`. An axon announced at this same IP runs on
   * this machine (or behind the same NAT): it is reached on loopback, as the reference dendrite does. @default '0.0.0.0'
   */
  readonly externalIp?: string;
}

export interface QueryOptions {
  /** Seconds for the whole exchange; sent to the miner as the synapse timeout. @default 12 */
  readonly timeoutS?: number;
  /** Aborts the query (e.g. the validator shutting down): answered as a timeout. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

function messageOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  } catch {
    // not JSON: the caller falls back to the status line
  }
  return undefined;
}

function responseFields<D extends SynapseDefinition>(synapse: D, body: Readonly<Record<string, unknown>>): { ok: true; value: SynapseResponse<D> } | { ok: false; reason: string } {
  const picked: Record<string, unknown> = {};
  for (const field of Object.keys(synapse.response.shape)) if (body[field] !== undefined) picked[field] = body[field];
  const parsed = synapse.response.safeParse(picked);
  if (parsed.success) return { ok: true, value: parsed.data as SynapseResponse<D> };
  const issue = parsed.error.issues[0]!;
  return { ok: false, reason: `${synapse.name}.${issue.path.join('.') || '(response)'}: ${issue.message}` };
}

/** The `axon.status_code` a 200 answer reports (body object or header), as the reference dendrite reads it. */
function reportedAxonStatus(body: Readonly<Record<string, unknown>>, headers: Readonly<Record<string, string>>): number | undefined {
  const header = headers['bt_header_axon_status_code'];
  if (header !== undefined && /^\d+$/.test(header)) return Number(header);
  const axon = body['axon'];
  if (typeof axon === 'object' && axon !== null) {
    const code = (axon as { status_code?: unknown }).status_code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** A transport failure as the reference dendrite reports it. */
function transportFailure(err: unknown, timeoutS: number, target: AxonTarget, synapseName: string): { status: QueryStatus; code: number; message: string } {
  if (!(err instanceof TransportError)) return { status: 'error', code: 500, message: `Client error: ${err instanceof Error ? err.message : String(err)}` };
  switch (err.code) {
    case 'Timeout':
      return { status: 'timeout', code: 408, message: `Request timeout after ${timeoutS} seconds` };
    case 'ConnectFailed':
      return { status: 'unavailable', code: 503, message: `Service unavailable at ${target.ip}:${target.port}/${synapseName}` };
    case 'Disconnected':
      return { status: 'unavailable', code: 503, message: `Service disconnected: ${err.message}` };
    case 'TooLarge':
      return { status: 'invalid', code: 400, message: `Payload error: ${err.message}` };
    default:
      return { status: 'error', code: 500, message: `Client error: ${err.message}` };
  }
}

export class Dendrite {
  /** The instance's first uuid (`bt_header_dendrite_uuid`); concurrent requests to one axon use more (see `lane`). */
  readonly uuid = uuid1();
  /**
   * Free uuids per axon. An axon requires nonces to increase per (hotkey, uuid), but concurrent requests on
   * several connections arrive in any order; so each request in flight to an axon holds its own uuid (a
   * lane), and a lane's next request is built only after its previous one finished, with a later nonce.
   */
  private readonly lanes = new Map<string, string[]>();
  private readonly transport: DendriteTransport;
  private readonly slots: Semaphore;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: DendriteOptions) {
    this.transport = options.transport ?? new HttpTransport();
    const concurrency = options.maxConcurrency ?? 64;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`maxConcurrency must be a positive integer, got ${concurrency}`);
    this.slots = new Semaphore(concurrency);
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  get hotkey(): string {
    return this.options.hotkey.address;
  }

  /**
   * Queries one axon. Never throws for the miner's doing; throws only for the caller's (an input that fails
   * the synapse's request schema: ProtocolError `InvalidSynapseInput`).
   */
  async query<D extends SynapseDefinition>(target: AxonTarget, synapse: D, input: SynapseRequest<D>, options: QueryOptions = {}): Promise<QueryResult<D>> {
    const timeoutS = options.timeoutS ?? DEFAULT_TIMEOUT_S;
    const release = await this.slots.acquire();
    const { free, uuid } = this.lane(target);
    try {
      const request = buildRequest({ synapse, input, hotkey: this.options.hotkey, axon: target, uuid, timeout: timeoutS, dendriteIp: this.options.externalIp ?? '0.0.0.0' });
      const deadline = AbortSignal.timeout(Math.ceil(timeoutS * 1000));
      const signal = options.signal === undefined ? deadline : AbortSignal.any([deadline, options.signal]);
      const started = performance.now();
      const elapsed = (): number => (performance.now() - started) / 1000;
      const fail = (status: QueryStatus, code: number, message: string): QueryResult<D> => ({ target, status, code, message, latencyS: elapsed(), body: null, response: null });
      let answer;
      try {
        answer = await this.transport.send({ url: this.urlOf(target, request.url), headers: request.headers, body: request.body, signal, maxBytes: this.maxResponseBytes });
      } catch (err) {
        const mapped = transportFailure(err, timeoutS, target, synapse.name);
        return fail(mapped.status, mapped.code, mapped.message);
      }
      if (answer.status !== 200) {
        const message = messageOf(answer.body) ?? `HTTP ${answer.status}`;
        const status: QueryStatus = answer.status === 408 ? 'timeout' : answer.status === 503 ? 'unavailable' : 'refused';
        return fail(status, answer.status, message);
      }
      let body: unknown;
      try {
        body = JSON.parse(answer.body.toString('utf8'));
      } catch (err) {
        return fail('invalid', 422, `Failed to parse response: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail('invalid', 422, 'Failed to parse response: the body is not a JSON object');
      const record = body as Record<string, unknown>;
      const reported = reportedAxonStatus(record, answer.headers);
      if (reported !== 200) return fail('refused', reported ?? 422, `the axon reported status ${reported ?? 'none'} in a 200 answer`);
      const fields = responseFields(synapse, record);
      if (!fields.ok) return { ...fail('invalid', 422, `Failed to parse response: ${fields.reason}`), body: record };
      return { target, status: 'ok', code: 200, message: 'Success', latencyS: elapsed(), body: record, response: fields.value };
    } finally {
      free.push(uuid);
      release();
    }
  }

  /**
   * Queries one axon of a streaming synapse: the chunks as they arrive, and the final result. Never throws
   * (nor does the iteration) for the miner's doing; `result` rejects only for the caller's (an input that
   * fails the request schema: ProtocolError `InvalidSynapseInput`).
   *
   * Failures are typed as for `query`: `timeout` (408) when the deadline passes before the stream ends (a
   * miner that hangs or trickles), `invalid` 400 past `maxResponseBytes`, `invalid` 422 for bytes the decoder
   * refuses or chunks that do not assemble, `unavailable` (503) for a connection that fails, `refused` for a
   * non-200 answer. The chunks read before a failure stay in the result.
   */
  stream<D extends SynapseDefinition, C>(target: AxonTarget, synapse: D, input: SynapseRequest<D>, options: StreamQueryOptions<C>): StreamCall<D, C> {
    const queue = new ChunkQueue<C>();
    const cancelled = new AbortController();
    const result = this.readStream(target, synapse, input, options, queue, cancelled.signal);
    // The iteration ends with the stream; a result that rejects (the caller's input) makes it throw that.
    result.then(() => queue.end(), (err: unknown) => queue.end(err));
    return {
      target,
      result,
      cancel: () => cancelled.abort(),
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }

  /** Streams from several axons at once (within the concurrency bound) and waits for every result, in the targets' order. */
  async forwardStream<D extends SynapseDefinition, C>(targets: readonly AxonTarget[], synapse: D, input: SynapseRequest<D>, options: Omit<StreamQueryOptions<C>, 'decoder'> & { readonly decoder: () => StreamQueryOptions<C>['decoder'] }): Promise<StreamResult<D, C>[]> {
    return Promise.all(targets.map((target) => this.stream(target, synapse, input, { ...options, decoder: options.decoder() }).result));
  }

  private async readStream<D extends SynapseDefinition, C>(target: AxonTarget, synapse: D, input: SynapseRequest<D>, options: StreamQueryOptions<C>, queue: ChunkQueue<C>, cancelled: AbortSignal): Promise<StreamResult<D, C>> {
    const timeoutS = options.timeoutS ?? DEFAULT_TIMEOUT_S;
    const release = await this.slots.acquire();
    const { free, uuid } = this.lane(target);
    const chunks: C[] = [];
    let firstChunkS: number | null = null;
    let bytes = 0;
    let headers: Readonly<Record<string, string>> = {};
    try {
      const request = buildRequest({ synapse, input, hotkey: this.options.hotkey, axon: target, uuid, timeout: timeoutS, dendriteIp: this.options.externalIp ?? '0.0.0.0' });
      const signal = AbortSignal.any([AbortSignal.timeout(Math.ceil(timeoutS * 1000)), cancelled, ...(options.signal === undefined ? [] : [options.signal])]);
      const started = performance.now();
      const elapsed = (): number => (performance.now() - started) / 1000;
      const end = (status: QueryStatus, code: number, message: string, response: SynapseResponse<D> | null = null): StreamResult<D, C> => ({
        target, status, code, message, latencyS: elapsed(), body: response as Readonly<Record<string, unknown>> | null, response, chunks, firstChunkS, bytes, headers,
      });
      const failed = (err: unknown): StreamResult<D, C> => {
        const mapped = transportFailure(err, timeoutS, target, synapse.name);
        return end(mapped.status, mapped.code, mapped.message);
      };
      const transportRequest: TransportRequest = { url: this.urlOf(target, request.url), headers: request.headers, body: request.body, signal, maxBytes: this.maxResponseBytes };
      let opened: TransportStream;
      try {
        opened = await this.open(transportRequest);
      } catch (err) {
        return failed(err);
      }
      headers = opened.headers;
      if (opened.status !== 200) {
        const body: Buffer[] = [];
        try {
          for await (const piece of opened.body) body.push(Buffer.from(piece));
        } catch (err) {
          return failed(err);
        }
        const status: QueryStatus = opened.status === 408 ? 'timeout' : opened.status === 503 ? 'unavailable' : 'refused';
        return end(status, opened.status, messageOf(Buffer.concat(body)) ?? `HTTP ${opened.status}`);
      }
      const reported = headers['bt_header_axon_status_code'];
      if (reported !== undefined && reported !== '200') return end('refused', /^\d+$/.test(reported) ? Number(reported) : 422, `the axon reported status ${reported} in a 200 answer`);
      const type = headers['content-type'] ?? '';
      if (!type.startsWith('text/event-stream')) return end('invalid', 422, `Failed to parse response: a streaming synapse answers text/event-stream, not ${type === '' ? 'no content type' : type}`);
      const take = (decoded: readonly C[]): void => {
        for (const chunk of decoded) {
          firstChunkS ??= elapsed();
          chunks.push(chunk);
          queue.push(chunk);
        }
      };
      try {
        for await (const piece of opened.body) {
          bytes += piece.length;
          let decoded: readonly C[];
          try {
            decoded = options.decoder.push(piece);
          } catch (err) {
            return end('invalid', 422, `Failed to parse response: ${err instanceof Error ? err.message : String(err)}`);
          }
          take(decoded);
        }
      } catch (err) {
        return failed(err);
      }
      try {
        take(options.decoder.end());
      } catch (err) {
        return end('invalid', 422, `Failed to parse response: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (options.assemble === undefined) return end('ok', 200, 'Success');
      let assembled: unknown;
      try {
        assembled = options.assemble(chunks);
      } catch (err) {
        return end('invalid', 422, `Failed to parse response: ${err instanceof Error ? err.message : String(err)}`);
      }
      const fields = typeof assembled === 'object' && assembled !== null && !Array.isArray(assembled) ? responseFields(synapse, assembled as Record<string, unknown>) : { ok: false as const, reason: 'the chunks assembled into no object' };
      if (!fields.ok) return end('invalid', 422, `Failed to parse response: ${fields.reason}`);
      return end('ok', 200, 'Success', fields.value);
    } finally {
      free.push(uuid);
      release();
    }
  }

  /** The transport's incremental read, or (a transport without one) the whole answer read first. */
  private async open(request: TransportRequest): Promise<TransportStream> {
    if (this.transport.open !== undefined) return this.transport.open(request);
    const answer = await this.transport.send(request);
    return { status: answer.status, headers: answer.headers, body: (async function* () { yield answer.body; })() };
  }

  /** A uuid lane for a request to `target` (see `lanes`); push `uuid` back into `free` when the request is done. */
  private lane(target: AxonTarget): { free: string[]; uuid: string } {
    const laneKey = `${target.hotkey}@${target.ip}:${target.port}`;
    let free = this.lanes.get(laneKey);
    // An axon's first lane is the instance uuid, as the reference dendrite would send.
    if (free === undefined) this.lanes.set(laneKey, (free = [this.uuid]));
    return { free, uuid: free.pop() ?? uuid1() };
  }

  private urlOf(target: AxonTarget, url: string): string {
    const own = this.options.externalIp;
    if (own === undefined || own === '0.0.0.0' || target.ip !== own) return url;
    return `http://${target.ip.includes(':') ? '[::1]' : '127.0.0.1'}:${target.port}${new URL(url).pathname}`;
  }

  /** Queries several axons concurrently (within the concurrency bound); results in the targets' order. */
  async forward<D extends SynapseDefinition>(targets: readonly AxonTarget[], synapse: D, input: SynapseRequest<D>, options: QueryOptions = {}): Promise<QueryResult<D>[]> {
    return Promise.all(targets.map((target) => this.query(target, synapse, input, options)));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
