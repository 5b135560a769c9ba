/**
 * Block emission and its halving schedule (spec §5): `get_block_emission_for_issuance`, in I96F32
 * with substrate-fixed's `log2`.
 */
import { I96F32, div, fromInt, mul, saturate, toIntFloor } from './fixed/bigint';
import { FixedPointError, log2Fixed } from './fixed/transcendental';
import { assertU64 } from './validate';

/** `DefaultBlockEmission`: 1 TAO per block, in rao. */
export const DEFAULT_BLOCK_EMISSION = 1_000_000_000n;
/** `TotalSupply`: 21M TAO, in rao. */
export const TOTAL_SUPPLY = 21_000_000_000_000_000n;
/** The halving curve's denominator, `2 · 10.5·10¹⁵`; the chain hard-codes it rather than reading `TotalSupply`. */
const HALVING_DENOMINATOR = 2n * 10_500_000_000_000_000n;

export interface BlockEmissionOptions {
  /** `DefaultBlockEmission`, rao. @default 1_000_000_000n */
  readonly defaultBlockEmission?: bigint;
  /** `TotalSupply`, rao: at or above it the emission is 0. @default 21_000_000_000_000_000n */
  readonly totalSupply?: bigint;
}

/**
 * The rao minted per block at `TotalIssuance = totalIssuance` (spec §5): 0 from the total supply on,
 * else `⌊defaultBlockEmission · 2^−h⌋` with `h = ⌊log2(1 / (1 − I / 21·10¹⁵))⌋` in I96F32, so the
 * emission halves at 10.5M, 15.75M, 18.375M … TAO issued.
 *
 * @example blockEmission(10_500_000_000_000_000n) // 500_000_000n
 * @throws {ConsensusError} `InvalidU64` for an argument outside u64.
 * @throws {FixedPointError} when the logarithm fails, which only a `totalSupply` above 21·10¹⁵ with
 * `totalIssuance ≥ 21·10¹⁵` can cause (the chain's "Logarithm calculation failed"; the root epoch aborts).
 */
export function blockEmission(totalIssuance: bigint, opts: BlockEmissionOptions = {}): bigint {
  const defaultBlockEmission = opts.defaultBlockEmission ?? DEFAULT_BLOCK_EMISSION;
  const totalSupply = opts.totalSupply ?? TOTAL_SUPPLY;
  assertU64('total_issuance', totalIssuance);
  assertU64('default_block_emission', defaultBlockEmission);
  assertU64('total_supply', totalSupply);
  if (totalIssuance >= totalSupply) return 0n;

  const t = I96F32;
  const one = t.one;
  const issuedShare = div(t, fromInt(t, totalIssuance), fromInt(t, HALVING_DENOMINATOR));
  const remaining = one - issuedShare;
  if (remaining === 0n) {
    throw new FixedPointError('FixedPointOverflow', 'block emission: division by zero in the halving curve', { totalIssuance: String(totalIssuance) });
  }
  const residual = log2Fixed(t, div(t, one, remaining));
  const halvings = toIntFloor(t, residual);
  const multiplier = saturate(t, one << halvings);
  const share = div(t, one, multiplier);
  return toIntFloor(t, mul(t, share, fromInt(t, defaultBlockEmission)));
}
