import { TensornetError } from '../common/errors';

/** Machine-readable reasons an epoch input is refused. */
export type ConsensusErrorCode =
  | 'VectorLengthMismatch'
  | 'UidOutOfRange'
  | 'DuplicateUid'
  | 'InvalidU16'
  | 'InvalidU64'
  | 'InvalidBlock'
  | 'InvalidHyperparameter'
  | 'NoRootValidators'
  | 'NoNetworks'
  | 'ZeroRootStake';

/** A consensus function was given input the chain could never hold, or (root epoch) had nothing to do. */
export class ConsensusError extends TensornetError<ConsensusErrorCode> {}
