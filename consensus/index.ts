/**
 * The chain's consensus and emission math as pure functions, bit-identical to the pre-dTAO subtensor
 * runtime (opentensor/subtensor, pallets/subtensor before dynamic TAO). localnet composes these; nothing here does I/O.
 */
export { yumaEpoch, type YumaEpochOptions } from './yuma';
export { rootEpoch } from './root';
export { blockEmission, DEFAULT_BLOCK_EMISSION, TOTAL_SUPPLY, type BlockEmissionOptions } from './emission';
export { nextRegistrationValue, retargetRegistration } from './registration';
export type { NextRegistrationValueParams, RetargetRegistrationParams, RetargetRegistrationResult } from './registration';
export { drainHotkeyEmission, type DrainHotkeyEmissionInput, type DrainHotkeyEmissionOutput } from './drain';
export { chooseSubnetToPrune, type SubnetPruningCandidate } from './subnet-pruning';
export { SparseU16Matrix } from './sparse';
export { Workspace } from './workspace';
export { ConsensusError, type ConsensusErrorCode } from './errors';
export { FixedPointError, type FixedPointErrorCode } from './fixed/transcendental';
export { validateYumaInput, validateRootInput } from './validate';
export * from './types';
export {
  VectorFormatError, encodeRootOutput, encodeYumaOutput, parseJsonText, parseRootVectorFile, parseYumaVectorFile, readVectorKind, toJsonText,
  type RootOutputJson, type VectorKind, type YumaOutputJson,
} from './vector-format';
