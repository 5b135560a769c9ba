/**
 * Liquid alpha (spec §3.7): a per-column EMA weight for new bonds, a sigmoid of the column's consensus
 * fitted through the 25% and 75% consensus quantiles. Computed in BigInt I32F32 — it is O(n) work
 * per epoch, memoized per distinct consensus value.
 */
import { I32F32, div, fromF64, fromInt, mul } from './fixed/bigint';
import { safeExp, safeLn } from './fixed/transcendental';
import type { YumaHyperparameters } from './types';

const ONE = I32F32.one;

/** Q(v, q): the chain's interpolated quantile over I32F32 bits (position in f64, weight rounded to fixed). */
export function fixedQuantile(sorted: readonly bigint[], q: number): bigint {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo]!;
  const w = fromF64(I32F32, pos - lo);
  return sorted[lo]! + mul(I32F32, sorted[hi]! - sorted[lo]!, w);
}

/**
 * The per-column alphas (I32F32 bits as numbers) when liquid alpha applies to this epoch, or `null`
 * when the chain falls back to the constant bonds moving average.
 */
export function liquidAlphas(hp: YumaHyperparameters, consensus: Float64Array): Float64Array | null {
  const n = consensus.length;
  if (!hp.liquidAlphaEnabled || n === 0 || !consensus.some((c) => c !== 0)) return null;
  const values = Array.from(consensus, (c) => BigInt(c));
  const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const high = fixedQuantile(sorted, 0.75);
  const low = fixedQuantile(sorted, 0.25);
  if (!(high > low || high !== 0n || low < 0n)) return null;

  const alphaLow = div(I32F32, fromInt(I32F32, hp.alphaLow), fromInt(I32F32, 65535));
  const alphaHigh = div(I32F32, fromInt(I32F32, hp.alphaHigh), fromInt(I32F32, 65535));
  let a = 0n;
  let b = 0n;
  if (high > low && alphaLow !== 0n && alphaHigh !== 0n) {
    const lnHigh = safeLn(I32F32, div(I32F32, ONE, alphaHigh) - ONE);
    const lnLow = safeLn(I32F32, div(I32F32, ONE, alphaLow) - ONE);
    a = div(I32F32, lnHigh - lnLow, low - high);
    b = lnLow + mul(I32F32, a, low);
  }

  const memo = new Map<bigint, number>();
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = values[j]!;
    let alpha = memo.get(c);
    if (alpha === undefined) {
      let x = div(I32F32, ONE, ONE + safeExp(I32F32, b - mul(I32F32, a, c)));
      if (x > alphaHigh) x = alphaHigh;
      if (x < alphaLow) x = alphaLow;
      alpha = Number(x);
      memo.set(c, alpha);
    }
    out[j] = alpha;
  }
  return out;
}
