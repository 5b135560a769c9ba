/**
 * The latency term subnets share: a multiplier in [1 - weight, 1] that falls linearly from 1 for an
 * instant answer to `1 - weight` for one that took the whole timeout. Multiplying (rather than adding)
 * keeps a wrong answer at 0 however fast it was.
 */
export function latencyFactor(latencyS: number, timeoutS: number, weight = 0.2): number {
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`weight must be in [0, 1], got ${weight}`);
  if (!(timeoutS > 0)) throw new RangeError(`timeoutS must be > 0, got ${timeoutS}`);
  const used = Number.isFinite(latencyS) ? Math.min(1, Math.max(0, latencyS / timeoutS)) : 1;
  return 1 - weight * used;
}
