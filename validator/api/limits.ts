/**
 * Per-key request limits: a token bucket over every authenticated request (a burst of `requestsPerMinute`
 * refilled at `requestsPerMinute / 60` per second) and a daily quota of inference requests (UTC days).
 * Counters live in memory: a restart starts every key with a full bucket and a fresh day.
 */
import type { ApiKeyLimits } from './keys';

export interface RateLimitOptions {
  /** Default sustained rate per key. @default 600 */
  readonly requestsPerMinute?: number;
  /** Default inference requests per key per UTC day; null for no quota. @default null */
  readonly requestsPerDay?: number | null;
}

/** A refusal: which limit, and how long until a request would pass. */
export interface LimitRefusal {
  readonly code: 'RateLimited' | 'QuotaExceeded';
  readonly message: string;
  /** Whole seconds (≥ 1): the `Retry-After` header. */
  readonly retryAfterS: number;
}

interface KeyState {
  tokens: number;
  refilledAt: number;
  day: number;
  usedToday: number;
}

const DAY_MS = 86_400_000;
export const DEFAULT_REQUESTS_PER_MINUTE = 600;

export class KeyLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly defaultPerMinute: number;
  private readonly defaultPerDay: number | null;

  /** @param now milliseconds since the epoch (injected so tests control time) */
  constructor(options: RateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.defaultPerMinute = options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
    this.defaultPerDay = options.requestsPerDay ?? null;
  }

  /** Takes one token of the key's bucket; a refusal when it is empty. */
  takeRequest(keyId: string, limits: ApiKeyLimits): LimitRefusal | null {
    const perMinute = limits.requestsPerMinute ?? this.defaultPerMinute;
    const state = this.stateOf(keyId, perMinute);
    const now = this.now();
    const perMs = perMinute / 60_000;
    state.tokens = Math.min(perMinute, state.tokens + (now - state.refilledAt) * perMs);
    state.refilledAt = now;
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return null;
    }
    const retryAfterS = Math.max(1, Math.ceil((1 - state.tokens) / perMs / 1000));
    return { code: 'RateLimited', message: `rate limit of ${perMinute} requests per minute exceeded; retry in ${retryAfterS} s`, retryAfterS };
  }

  /** Counts one inference request against the key's daily quota; a refusal when the day's quota is used up. */
  takeQuota(keyId: string, limits: ApiKeyLimits): LimitRefusal | null {
    const perDay = limits.requestsPerDay ?? this.defaultPerDay;
    if (perDay === null) return null;
    const state = this.stateOf(keyId, limits.requestsPerMinute ?? this.defaultPerMinute);
    const now = this.now();
    const day = Math.floor(now / DAY_MS);
    if (state.day !== day) {
      state.day = day;
      state.usedToday = 0;
    }
    if (state.usedToday < perDay) {
      state.usedToday++;
      return null;
    }
    const retryAfterS = Math.max(1, Math.ceil(((day + 1) * DAY_MS - now) / 1000));
    return { code: 'QuotaExceeded', message: `daily quota of ${perDay} inference requests used up; it renews at 00:00 UTC, in ${retryAfterS} s`, retryAfterS };
  }

  private stateOf(keyId: string, perMinute: number): KeyState {
    let state = this.keys.get(keyId);
    if (state === undefined) {
      const now = this.now();
      state = { tokens: perMinute, refilledAt: now, day: Math.floor(now / DAY_MS), usedToday: 0 };
      this.keys.set(keyId, state);
    }
    return state;
  }
}
