/**
 * `/v1/subnets/:netuid/infer/ws`: inference over a WebSocket. An app sends `{"type": "infer", "id", "request"}`
 * messages (several may be in flight, up to `maxInFlight`) and gets, per request, its `chunk` messages as the
 * miner streams them (streaming subnets), then one `done` (the answer with its provenance) or one `error`
 * (`{code, message, details?}` from the API's error catalog). `{"type": "cancel", "id"}` stops a request.
 * Each `infer` message counts as one inference request against the key's rate limit and daily quota. A
 * client that does not read (more than `maxBufferedBytes` unsent) is disconnected and its requests cancelled.
 */
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { ApiError } from './errors';
import { EVENTS_PROTOCOL } from './events';
import type { InferOutcome } from './infer';
import type { StreamSink } from './routing';

export interface InferSocketOptions {
  /** Largest message accepted, bytes (the socket is closed with 1009 above it). */
  readonly maxPayloadBytes: number;
  /** Requests in flight per socket; more are answered `TooManyInFlight`. @default 4 */
  readonly maxInFlight?: number;
  /** Unsent bytes a client may fall behind by before it is disconnected. @default 4 MiB */
  readonly maxBufferedBytes?: number;
}

/** What the server supplies for one socket. */
export interface InferSocketSession {
  readonly netuid: number;
  /** Takes one request from the key's rate limit and quota; the refusal, or null. */
  admit(): ApiError | null;
  /** The request fields checked against the synapse's schema. */
  parse(request: unknown): { readonly ok: true; readonly input: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly error: ApiError };
  infer(input: Readonly<Record<string, unknown>>, signal: AbortSignal, sink: StreamSink): Promise<InferOutcome>;
  /** One line per request, as the HTTP request log. */
  log(status: number, ms: number, code?: string): void;
}

const envelope = z.object({
  type: z.enum(['infer', 'cancel']),
  id: z.string().min(1).max(64),
  request: z.unknown().optional(),
}).strict();

const TRY_AGAIN_LATER = 1013;
const GOING_AWAY = 1001;

export class InferSocketHub {
  readonly server: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly maxInFlight: number;
  private readonly maxBufferedBytes: number;

  constructor(options: InferSocketOptions) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      // As the events socket: only the app protocol is ever selected, never the `bearer.<secret>` offer.
      handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
    });
  }

  /** Serves an upgraded socket; sends it `ready`. */
  add(socket: WebSocket, session: InferSocketSession): void {
    this.sockets.add(socket);
    const inFlight = new Map<string, AbortController>();
    const cancelAll = (): void => {
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      cancelAll();
    });
    socket.on('error', () => socket.terminate());
    const send = (message: unknown): boolean => {
      if (socket.readyState !== socket.OPEN) return false;
      const text = JSON.stringify(message);
      if (socket.bufferedAmount + text.length > this.maxBufferedBytes) {
        cancelAll();
        socket.close(TRY_AGAIN_LATER, 'too slow: messages were not being read');
        setTimeout(() => socket.terminate(), 5000).unref();
        return false;
      }
      socket.send(text);
      return true;
    };
    const fail = (id: string | null, error: ApiError): void => {
      send({ type: 'error', id, error: error.toBody().error });
    };
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const begun = performance.now();
      const refuse = (id: string | null, error: ApiError): void => {
        fail(id, error);
        session.log(error.status, performance.now() - begun, error.code);
      };
      if (isBinary) return refuse(null, new ApiError('InvalidJson', 'messages are JSON text, not binary'));
      let json: unknown;
      try {
        json = JSON.parse(rawText(data));
      } catch (err) {
        return refuse(null, new ApiError('InvalidJson', `the message is not valid JSON: ${(err as Error).message}`));
      }
      const parsed = envelope.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.join('.') || '(message)';
        const id = typeof (json as { id?: unknown } | null)?.id === 'string' ? (json as { id: string }).id.slice(0, 64) : null;
        return refuse(id, new ApiError('InvalidRequest', `${field}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`, { field }));
      }
      const { type, id } = parsed.data;
      if (type === 'cancel') {
        inFlight.get(id)?.abort();
        inFlight.delete(id);
        return;
      }
      if (inFlight.has(id)) return refuse(id, new ApiError('InvalidRequest', `id: a request "${id}" is already in flight on this socket`, { field: 'id' }));
      if (inFlight.size >= this.maxInFlight) return refuse(id, new ApiError('TooManyInFlight', `this socket already has ${this.maxInFlight} requests in flight: wait for one to finish`, { limit: this.maxInFlight }));
      const refusal = session.admit();
      if (refusal !== null) return refuse(id, refusal);
      const input = session.parse(parsed.data.request ?? {});
      if (!input.ok) return refuse(id, input.error);
      const controller = new AbortController();
      inFlight.set(id, controller);
      const sink: StreamSink = {
        start: () => undefined,
        chunk: (chunk, index) => {
          if (!controller.signal.aborted) send({ type: 'chunk', id, index, chunk });
        },
      };
      void session.infer(input.input, controller.signal, sink).then(
        (outcome) => {
          if (controller.signal.aborted) return session.log(499, performance.now() - begun, 'Cancelled');
          inFlight.delete(id);
          if (outcome.ok) {
            send({ type: 'done', id, ...outcome.result });
            session.log(200, performance.now() - begun);
          } else {
            fail(id, outcome.error);
            session.log(outcome.error.status, performance.now() - begun, outcome.error.code);
          }
        },
        (err: unknown) => {
          inFlight.delete(id);
          void err;
          const error = new ApiError('InternalError', 'internal error (the validator’s log has it)');
          fail(id, error);
          session.log(500, performance.now() - begun, error.code);
        },
      );
    });
    send({ type: 'ready', netuid: session.netuid });
  }

  get size(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.close(GOING_AWAY, 'the validator API is shutting down');
    await Promise.all([...this.sockets].map((socket) => new Promise<void>((resolve) => {
      if (socket.readyState === socket.CLOSED) return resolve();
      const timer = setTimeout(() => socket.terminate(), 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    })));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
