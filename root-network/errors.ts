import { TensornetError } from '../common/errors';

/** Machine-readable codes of {@link RootNetworkError}. */
export type RootNetworkErrorCode =
  /** An amount outside u64, a proportion outside u16, or a seat count that is not a positive integer. */
  | 'InvalidArgument'
  /** `NetworkLockReductionInterval` is 0: the runtime divides by it and panics. */
  | 'ZeroLockReductionInterval';

/** A pure root-network function refused its arguments. */
export class RootNetworkError extends TensornetError<RootNetworkErrorCode> {}
