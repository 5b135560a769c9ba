/**
 * The dendrite's HTTP transport, behind an interface so apps and tests can swap it. The default,
 * {@link HttpTransport}, is undici's keep-alive connection pool: one bounded pool per axon origin, every
 * request bounded as a whole (connect + send + full read) by its signal, the body read with a byte cap so
 * a huge or endless answer cannot exhaust memory. `open` hands the body over as it arrives (streaming
 * synapses), under the same deadline and cap.
 */
import { Agent, errors as undiciErrors } from 'undici';
import { TensornetError } from '../../common/errors';

/**
 * - `ConnectFailed`: no connection (refused, unreachable, DNS); `Disconnected`: the peer closed or reset it mid-exchange;
 * - `Timeout`: the deadline passed before the whole answer was read; `TooLarge`: the answer exceeded the byte cap;
 * - `Failed`: any other transport failure.
 */
export type TransportErrorCode = 'ConnectFailed' | 'Disconnected' | 'Timeout' | 'TooLarge' | 'Failed';

export class TransportError extends TensornetError<TransportErrorCode> {}

export interface TransportRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborts the whole exchange (the dendrite's deadline). */
  readonly signal: AbortSignal;
  /** Most bytes of answer body read before giving up. */
  readonly maxBytes: number;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** An answer whose body is read as it arrives (a streaming synapse's). */
export interface TransportStream {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body's bytes as they arrive, at most `maxBytes` in all. Iterating it throws TransportError
   * (`Timeout` when the request's signal fires, `TooLarge`, `Disconnected`…); stopping early releases the connection.
   */
  readonly body: AsyncIterable<Uint8Array>;
}

export interface DendriteTransport {
  /** @throws TransportError */
  send(request: TransportRequest): Promise<TransportResponse>;
  /**
   * Sends a request and resolves once the answer's status and headers are in, its body still to be read.
   * Optional: without it, a streaming query reads the whole answer with `send` first (correct, not incremental).
   * @throws TransportError
   */
  open?(request: TransportRequest): Promise<TransportStream>;
  close(): Promise<void>;
}

export interface HttpTransportOptions {
  /** Connections kept per axon origin. @default 16 */
  readonly connectionsPerOrigin?: number;
  /** Idle keep-alive connections are closed after this. @default 30_000 */
  readonly keepAliveMs?: number;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const DISCONNECT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

// Duck-typed, not `instanceof Error`: errors raised by Node's own sockets may come from another realm (vm contexts, test runners).
function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function messageOf(err: unknown): string {
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(err);
}

/** A body read with a byte cap; any failure as a TransportError; the body destroyed when the reader stops early. */
async function* boundedBody(body: AsyncIterable<unknown> & { destroy(): unknown; readonly destroyed: boolean }, maxBytes: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) throw new TransportError('TooLarge', `the answer exceeded the ${maxBytes}-byte limit`);
      yield buffer;
    }
  } catch (err) {
    throw transportError(err, signal);
  } finally {
    if (!body.destroyed) body.destroy();
  }
}

/** Any failure of an exchange as a TransportError (a deadline that passed wins over what it caused). */
function transportError(err: unknown, signal: AbortSignal): TransportError {
  if (err instanceof TransportError) return err;
  if (signal.aborted) return new TransportError('Timeout', 'the deadline passed before the answer was read', {}, { cause: err });
  const code = errorCode(err);
  const message = messageOf(err);
  if (code !== undefined && CONNECT_CODES.has(code)) return new TransportError('ConnectFailed', `cannot connect: ${message}`, { errno: code }, { cause: err });
  if ((code !== undefined && DISCONNECT_CODES.has(code)) || err instanceof undiciErrors.SocketError) {
    return new TransportError('Disconnected', `the connection closed: ${message}`, { errno: code }, { cause: err });
  }
  return new TransportError('Failed', message, { errno: code }, { cause: err });
}

/** undici's keep-alive pool. */
export class HttpTransport implements DendriteTransport {
  private readonly agent: Agent;

  constructor(options: HttpTransportOptions = {}) {
    this.agent = new Agent({ connections: options.connectionsPerOrigin ?? 16, keepAliveTimeout: options.keepAliveMs ?? 30_000, keepAliveMaxTimeout: options.keepAliveMs ?? 30_000 });
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const opened = await this.open(request);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of opened.body) {
      chunks.push(chunk as Buffer);
      size += chunk.length;
    }
    return { status: opened.status, headers: opened.headers, body: Buffer.concat(chunks, size) };
  }

  async open(request: TransportRequest): Promise<TransportStream> {
    const { signal } = request;
    let response;
    try {
      response = await this.agent.request({
        origin: new URL(request.url).origin,
        path: new URL(request.url).pathname,
        method: 'POST',
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: request.body,
        signal,
        // The signal is the deadline; undici's own per-phase timers stay off so only one clock decides.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } catch (err) {
      throw transportError(err, signal);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > request.maxBytes) {
      response.body.destroy();
      throw new TransportError('TooLarge', `the answer declares ${declared} bytes, more than the ${request.maxBytes}-byte limit`);
    }
    return { status: response.statusCode, headers: flatHeaders(response.headers), body: boundedBody(response.body, request.maxBytes, signal) };
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
