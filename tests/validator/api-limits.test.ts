/**
 * The validator API's per-key limits (token bucket, daily quota) and usage statistics, on an injected clock.
 */
import { KeyLimiter, UsageStats, percentile } from '../../validator/api';

const DAY = 86_400_000;

test('the token bucket allows a burst of requestsPerMinute, then one request per 60/rate seconds, with Retry-After', () => {
  let now = 10 * DAY + 1000;
  const limiter = new KeyLimiter({ requestsPerMinute: 3 }, () => now);
  expect([1, 2, 3].map(() => limiter.takeRequest('k', {}))).toEqual([null, null, null]);
  const refused = limiter.takeRequest('k', {});
  expect(refused).toMatchObject({ code: 'RateLimited', retryAfterS: 20 });
  now += 19_000;
  expect(limiter.takeRequest('k', {})?.retryAfterS).toBe(1);
  now += 1_000;
  expect(limiter.takeRequest('k', {})).toBeNull();
  // Another key has its own bucket; a key's own limit overrides the default.
  expect(limiter.takeRequest('other', { requestsPerMinute: 1 })).toBeNull();
  expect(limiter.takeRequest('other', { requestsPerMinute: 1 })).toMatchObject({ code: 'RateLimited', retryAfterS: 60 });
  // A long pause refills to the burst size, no more.
  now += 3_600_000;
  expect([1, 2, 3].map(() => limiter.takeRequest('k', {}))).toEqual([null, null, null]);
  expect(limiter.takeRequest('k', {})?.code).toBe('RateLimited');
});

test('the daily quota counts per UTC day and says how long until midnight', () => {
  let now = 20 * DAY + DAY - 90_500;
  const limiter = new KeyLimiter({ requestsPerDay: 2 }, () => now);
  expect(limiter.takeQuota('k', {})).toBeNull();
  expect(limiter.takeQuota('k', {})).toBeNull();
  expect(limiter.takeQuota('k', {})).toMatchObject({ code: 'QuotaExceeded', retryAfterS: 91 });
  expect(limiter.takeQuota('k', { requestsPerDay: 5 })).toBeNull();
  now = 21 * DAY;
  expect(limiter.takeQuota('k', {})).toBeNull();
  expect(new KeyLimiter({}, () => now).takeQuota('k', {})).toBeNull();
});

test('usage statistics: counts, success rate, nearest-rank percentiles over a sliding window of answered requests', () => {
  expect(percentile([], 0.5)).toBeNull();
  expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
  expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
  const stats = new UsageStats(4);
  stats.track(3);
  expect(stats.usage(3)).toEqual({ netuid: 3, requests: 0, successes: 0, failures: 0, successRate: null, latencyS: { p50: null, p99: null, samples: 0 }, window: 4 });
  for (const latency of [0.5, 0.1, 0.2, 0.3, 0.4]) stats.record(3, true, latency);
  stats.record(3, false, 9);
  // The oldest answer (0.5) left the window; the failure counts but has no latency sample.
  expect(stats.usage(3)).toEqual({ netuid: 3, requests: 6, successes: 5, failures: 1, successRate: 5 / 6, latencyS: { p50: 0.2, p99: 0.4, samples: 4 }, window: 4 });
  stats.record(1, true, 1);
  expect(stats.all().map((u) => u.netuid)).toEqual([1, 3]);
  expect(stats.usage(2)).toBeUndefined();
  expect(() => new UsageStats(0)).toThrow(RangeError);
});
