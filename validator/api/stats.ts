/**
 * Usage statistics per subnet: inference requests routed, answered, failed, and the latency of answered
 * requests over a sliding window of the most recent ones (what a root validator reads to judge how much a
 * subnet is used and how well it serves).
 */

export interface SubnetUsage {
  readonly netuid: number;
  /** Inference requests that passed validation and were routed to miners (since the API started). */
  readonly requests: number;
  /** Of those, answered by a miner. */
  readonly successes: number;
  readonly failures: number;
  /** successes / requests; null before the first request. */
  readonly successRate: number | null;
  /** End-to-end seconds of the answered requests in the window (fallbacks included); null when none. */
  readonly latencyS: { readonly p50: number | null; readonly p99: number | null; readonly samples: number };
  /** How many of the latest answered requests the percentiles cover, at most. */
  readonly window: number;
}

interface Counters {
  requests: number;
  successes: number;
  /** Ring buffer of the latest answered requests' latencies. */
  latencies: number[];
  next: number;
}

export const DEFAULT_STATS_WINDOW = 1000;

/** The nearest-rank percentile of sorted values (`q` in (0, 1]). */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export class UsageStats {
  private readonly subnets = new Map<number, Counters>();

  constructor(readonly window: number = DEFAULT_STATS_WINDOW) {
    if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`the stats window must be a positive integer, got ${window}`);
  }

  /** Starts counting a subnet (so it reports zeros before its first request). */
  track(netuid: number): void {
    if (!this.subnets.has(netuid)) this.subnets.set(netuid, { requests: 0, successes: 0, latencies: [], next: 0 });
  }

  record(netuid: number, answered: boolean, latencyS: number): void {
    this.track(netuid);
    const c = this.subnets.get(netuid)!;
    c.requests++;
    if (!answered) return;
    c.successes++;
    if (c.latencies.length < this.window) c.latencies.push(latencyS);
    else c.latencies[c.next] = latencyS;
    c.next = (c.next + 1) % this.window;
  }

  /** A subnet's usage; undefined for a subnet never tracked. */
  usage(netuid: number): SubnetUsage | undefined {
    const c = this.subnets.get(netuid);
    if (c === undefined) return undefined;
    const sorted = [...c.latencies].sort((a, b) => a - b);
    return {
      netuid,
      requests: c.requests,
      successes: c.successes,
      failures: c.requests - c.successes,
      successRate: c.requests === 0 ? null : c.successes / c.requests,
      latencyS: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), samples: sorted.length },
      window: this.window,
    };
  }

  /** Every tracked subnet's usage, by netuid. */
  all(): SubnetUsage[] {
    return [...this.subnets.keys()].sort((a, b) => a - b).map((netuid) => this.usage(netuid)!);
  }
}
