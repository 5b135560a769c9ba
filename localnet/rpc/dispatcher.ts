/**
 * Transport-independent JSON-RPC 2.0 processing: parse, validate the envelope and the params,
 * dispatch to the handler map, build responses (single or batch). Never throws: every failure
 * becomes a JSON-RPC error object.
 */
import { ChainError } from '../chain/errors';
import { errorMessage, invalidParams, RpcError, RpcErrorCodes, toErrorObject, unsafeRpcCalled, type JsonRpcErrorObject } from './errors';
import { serializeJson, type Json } from './json';
import { truncate, type Logger } from './logger';
import type { ParamDef, RpcContext, RpcEntry, RpcHandlers } from './method';
import { requestSchema } from './schemas';
import type { ConnectionSubscriptions } from './subscriptions';

/** The client a message came from. */
export interface Connection {
  /** A per-server sequence number (for logs). */
  readonly id: number;
  readonly transport: 'ws' | 'http';
  /** The connection's subscriptions; `undefined` over HTTP, which cannot carry notifications. */
  readonly subscriptions: ConnectionSubscriptions | undefined;
}

/** The answer to one message: the response text (none for notifications only) and what to run once it was sent. */
export interface DispatchResult {
  readonly response: string | undefined;
  /** Activates subscriptions created by the message; call after writing `response`. */
  readonly afterSend: ReadonlyArray<() => void>;
}

type RequestId = string | number | null;

function errorResponse(id: RequestId, error: JsonRpcErrorObject): string {
  return serializeJson({ jsonrpc: '2.0', id, error: { code: error.code, message: error.message, data: error.data } });
}

/** The error response for a request the server refuses before parsing it (e.g. too large). */
export function standaloneErrorResponse(error: JsonRpcErrorObject): string {
  return errorResponse(null, error);
}

/** The request id when `raw` carries a usable one, for error responses to invalid requests. */
function salvageId(raw: unknown): RequestId {
  if (typeof raw === 'object' && raw !== null && 'id' in raw) {
    const { id } = raw as { id: unknown };
    if (typeof id === 'string' || typeof id === 'number') return id;
  }
  return null;
}

/** Validates wire params (positional array or named object) against a parameter list. */
export function parseParams(defs: readonly ParamDef[], raw: readonly unknown[] | Readonly<Record<string, unknown>> | undefined): unknown[] {
  let values: readonly unknown[];
  if (raw === undefined) {
    values = [];
  } else if (Array.isArray(raw)) {
    if (raw.length > defs.length) throw invalidParams(undefined, `expected at most ${defs.length} params, got ${raw.length}`);
    values = raw;
  } else {
    const named = raw as Readonly<Record<string, unknown>>;
    const unknownName = Object.keys(named).find((key) => !defs.some((def) => def.name === key));
    if (unknownName !== undefined) throw invalidParams(unknownName, 'unknown parameter');
    values = defs.map((def) => named[def.name]);
  }
  return defs.map((def, index) => {
    const value = values[index];
    const result = def.schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const path = issue === undefined ? [] : issue.path;
    const name = def.name + path.map((segment) => `[${String(segment)}]`).join('');
    throw invalidParams(name, value === undefined ? 'missing required parameter' : (issue?.message ?? 'invalid value'));
  });
}

export class Dispatcher {
  readonly #handlers: RpcHandlers;
  readonly #ctx: RpcContext;
  readonly #logger: Logger;

  constructor(handlers: RpcHandlers, ctx: RpcContext) {
    this.#handlers = handlers;
    this.#ctx = ctx;
    this.#logger = ctx.logger;
  }

  /**
   * Processes one message (a request, a notification or a batch). Handlers of a batch start in
   * message order, synchronously, before the first await.
   */
  async handle(text: string, conn: Connection): Promise<DispatchResult> {
    const afterSend: Array<() => void> = [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      this.#logger.debug('rpc parse error', { connection: conn.id, reason: errorMessage(err) });
      return { response: errorResponse(null, { code: RpcErrorCodes.ParseError, message: 'Parse error', data: errorMessage(err) }), afterSend };
    }
    if (Array.isArray(body)) {
      if (body.length === 0) {
        return { response: errorResponse(null, { code: RpcErrorCodes.InvalidRequest, message: 'Invalid request', data: 'empty batch' }), afterSend };
      }
      const responses = await Promise.all(body.map((item: unknown) => this.#call(item, conn, afterSend)));
      const sent = responses.filter((response): response is string => response !== undefined);
      return { response: sent.length === 0 ? undefined : `[${sent.join(',')}]`, afterSend };
    }
    return { response: await this.#call(body, conn, afterSend), afterSend };
  }

  /** One request: its serialized response, or `undefined` for a notification. */
  async #call(raw: unknown, conn: Connection, afterSend: Array<() => void>): Promise<string | undefined> {
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
      return errorResponse(salvageId(raw), { code: RpcErrorCodes.InvalidRequest, message: 'Invalid request', data: `${where}: ${issue?.message ?? 'invalid'}` });
    }
    const request = parsed.data;
    const isNotification = request.id === undefined;
    const id: RequestId = request.id ?? null;
    const entry: RpcEntry | undefined = Object.hasOwn(this.#handlers, request.method) ? this.#handlers[request.method] : undefined;
    if (entry === undefined) {
      this.#logger.debug('rpc method not found', { connection: conn.id, method: truncate(request.method, 128) });
      return isNotification ? undefined : errorResponse(id, { code: RpcErrorCodes.MethodNotFound, message: 'Method not found', data: truncate(request.method, 128) });
    }
    if (entry.unsafe !== undefined && this.#ctx.denyUnsafe) {
      this.#logger.debug('rpc unsafe call refused', { connection: conn.id, method: request.method });
      return isNotification ? undefined : errorResponse(id, unsafeRpcCalled(entry.unsafe.error).toErrorObject());
    }
    this.#logger.debug('rpc call', { connection: conn.id, transport: conn.transport, method: request.method, id });
    try {
      const args = parseParams(entry.params, request.params);
      const result = await this.#invoke(entry, args, conn, isNotification, afterSend);
      return isNotification ? undefined : serializeJson({ jsonrpc: '2.0', id, result: result ?? null });
    } catch (err) {
      if (err instanceof RpcError || err instanceof ChainError) {
        this.#logger.debug('rpc call refused', { connection: conn.id, method: request.method, reason: errorMessage(err) });
      } else {
        this.#logger.warn('rpc handler failed', { connection: conn.id, method: request.method, err });
      }
      return isNotification ? undefined : errorResponse(id, toErrorObject(err));
    }
  }

  async #invoke(entry: RpcEntry, args: unknown[], conn: Connection, isNotification: boolean, afterSend: Array<() => void>): Promise<Json | undefined> {
    switch (entry.kind) {
      case 'method':
        return entry.call(this.#ctx, args);
      case 'subscription': {
        const subs = conn.subscriptions;
        if (subs === undefined) throw new RpcError('InternalError', 'Subscriptions are not supported over HTTP; connect over WebSocket');
        // A subscription nobody can learn the id of would only leak.
        if (isNotification) return undefined;
        const started = await subs.start(entry.notification, (sink) => entry.start(this.#ctx, args, sink));
        afterSend.push(started.activate);
        return started.id;
      }
      case 'unsubscribe': {
        const subs = conn.subscriptions;
        if (subs === undefined) throw new RpcError('InternalError', 'Subscriptions are not supported over HTTP; connect over WebSocket');
        return subs.unsubscribe(String(args[0]), entry.notification);
      }
    }
  }
}
