/**
 * `connect()`: a chain client over @polkadot/api's `ApiPromise` and `WsProvider`, with a timeout on
 * every request, automatic reconnection with exponential backoff (`reconnect.ts`; the provider re-makes
 * subscriptions on reconnect), metadata-driven feature detection, and a `close()` that leaves no
 * open handles. Operations are free functions of `(client, params)` (see `metagraph.ts`).
 */
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { Metadata } from '@polkadot/types';
import { ChainClientError, RequestTimeoutError } from './errors';
import { redactUrl, resolveNetwork, type ResolvedNetwork } from './network';
import { Reconnector } from './reconnect';
import { runtimeFromMetadata, type RuntimeView } from './runtime';
import { withTimeout } from './timeout';

/** Options of {@link connect}. */
export interface ConnectParameters {
  /** A network name (`local`, `test`, `finney`, `archive`) or a ws(s):// URL. @default process.env.TENSORNET_NETWORK ?? 'local' */
  readonly network?: string;
  /** The longest wait for any single request, and for the initial connection. @default 30000 */
  readonly timeoutMs?: number;
  /**
   * First delay before reconnecting after the socket drops (or a connection attempt fails); each further
   * failure doubles it up to `maxReconnectDelayMs`, and a successful connection resets it. 0 disables
   * reconnection (a refused first connection is then `ConnectionFailed`). @default 250
   */
  readonly reconnectDelayMs?: number;
  /** The longest delay between reconnection attempts. @default 10000 */
  readonly maxReconnectDelayMs?: number;
  /** Environment read for defaults (`TENSORNET_NETWORK`, `BT_SUBTENSOR_CHAIN_ENDPOINT`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The default of {@link ConnectParameters.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** The default of {@link ConnectParameters.reconnectDelayMs}. */
export const DEFAULT_RECONNECT_DELAY_MS = 250;
/** The default of {@link ConnectParameters.maxReconnectDelayMs}. */
export const DEFAULT_MAX_RECONNECT_DELAY_MS = 10_000;
/** @polkadot/rpc-core tears shared subscriptions down this long after their last subscriber leaves (`refCountDelay`). */
const RPC_CORE_TEARDOWN_MS = 1_750;

/** The subtensor runtime's own signed extensions: no extra extrinsic or payload data. */
const SUBTENSOR_SIGNED_EXTENSIONS = {
  SubtensorSignedExtension: { extrinsic: {}, payload: {} },
  CommitmentsSignedExtension: { extrinsic: {}, payload: {} },
};

/** A connected chain client. Operations take it as their first argument. */
export interface ChainClient {
  readonly network: ResolvedNetwork;
  /** The underlying API, for operations; calls made on it directly are not bounded unless wrapped in {@link ChainClient.request}. */
  readonly api: ApiPromise;
  /** @default 30000 */
  readonly timeoutMs: number;
  /** Feature detection over the current runtime's metadata (refreshed after a runtime upgrade). */
  readonly runtime: RuntimeView;
  /** Whether the socket is currently open. */
  readonly isConnected: boolean;
  /**
   * A raw JSON-RPC request (e.g. `state_queryStorageAt`, `neuronInfo_getNeuronsLite`), bounded by `timeoutMs`.
   * @throws RequestTimeoutError, ChainClientError `ClientClosed`
   */
  rpc<T>(method: string, params: readonly unknown[]): Promise<T>;
  /**
   * Runs `run()` (any call on `api`) bounded by `timeoutMs`; `method` names it in a timeout error.
   * @throws RequestTimeoutError, ChainClientError `ClientClosed`
   */
  request<T>(method: string, run: (api: ApiPromise) => Promise<T>): Promise<T>;
  /**
   * A raw JSON-RPC subscription (e.g. `state_subscribeStorage`), its subscribe request bounded by `timeoutMs`.
   * Unlike @polkadot/api's subscriptions it is not re-made after a reconnect (polkadot.js loses the new id,
   * so it could never be unsubscribed): it ends, `onEnd` runs, and the caller subscribes again if it still
   * wants to. It also ends on the node's error notification and on {@link ChainClient.close}.
   * @throws RequestTimeoutError, ChainClientError `ClientClosed`
   */
  subscribe<T>(spec: RawSubscriptionSpec, onNotification: (value: T) => void, onEnd?: (reason: ChainClientError) => void): Promise<RawSubscription>;
  /**
   * Closes the socket and stops reconnecting; idempotent. Resolves once @polkadot/rpc-core's delayed
   * unsubscription timers (1.75 s after the last subscriber leaves) have run, so no handle outlives it.
   */
  close(): Promise<void>;
}

/** The methods of a raw subscription, e.g. `state_subscribeStorage` / `state_unsubscribeStorage` / `state_storage`. */
export interface RawSubscriptionSpec {
  readonly subscribe: string;
  readonly unsubscribe: string;
  /** The notification's `method`. */
  readonly notification: string;
  readonly params: readonly unknown[];
}

/** A live subscription of {@link ChainClient.subscribe}. */
export interface RawSubscription {
  /** False once it ended (closed, socket dropped, node error). */
  readonly active: boolean;
  /** Unsubscribes (when still connected; resolves once the node answered, or after `timeoutMs`); idempotent. `onEnd` does not run for an explicit close. */
  close(): Promise<void>;
}

/**
 * Connects to a subtensor node (localnet or real) and waits until the API is ready.
 * @throws ChainClientError `InvalidNetwork`; RequestTimeoutError when the node is not ready within
 * `timeoutMs`; ChainClientError `ConnectionFailed` when the API fails to initialise
 * @example
 * const client = await connect({ network: 'local' });
 * try { const mg = await metagraph(client, { netuid: 1 }); } finally { await client.close(); }
 */
export async function connect(params: ConnectParameters = {}): Promise<ChainClient> {
  const network = resolveNetwork(params.network, params.env ?? process.env);
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const reconnectDelayMs = params.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS;
  const shownUrl = redactUrl(network.url);
  // Manual mode (no WsProvider auto-connect): the Reconnector drives connections with exponential backoff.
  const provider = new WsProvider(network.url, false, {}, timeoutMs);
  const reconnector =
    reconnectDelayMs > 0 ? new Reconnector(provider, { minDelayMs: reconnectDelayMs, maxDelayMs: Math.max(reconnectDelayMs, params.maxReconnectDelayMs ?? DEFAULT_MAX_RECONNECT_DELAY_MS) }) : undefined;
  const api = new ApiPromise({ provider, noInitWarn: true, signedExtensions: SUBTENSOR_SIGNED_EXTENSIONS });
  if (reconnector) reconnector.start();
  else provider.connect().catch(() => undefined);
  try {
    await withTimeout(api.isReadyOrError, timeoutMs, 'connect', shownUrl);
  } catch (err) {
    reconnector?.stop();
    await api.disconnect().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, RPC_CORE_TEARDOWN_MS + 50));
    throw wrapConnectError(err, shownUrl);
  }
  return new Client(network, api, provider, timeoutMs, reconnector);
}

