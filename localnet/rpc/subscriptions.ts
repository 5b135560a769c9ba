/**
 * The subscriptions of one WebSocket connection. Notifications a subscription produces before its
 * id reached the client are buffered and flushed right after the response, so a client always sees
 * the id first. Closing the connection tears every subscription down (backend listeners included).
 */
import { randomBytes } from 'node:crypto';
import { RpcError } from './errors';
import { serializeJson, type Json } from './json';
import type { Logger } from './logger';
import type { SubscriptionSink, Teardown } from './method';

type State = 'starting' | 'active' | 'closed';

interface Subscription {
  readonly id: string;
  readonly notification: string;
  state: State;
  /** Notifications held until the subscribe response was sent. */
  readonly buffer: Json[];
  /** The server ended it while it was still starting: end it once activated. */
  closeRequested: boolean;
  teardown: Teardown | undefined;
}

/** A started subscription: its id, and `activate` to call once the response carrying the id was sent. */
export interface StartedSubscription {
  readonly id: string;
  activate(): void;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 16-character alphanumeric id, the form jsonrpsee (and so Substrate) uses. */
function randomId(): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

export class ConnectionSubscriptions {
  readonly #subs = new Map<string, Subscription>();
  readonly #send: (message: string) => void;
  readonly #logger: Logger;
  readonly #max: number;
  #closed = false;

  constructor(options: { send: (message: string) => void; logger: Logger; maxSubscriptions: number }) {
    this.#send = options.send;
    this.#logger = options.logger;
    this.#max = options.maxSubscriptions;
  }

  /** How many subscriptions are open (or starting). */
  get size(): number {
    return this.#subs.size;
  }

  /**
   * Creates a subscription and runs `starter` with its sink. Rejects (and creates nothing) when the
   * starter rejects or the connection is at its limit.
   */
  async start(notification: string, starter: (sink: SubscriptionSink) => Teardown | Promise<Teardown>): Promise<StartedSubscription> {
    if (this.#closed) throw new RpcError('InternalError', 'Connection closed');
    if (this.#subs.size >= this.#max) {
      throw new RpcError('TooManySubscriptions', `Too many subscriptions on the connection`, `Exceeded max limit of ${this.#max}`);
    }
    let id = randomId();
    while (this.#subs.has(id)) id = randomId();
    const sub: Subscription = { id, notification, state: 'starting', buffer: [], closeRequested: false, teardown: undefined };
    this.#subs.set(id, sub);
    const sink: SubscriptionSink = {
      notify: (result) => this.#notify(sub, result),
      close: () => this.#serverClose(sub),
      get closed() {
        return sub.state === 'closed' || sub.closeRequested;
      },
    };
    let teardown: Teardown;
    try {
      teardown = await starter(sink);
    } catch (err) {
      sub.state = 'closed';
      this.#subs.delete(id);
      throw err;
    }
    if (sub.state === 'closed') {
      // The connection went away while the subscription was starting.
      this.#runTeardown(sub, teardown);
      return { id, activate: () => undefined };
    }
    sub.teardown = teardown;
    return { id, activate: () => this.#activate(sub) };
  }

  /** Ends the client's subscription `id` if it is one of this connection's `notification` subscriptions. */
  unsubscribe(id: string, notification: string): boolean {
    const sub = this.#subs.get(id);
    if (sub === undefined || sub.notification !== notification) return false;
    this.#end(sub);
    return true;
  }

  /** Tears every subscription down (connection closed). */
  closeAll(): void {
    this.#closed = true;
    for (const sub of [...this.#subs.values()]) this.#end(sub);
  }

  #activate(sub: Subscription): void {
    if (sub.state !== 'starting') return;
    sub.state = 'active';
    for (const result of sub.buffer.splice(0)) this.#write(sub, result);
    if (sub.closeRequested) this.#end(sub);
  }

  #notify(sub: Subscription, result: Json): void {
    if (sub.state === 'closed' || sub.closeRequested) return;
    if (sub.state === 'starting') sub.buffer.push(result);
    else this.#write(sub, result);
  }

  #serverClose(sub: Subscription): void {
    if (sub.state === 'starting') sub.closeRequested = true;
    else if (sub.state === 'active') this.#end(sub);
  }

  #write(sub: Subscription, result: Json): void {
    this.#send(serializeJson({ jsonrpc: '2.0', method: sub.notification, params: { subscription: sub.id, result } }));
  }

  #end(sub: Subscription): void {
    sub.state = 'closed';
    this.#subs.delete(sub.id);
    // While its starter is still running a subscription has no teardown yet; `start` runs it then.
    const teardown = sub.teardown;
    sub.teardown = undefined;
    if (teardown !== undefined) this.#runTeardown(sub, teardown);
  }

  #runTeardown(sub: Subscription, teardown: Teardown): void {
    try {
      teardown();
    } catch (err) {
      this.#logger.warn('subscription teardown failed', { subscription: sub.id, notification: sub.notification, err });
    }
  }
}
