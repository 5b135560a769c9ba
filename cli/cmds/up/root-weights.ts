/**
 * The root validator's rule in `tensornet up`: each subnet's root weight is what the validators measure of
 * it, quality times usage — `quality × (1 + ln(1 + served))`, where `quality` is the mean moving-average
 * score of the subnet's three best miners (as its lead validator scores them: how good the best service on
 * the subnet is) and `served` the requests the validator API answered successfully for apps on it. A subnet
 * whose miners all fail gets 0 whatever its traffic; traffic raises a good subnet's share, logarithmically,
 * so one busy subnet cannot take everything.
 */
export interface SubnetMeasure {
  readonly netuid: number;
  /** Moving-average scores of its miners (its lead validator's view). */
  readonly scores: readonly number[];
  /** Requests the validator API answered successfully. */
  readonly served: number;
}

export function subnetQuality(scores: readonly number[]): number {
  const best = [...scores].sort((a, b) => b - a).slice(0, 3);
  return best.length === 0 ? 0 : best.reduce((s, x) => s + x, 0) / best.length;
}

/** Root weights (summing to 1, or all 0 when nothing is measured yet), in the order given. */
export function rootWeights(measures: readonly SubnetMeasure[]): number[] {
  const raw = measures.map((m) => subnetQuality(m.scores) * (1 + Math.log1p(Math.max(0, m.served))));
  const total = raw.reduce((s, x) => s + x, 0);
  return total > 0 ? raw.map((x) => x / total) : raw.map(() => 0);
}
