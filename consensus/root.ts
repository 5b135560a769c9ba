/**
 * The root network epoch (spec §4.1): root validators' stake-weighted votes over subnets become each
 * subnet's per-block emission, `EmissionValues`. All arithmetic is I64F64 on BigInt bits, bit-exact.
 */
import { ConsensusError } from './errors';
import { I32F32, I64F64, div, fromInt, mul, normalize, saturate, sum, toIntFloor } from './fixed/bigint';
import { expFixed } from './fixed/transcendental';
import type { RootEpochInput, RootEpochOutput, SparseU16Row } from './types';
import { validateRootInput } from './validate';

const T = I64F64;
const ONE = T.one;

/** `W`: each root uid's weights over `networks` (unknown netuids dropped), row-normalized; zero rows stay zero. */
function rootWeights(rows: readonly SparseU16Row[], networks: readonly number[]): bigint[][] {
  const column = new Map(networks.map((netuid, c) => [netuid, c]));
  return rows.map((row) => {
    const w = new Array<bigint>(networks.length).fill(0n);
    for (const [netuid, value] of row) {
      const c = column.get(netuid);
      if (c !== undefined) w[c] = fromInt(T, value);
    }
    return normalize(T, w);
  });
}

/** `κ` as the chain builds it: an I32F32 quotient widened to I64F64 (32767 → 0.4999923704). */
function rootKappa(kappa: number): bigint {
  const k32 = div(I32F32, fromInt(I32F32, kappa), fromInt(I32F32, 65535));
  return k32 << BigInt(T.frac - I32F32.frac);
}

/**
 * Runs the root epoch (spec §4.1) and returns `EmissionValues` for every netuid of `input.networks`, in
 * that order (netuid 0 included: its share is computed but never minted, §13.1).
 *
 * `S = normalize(stake)`, `W` row-normalized, `R_c = Σ_i W_ic·S_i`, `T_c = Σ_{W_ic>0} S_i / Σ S_i`,
 * `C_c = 1 / (1 + exp(−ρ·(T_c − κ)))`, `ε = normalize(C·R)`, `EmissionValues_c = ⌊ε_c · blockEmission⌋`.
 *
 * @throws {ConsensusError} the input validation codes; `NoRootValidators` (no root uids), `NoNetworks`
 * (empty `networks`) and `ZeroRootStake` (Σ stake = 0) are the chain's aborts — keep the previous values.
 * @throws {FixedPointError} `FixedPointOverflow` when `exp` overflows I64F64 (exponent ρ·(κ − T) ≳ 42.8: with κ ≈ 0.5, any ρ ≥ 86);
 * the chain's `expect` panics there.
 */
export function rootEpoch(input: RootEpochInput): RootEpochOutput {
  validateRootInput(input);
  const n = input.stake.length;
  const k = input.networks.length;
  if (n === 0) throw new ConsensusError('NoRootValidators', 'the root network has no validators', {});
  if (k === 0) throw new ConsensusError('NoNetworks', 'there are no networks to emit to', {});

  const stake = normalize(T, input.stake.map((s) => fromInt(T, s)));
  const totalStake = sum(stake);
  if (totalStake === 0n) throw new ConsensusError('ZeroRootStake', 'root validators hold no stake', {});
  const weights = rootWeights(input.weights, input.networks);

  const rank = new Array<bigint>(k).fill(0n);
  const trustStake = new Array<bigint>(k).fill(0n);
  for (let i = 0; i < n; i++) {
    const row = weights[i]!;
    const s = stake[i]!;
    for (let c = 0; c < k; c++) {
      const w = row[c]!;
      rank[c] = saturate(T, rank[c]! + mul(T, w, s));
      if (w > 0n) trustStake[c] = saturate(T, trustStake[c]! + s);
    }
  }

  const kappa = rootKappa(input.kappa);
  const rho = fromInt(T, input.rho);
  const weighted = trustStake.map((ts, c) => {
    const trust = div(T, ts, totalStake);
    const exponent = saturate(T, -mul(T, saturate(T, trust - kappa), rho));
    const consensus = div(T, ONE, saturate(T, ONE + expFixed(T, exponent)));
    return mul(T, consensus, rank[c]!);
  });

  const blockEmission = fromInt(T, input.blockEmission);
  const emission = normalize(T, weighted).map((e) => toIntFloor(T, mul(T, e, blockEmission)));
  return { emissionValues: input.networks.map((netuid, c) => [netuid, emission[c]!] as const) };
}
