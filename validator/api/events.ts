/**
 * `/v1/events`: what the validators report (new blocks, scored steps, weights set) pushed to WebSocket
 * subscribers as JSON messages with a `type`. A subscriber that does not keep up (more than `maxBufferedBytes`
 * unsent) is disconnected rather than buffered without bound; a silent one is dropped after a missed ping.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { StepReport, Validator, WeightsReport } from '../validator';
import type { ApiEvent } from './schemas';

export interface EventHubOptions {
  /** Unsent bytes a subscriber may fall behind by before it is disconnected. @default 4 MiB */
  readonly maxBufferedBytes?: number;
  /** Ping interval, ms: a subscriber that has not answered the previous ping is dropped. @default 30_000 */
  readonly pingIntervalMs?: number;
}

interface Subscriber {
  readonly socket: WebSocket;
  readonly netuids: ReadonlySet<number>;
  alive: boolean;
}

/**
 * The subprotocol the events socket speaks. A browser cannot set `Authorization` on a WebSocket, so it
 * offers this one together with `bearer.<secret>` (`new WebSocket(url, ['tensornet.v1', 'bearer.' + key])`);
 * the server selects `tensornet.v1` and never echoes the key's entry back.
 */
export const EVENTS_PROTOCOL = 'tensornet.v1';
const BEARER_PROTOCOL = 'bearer.';

/**
 * The API key a client offered as a `bearer.<secret>` subprotocol: undefined when it offered none, null when
 * the offer is unusable (two keys, or the key without {@link EVENTS_PROTOCOL}, which the handshake needs).
 */
export function protocolKey(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const offered = header.split(',').map((p) => p.trim());
  const keys = offered.filter((p) => p.startsWith(BEARER_PROTOCOL));
  if (keys.length === 0) return undefined;
  if (keys.length > 1 || !offered.includes(EVENTS_PROTOCOL)) return null;
  return keys[0]!.slice(BEARER_PROTOCOL.length);
}

/** WebSocket close codes used. */
const GOING_AWAY = 1001;
const TRY_AGAIN_LATER = 1013;

export class EventHub {
  readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: 4096,
    // Only the app protocol is ever selected: the `bearer.<secret>` offer must not come back in a response header.
    handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });
  private readonly subscribers = new Set<Subscriber>();
  private readonly detach: Array<() => void> = [];
  private readonly pinger: NodeJS.Timeout;
  private readonly maxBufferedBytes: number;

  constructor(validators: readonly Validator[], options: EventHubOptions = {}) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    for (const validator of validators) this.follow(validator);
    this.pinger = setInterval(() => this.ping(), options.pingIntervalMs ?? 30_000);
    this.pinger.unref();
  }

  /** Adds an upgraded socket, subscribed to `netuids`; sends it `ready`. */
  add(socket: WebSocket, netuids: readonly number[]): void {
    const subscriber: Subscriber = { socket, netuids: new Set(netuids), alive: true };
    this.subscribers.add(subscriber);
    socket.on('pong', () => (subscriber.alive = true));
    socket.on('close', () => this.subscribers.delete(subscriber));
    socket.on('error', () => socket.terminate());
    // Subscribers only listen: anything they send is ignored.
    this.send(subscriber, JSON.stringify({ type: 'ready', netuids: [...netuids].sort((a, b) => a - b) } satisfies ApiEvent));
  }

  get size(): number {
    return this.subscribers.size;
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const off of this.detach.splice(0)) off();
    for (const { socket } of this.subscribers) socket.close(GOING_AWAY, 'the validator API is shutting down');
    const closing = [...this.subscribers].map(({ socket }) => new Promise<void>((resolve) => {
      if (socket.readyState === socket.CLOSED) return resolve();
      const timer = setTimeout(() => socket.terminate(), 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    }));
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private follow(validator: Validator): void {
    const netuid = validator.netuid;
    const onBlock = (block: number): void => this.publish(netuid, { type: 'block', netuid, block });
    const onStep = (report: StepReport): void => {
      const averages = validator.scores;
      this.publish(netuid, {
        type: 'step',
        netuid,
        block: report.block,
        answers: report.answers.map((a) => ({ uid: a.uid, hotkey: a.hotkey, status: a.status, latencyS: a.latencyS, reward: a.reward, score: a.score, average: averages[a.uid] ?? 0 })),
      });
    };
    const onWeights = (report: WeightsReport): void => this.publish(netuid, { type: 'weights', netuid, block: report.block, uids: [...report.uids], values: [...report.values] });
    const onEpoch = (block: number): void => this.publish(netuid, { type: 'epoch', netuid, block });
    validator.on('epoch', onEpoch);
    validator.on('block', onBlock);
    validator.on('step', onStep);
    validator.on('weights', onWeights);
    this.detach.push(() => {
      validator.off('epoch', onEpoch);
      validator.off('block', onBlock);
      validator.off('step', onStep);
      validator.off('weights', onWeights);
    });
  }

  private publish(netuid: number, event: ApiEvent): void {
    if (this.subscribers.size === 0) return;
    const message = JSON.stringify(event);
    for (const subscriber of this.subscribers) if (subscriber.netuids.has(netuid)) this.send(subscriber, message);
  }

  private send(subscriber: Subscriber, message: string): void {
    const { socket } = subscriber;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + message.length > this.maxBufferedBytes) {
      this.subscribers.delete(subscriber);
      socket.close(TRY_AGAIN_LATER, 'too slow: events were not being read');
      // The close frame queues behind the unread data: a reader that never drains it is cut off.
      setTimeout(() => socket.terminate(), 5000).unref();
      return;
    }
    socket.send(message);
  }

  private ping(): void {
    for (const subscriber of this.subscribers) {
      if (!subscriber.alive) {
        this.subscribers.delete(subscriber);
        subscriber.socket.terminate();
        continue;
      }
      subscriber.alive = false;
      subscriber.socket.ping();
    }
  }
}