function wrapConnectError(err: unknown, url: string): Error {
  if (err instanceof RequestTimeoutError) return err;
  return new ChainClientError('ConnectionFailed', `could not connect to ${url}: ${connectFailure(err)}`, { url }, { cause: err });
}

/** Why a connection failed, in words: the provider rejects with a WebSocket error event, not an Error. */
function connectFailure(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null) {
    const event = err as { message?: unknown; error?: unknown; type?: unknown };
    if (typeof event.message === 'string' && event.message !== '') return event.message;
    if (event.error instanceof Error) return event.error.message;
    if (typeof event.type === 'string') return `the WebSocket reported ${event.type} (is a node listening there?)`;
  }
  return String(err);
}

class Client implements ChainClient {
  private closed = false;
  private closing: Promise<void> | undefined;
  private cachedRuntime: { metadata: Metadata; view: RuntimeView } | undefined;
  private readonly subscriptions = new Set<{ end(reason: ChainClientError | undefined): Promise<void> }>();

  constructor(
    readonly network: ResolvedNetwork,
    readonly api: ApiPromise,
    private readonly provider: WsProvider,
    readonly timeoutMs: number,
    private readonly reconnector: Reconnector | undefined,
  ) {}

  get runtime(): RuntimeView {
    const metadata = this.api.runtimeMetadata;
    if (this.cachedRuntime?.metadata !== metadata) this.cachedRuntime = { metadata, view: runtimeFromMetadata(this.api.registry, metadata) };
    return this.cachedRuntime.view;
  }

