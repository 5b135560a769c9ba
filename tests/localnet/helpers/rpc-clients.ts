/**
 * Raw JSON-RPC clients for the RPC server tests: a WebSocket client that records every message
 * (responses and notifications) and an HTTP POST helper, so tests can assert on the exact wire JSON.
 */
import WebSocket from 'ws';

/** A message as received (parsed JSON). */
export type WireMessage = Record<string, unknown>;

export interface JsonRpcResponse {
  readonly jsonrpc: '2.0';
  readonly id: string | number | null;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

export interface Notification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params: { readonly subscription: string; readonly result: unknown };
}

export class RawWsClient {
  readonly messages: unknown[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #nextId = 1;
  #waiters: Array<{ match: (message: unknown) => boolean; resolve: (message: unknown) => void }> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const message: unknown = JSON.parse(data.toString('utf8'));
      this.messages.push(message);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(url: string): Promise<RawWsClient> {
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RawWsClient(socket);
  }

  /** Sends raw text (or a value serialized as JSON). */
  sendRaw(payload: string | object): void {
    this.socket.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** Sends a request and resolves with its response. */
  async request(method: string, params?: unknown): Promise<JsonRpcResponse> {
    const id = this.#nextId++;
    const response = this.waitFor((m) => isObject(m) && m.id === id);
    this.sendRaw(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return (await response) as JsonRpcResponse;
  }

  /** Resolves with the first message (already received or future) matching `match`. */
  waitFor(match: (message: unknown) => boolean, timeoutMs = 5000): Promise<unknown> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** Every notification received so far for `subscription`. */
  notifications(subscription: string): Notification[] {
    return this.messages.filter((m): m is Notification => isObject(m) && isObject(m.params) && m.params.subscription === subscription);
  }

  /** Resolves once `count` notifications arrived for `subscription`. */
  async waitForNotifications(subscription: string, count: number, timeoutMs = 5000): Promise<Notification[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.notifications(subscription).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} notifications for ${subscription}, got ${this.notifications(subscription).length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.notifications(subscription);
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close();
    await this.closed;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when empty. */
  readonly body: unknown;
}

/** POSTs `payload` (raw text, or a value serialized as JSON) to the server. */
export async function postJson(httpUrl: string, payload: string | object): Promise<HttpReply> {
  const res = await fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Polls `predicate` until it holds. */
export async function eventually(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
