/**
 * The node's JSON-RPC 2.0 endpoint: WebSocket and HTTP POST on one port (a node `http` server whose
 * `upgrade` requests are handed to a `ws` server), as a Substrate node serves both on 9944.
 *
 * Access follows a Substrate node's flags: `rpcMethods` (`--rpc-methods`) decides whether unsafe
 * methods are served, and `cors` (`--rpc-cors`) which browser origins may call, checked on every HTTP
 * request and on the WebSocket upgrade. A request without an `Origin` header (a program, not a page)
 * is always served, as on Substrate.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { DEFAULT_CORS_ORIGINS, denyUnsafe as deniesUnsafe, listenScope, originAllowed, type CorsPolicy, type RpcMethodsPolicy } from './access';
import type { RpcBackend } from './backend';
import { Dispatcher, standaloneErrorResponse, type Connection } from './dispatcher';
import { RpcErrorCodes } from './errors';
import { createHandlers } from './handlers';
import { serializeJson } from './json';
import { silentLogger, truncate, type Logger } from './logger';
import type { RpcHandlers } from './method';
import { ConnectionSubscriptions } from './subscriptions';

/** Substrate's default `--rpc-max-request-size`: 15 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 15 * 1024 * 1024;
/** Substrate's default `--rpc-max-subscriptions-per-connection`. */
export const DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 1024;
/** How long `close()` waits for WebSocket clients to acknowledge the close frame. */
const CLOSE_GRACE_MS = 1000;

export interface RpcServerOptions {
  /** The chain the endpoint serves. */
  readonly backend: RpcBackend;
  /** Interface to bind. @default '127.0.0.1' */
  readonly host?: string;
  /** Port to bind; 0 picks a free one. @default 9944 */
  readonly port?: number;
  /** Largest request accepted (HTTP body or WebSocket message); larger ones get HTTP 413 / close code 1009. @default 15 MiB */
  readonly maxRequestBytes?: number;
  /** Most subscriptions one WebSocket connection may hold. @default 1024 */
  readonly maxSubscriptionsPerConnection?: number;
  /** Where the server logs. @default silent */
  readonly logger?: Logger;
  /** Handlers added to (or replacing) the standard map. @default none */
  readonly extraHandlers?: RpcHandlers;
  /** Whether unsafe methods (e.g. `dev_newBlock`) are served; `auto` serves them on loopback only. @default 'auto' */
  readonly rpcMethods?: RpcMethodsPolicy;
  /** Browser origins allowed to call (HTTP and WebSocket). @default DEFAULT_CORS_ORIGINS (localhost pages) */
  readonly cors?: CorsPolicy;
}

export interface RpcServer {
  /** The bound port. */
  readonly port: number;
  /** `ws://host:port` */
  readonly url: string;
  /** `http://host:port` */
  readonly httpUrl: string;
  /** Whether unsafe methods are refused (the resolved `rpcMethods`). */
  readonly denyUnsafe: boolean;
  /** How many WebSocket connections are open. */
  connectionCount(): number;
  /** Closes every connection (tearing down their subscriptions) and stops listening. Idempotent. */
  close(): Promise<void>;
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const CORS_ALLOW_METHODS = 'POST, GET, OPTIONS';
const CORS_ALLOW_HEADERS = 'content-type';

function forbiddenOrigin(origin: string): string {
  return `origin ${JSON.stringify(origin)} is not allowed to call this node (start it with --rpc-cors to allow it)\n`;
}

/**
 * Starts the endpoint and resolves once it listens.
 *
 * @example
 * const server = await createRpcServer({ backend, port: 0 });
 * const provider = new WsProvider(server.url);
 * // …
 * await server.close();
 */
export async function createRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const host = options.host ?? '127.0.0.1';
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const maxSubscriptions = options.maxSubscriptionsPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
  const logger = options.logger ?? silentLogger;
  const cors = options.cors ?? DEFAULT_CORS_ORIGINS;
  const denyUnsafe = deniesUnsafe(options.rpcMethods ?? 'auto', await listenScope(host));
  const dispatcher = new Dispatcher(createHandlers(options.extraHandlers, { denyUnsafe }), { backend: options.backend, logger, denyUnsafe });
  const sockets = new Map<WebSocket, Connection & { readonly subscriptions: ConnectionSubscriptions }>();
  let nextConnectionId = 1;
  let closing: Promise<void> | undefined;

  const tooLargeBody = standaloneErrorResponse({
    code: RpcErrorCodes.OversizedRequest,
    message: 'Request is too big',
    data: `Exceeded max limit of ${maxRequestBytes}`,
  });