  get isConnected(): boolean {
    return !this.closed && this.provider.isConnected;
  }

  rpc<T>(method: string, params: readonly unknown[]): Promise<T> {
    return this.request(method, () => this.provider.send<T>(method, [...params]));
  }

  async request<T>(method: string, run: (api: ApiPromise) => Promise<T>): Promise<T> {
    if (this.closed) throw new ChainClientError('ClientClosed', `${method}: the client is closed`, { method });
    return withTimeout(run(this.api), this.timeoutMs, method, redactUrl(this.network.url));
  }

  async subscribe<T>(spec: RawSubscriptionSpec, onNotification: (value: T) => void, onEnd?: (reason: ChainClientError) => void): Promise<RawSubscription> {
    if (this.closed) throw new ChainClientError('ClientClosed', `${spec.subscribe}: the client is closed`, { method: spec.subscribe });
    const provider = this.provider;
    let id: string | number | undefined;
    let ended = false;
    const unsubscribe = async (): Promise<void> => {
      // Removes the subscription from the provider's resubscription list; sends the unsubscribe only while connected.
      if (id === undefined) return;
      const sent = provider.unsubscribe(spec.notification, spec.unsubscribe, id).catch(() => false);
      await withTimeout(sent, this.timeoutMs, spec.unsubscribe, redactUrl(this.network.url)).catch(() => false);
    };
    const detach = (): void => {
      ended = true;
      offDisconnected();
      this.subscriptions.delete(handle);
    };
    const end = async (reason: ChainClientError | undefined): Promise<void> => {
      if (ended) return;
      detach();
      if (reason) onEnd?.(reason);
      await unsubscribe();
    };
    const offDisconnected = provider.on('disconnected', () => void end(new ChainClientError('SubscriptionEnded', `${spec.subscribe}: the connection dropped`, { method: spec.subscribe })));
    const handle: RawSubscription & { end(reason: ChainClientError | undefined): Promise<void> } = {
      get active() { return !ended; },
      close: () => end(undefined),
      end,
    };
    this.subscriptions.add(handle);
    const subscribing = provider.subscribe(spec.notification, spec.subscribe, [...spec.params], (err: Error | null, value: T) => {
      if (ended) return;
      if (err) void end(new ChainClientError('SubscriptionEnded', `${spec.subscribe}: ${err.message}`, { method: spec.subscribe }, { cause: err }));
      else onNotification(value);
    });
    try {
      id = await withTimeout(subscribing, this.timeoutMs, spec.subscribe, redactUrl(this.network.url));
    } catch (err) {
      detach();
      // A subscription made after the timeout fired must not stay behind.
      void subscribing.then((late) => provider.unsubscribe(spec.notification, spec.unsubscribe, late)).catch(() => false);
      throw err;
    }
    if (ended) await unsubscribe();
    return handle;
  }

  async close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      await Promise.all([...this.subscriptions].map((subscription) => subscription.end(undefined)));
      this.reconnector?.stop();
      await this.api.disconnect();
      await new Promise((resolve) => setTimeout(resolve, RPC_CORE_TEARDOWN_MS + 50));
    })();
    return this.closing;
  }
}
