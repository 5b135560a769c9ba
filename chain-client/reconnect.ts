/**
 * Reconnection with exponential backoff for a `WsProvider` in manual mode: after the socket drops
 * (or an attempt fails), wait `minDelayMs`, then twice that, … up to `maxDelayMs`, and start over
 * from `minDelayMs` once connected. WsProvider re-makes its subscriptions on every (re)open.
 */
import type { WsProvider } from '@polkadot/api';

/** Backoff bounds. */
export interface BackoffPolicy {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/** The delay before reconnection attempt `attempt` (0-based): `min · 2^attempt`, capped at `max`. */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.min(attempt, 30));
}

/** Drives `provider.connect()` on a backoff schedule until stopped. */
export class Reconnector {
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly offConnected: () => void;
  private readonly offDisconnected: () => void;

  constructor(
    private readonly provider: WsProvider,
    private readonly policy: BackoffPolicy,
  ) {
    this.offConnected = provider.on('connected', () => {
      this.attempt = 0;
    });
    this.offDisconnected = provider.on('disconnected', () => this.schedule());
  }

  /** The number of consecutive failed or dropped connections since the last success. */
  get failures(): number {
    return this.attempt;
  }

  /** Makes the first connection attempt now. */
  start(): void {
    this.tryConnect();
  }

  /** Stops reconnecting and clears any pending attempt. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.offConnected();
    this.offDisconnected();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.policy, this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tryConnect();
    }, delay);
  }

  private tryConnect(): void {
    if (this.stopped || this.provider.isConnected) return;
    this.provider.connect().catch(() => this.schedule());
  }
}