  function onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!originAllowed(origin, cors)) {
        // Refused before the body is read, so a page cannot make the node act even without reading the answer.
        logger.debug('rpc origin refused', { transport: 'http', origin });
        res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end(forbiddenOrigin(origin));
        req.resume();
        return;
      }
      res.setHeader('access-control-allow-origin', cors === 'all' ? '*' : origin);
      if (cors !== 'all') res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-methods', CORS_ALLOW_METHODS);
      res.setHeader('access-control-allow-headers', CORS_ALLOW_HEADERS);
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && (req.url ?? '/').split('?')[0] === '/health') {
      res.writeHead(200, JSON_HEADERS).end(serializeJson({ peers: 0, isSyncing: false, shouldHavePeers: false }));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...JSON_HEADERS, allow: 'POST, OPTIONS' });
      res.end(standaloneErrorResponse({ code: RpcErrorCodes.InvalidRequest, message: 'Invalid request', data: 'use POST for JSON-RPC over HTTP' }));
      req.resume();
      return;
    }
    const refuse = (): void => {
      logger.debug('rpc request too large', { transport: 'http', limit: maxRequestBytes });
      res.writeHead(413, { ...JSON_HEADERS, connection: 'close' }).end(tooLargeBody);
      // Keep reading (and dropping) the body so the client receives the response.
      req.resume();
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxRequestBytes) {
      refuse();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxRequestBytes) {
        refused = true;
        chunks.length = 0;
        refuse();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('error', (err) => logger.debug('http request stream failed', { err }));
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const conn: Connection = { id: nextConnectionId++, transport: 'http', subscriptions: undefined };
      dispatcher
        .handle(text, conn)
        .then(({ response }) => {
          if (response === undefined) res.writeHead(204).end();
          else res.writeHead(200, JSON_HEADERS).end(response);
        })
        .catch((err: unknown) => {
          logger.error('http dispatch failed', { err, request: truncate(text) });
          if (!res.headersSent) res.writeHead(500, JSON_HEADERS).end(standaloneErrorResponse({ code: RpcErrorCodes.InternalError, message: 'Internal error' }));
        });
    });
  }

  const httpServer = createHttpServer(onHttpRequest);
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxRequestBytes });

  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing !== undefined) {
      socket.destroy();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, cors)) {
      logger.debug('rpc origin refused', { transport: 'ws', origin });
      const body = forbiddenOrigin(origin);
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onWsConnection(ws));
  });

  function onWsConnection(ws: WebSocket): void {
    const send = (message: string): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(message);
    };
    const conn = {
      id: nextConnectionId++,
      transport: 'ws' as const,
      subscriptions: new ConnectionSubscriptions({ send, logger, maxSubscriptions }),
    };
    sockets.set(ws, conn);
    logger.debug('ws connected', { connection: conn.id });
    ws.on('message', (data: RawData) => {
      const text = rawDataToString(data);
      dispatcher
        .handle(text, conn)
        .then(({ response, afterSend }) => {
          if (response !== undefined) send(response);
          for (const activate of afterSend) activate();
        })
        .catch((err: unknown) => logger.error('ws dispatch failed', { connection: conn.id, err, request: truncate(text) }));
    });
    ws.on('error', (err: Error) => logger.debug('ws error', { connection: conn.id, err: err.message }));
    ws.on('close', (code: number) => {
      conn.subscriptions.closeAll();
      sockets.delete(ws);
      logger.debug('ws closed', { connection: conn.id, code });
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 9944, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  httpServer.on('error', (err) => logger.error('rpc server error', { err }));

  const { port } = httpServer.address() as AddressInfo;
  const url = `ws://${formatHost(host)}:${port}`;
  const httpUrl = `http://${formatHost(host)}:${port}`;
  logger.info('rpc server listening', { url, httpUrl, rpcMethods: denyUnsafe ? 'safe' : 'unsafe', cors: cors === 'all' ? 'all' : cors.join(',') });

  async function shutdown(): Promise<void> {
    const closed = [...sockets.keys()].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) {
            resolve();
            return;
          }
          const timer = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1001, 'server shutting down');
        }),
    );
    for (const conn of sockets.values()) conn.subscriptions.closeAll();
    await Promise.all(closed);
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
    logger.info('rpc server closed', { url });
  }

  return {
    port,
    url,
    httpUrl,
    denyUnsafe,
    connectionCount: () => sockets.size,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
  };
}
