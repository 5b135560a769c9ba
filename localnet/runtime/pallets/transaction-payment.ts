/**
 * Transaction fees as the pre-dTAO subtensor runtime computes them: a base fee for the extrinsic's base
 * weight, a length fee of 1 rao per byte (`IdentityFee`), and a weight fee of 0.0005 rao per unit of
 * ref_time (`LinearWeightToFee`, Perbill 500_000, rounded to nearest), with a constant fee multiplier of 1.
 * Calls declared `Pays::No` cost nothing. The fee is burned: it leaves both the balances issuance and
 * subtensor's own `TotalIssuance` (the runtime's `TransactionFeeHandler`).
 */
import type { DispatchClass, DispatchInfo, Pays } from '../primitives';

/** `BlockWeights.per_class.*.base_extrinsic` of spec 219. */
export const BASE_EXTRINSIC_REF_TIME = 107_074_000n;

const WEIGHT_FEE_PARTS_PER_BILLION = 500_000n;
const BILLION = 1_000_000_000n;

/** `Perbill::from_parts(500_000) * w` with substrate's NearestPrefDown rounding. */
export function weightToFee(refTime: bigint): bigint {
  const product = refTime * WEIGHT_FEE_PARTS_PER_BILLION;
  const quotient = product / BILLION;
  const remainder = product % BILLION;
  return remainder * 2n > BILLION ? quotient + 1n : quotient;
}

export interface FeeDetails {
  readonly baseFee: bigint;
  readonly lenFee: bigint;
  readonly adjustedWeightFee: bigint;
  /** base + len + weight: what `TransactionPaymentApi_query_info` reports as `partial_fee`. */
  readonly partialFee: bigint;
}

export function computeFee(info: DispatchInfo, length: number): FeeDetails {
  if (info.pays_fee === 'No') return { baseFee: 0n, lenFee: 0n, adjustedWeightFee: 0n, partialFee: 0n };
  const baseFee = weightToFee(BASE_EXTRINSIC_REF_TIME);
  const lenFee = BigInt(length);
  const adjustedWeightFee = weightToFee(info.weight.ref_time);
  return { baseFee, lenFee, adjustedWeightFee, partialFee: baseFee + lenFee + adjustedWeightFee };
}

/** A call's declared weight, class and fee policy. */
export interface CallWeight {
  readonly refTime: bigint;
  readonly class?: DispatchClass;
  readonly pays?: Pays;
}

export function dispatchInfo(weight: CallWeight): DispatchInfo {
  return {
    weight: { ref_time: weight.refTime, proof_size: 0n },
    class: weight.class ?? 'Normal',
    pays_fee: weight.pays ?? 'Yes',
  };
}
