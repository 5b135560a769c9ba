/**
 * Per-key nonce management for concurrent submissions from one account: submissions from a key are
 * serialized until the pool accepts them, each takes `max(system_accountNextIndex, last used + 1)`,
 * and a pool rejection for "priority too low" or a stale nonce is retried (bounded) with a fresh nonce.
 */
import type { ChainClient } from './connect';
import { PoolRejectedError, classifyPoolError } from './operations/errors';

/** Options of {@link NonceManager.withNonce}. */
export interface NonceRetryOptions {
  /** Attempts in all (the first included) on a retryable pool rejection. @default 4 */
  readonly maxAttempts?: number;
}

/** The default of {@link NonceRetryOptions.maxAttempts}. */
export const DEFAULT_NONCE_ATTEMPTS = 4;

/** Hands out nonces per account for one client. Get the client's shared instance with {@link nonceManager}. */
export class NonceManager {
  private readonly lastUsed = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly client: ChainClient) {}

  /** The account's next index as the node sees it (chain nonce plus ready pool transactions). */
  async chainNextIndex(address: string): Promise<number> {
    const next = await this.client.request('system_accountNextIndex', (api) => api.rpc.system.accountNextIndex(address));
    return next.toNumber();
  }

  /** The nonce the next submission from `address` would take: `max(chain next index, last used + 1)`. */
  async peek(address: string): Promise<number> {
    const chain = await this.chainNextIndex(address);
    const last = this.lastUsed.get(address);
    return last === undefined ? chain : Math.max(chain, last + 1);
  }

  /**
   * Runs `submit(nonce)` for `address` with the next nonce, one at a time per address: the next
   * submission starts once this one was accepted by the pool (`submit` resolved) or rejected.
   * A retryable pool rejection (`PriorityTooLow`, `Stale`, `AlreadyImported`) is retried with a fresh
   * nonce read from the chain, up to `maxAttempts` in all; other errors propagate at once.
   * @throws PoolRejectedError (the last rejection) when every attempt was rejected
   */
  async withNonce<T>(address: string, submit: (nonce: number) => Promise<T>, options: NonceRetryOptions = {}): Promise<T> {
    const maxAttempts = options.maxAttempts ?? DEFAULT_NONCE_ATTEMPTS;
    const previous = this.queues.get(address) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      let lastError: PoolRejectedError | undefined;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const nonce = await this.peek(address);
        try {
          const result = await submit(nonce);
          this.lastUsed.set(address, nonce);
          return result;
        } catch (err) {
          const rejected = classifyPoolError(err);
          if (!rejected?.retryable) throw rejected ?? err;
          lastError = rejected;
          // The chain's view wins after a nonce clash: forget our own count, then take max(chain, nonce + 1).
          this.lastUsed.set(address, rejected.reason === 'Stale' ? (await this.chainNextIndex(address)) - 1 : nonce);
        }
      }
      throw lastError!;
    });
    this.queues.set(address, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(address) === run) this.queues.delete(address);
    }
  }

  /** Forgets the last nonce used by `address` (after a dropped transaction), so the chain's count rules again. */
  reset(address: string): void {
    this.lastUsed.delete(address);
  }
}

const managers = new WeakMap<ChainClient, NonceManager>();

/** The nonce manager shared by every submission through `client`. */
export function nonceManager(client: ChainClient): NonceManager {
  let manager = managers.get(client);
  if (!manager) {
    manager = new NonceManager(client);
    managers.set(client, manager);
  }
  return manager;
}
