/**
 * Chain operations as free functions of `(client, params)`, each with typed parameters, result and errors.
 */
export { DispatchFailedError, EventMissingError, InvalidParametersError, LEGACY_ERROR_NAMES, OperationError, PoolRejectedError, TransactionDroppedError, classifyPoolError, type DispatchFailure, type OperationErrorCode, type PoolRejectionReason } from './errors';
export { type Amount, type SubmitOptions } from './common';
export { getBalance, transfer, type AccountBalance, type GetBalanceErrorType, type TransferErrorType, type TransferParameters } from './transfer';
export { burnedRegister, getHotkeyOwner, getUid, type BurnedRegisterErrorType, type BurnedRegisterParameters, type BurnedRegisterResult } from './register';
export { chainAcceptsIp, ipToInt, serveAxon, type ServeAxonErrorType, type ServeAxonParameters } from './serve';
export { addStake, getStake, getTotalColdkeyStake, getTotalHotkeyStake, removeStake, type StakeErrorType, type StakeParameters } from './stake';
export {
  commitAndRevealWeights, commitWeights, prepareWeights, revealWeights, revealWindow, setWeights,
  type CommitAndRevealErrorType, type CommitAndRevealParameters, type CommitWeightsParameters, type CommitWeightsResult, type RevealWeightsParameters,
  type SetWeightsErrorType, type SetWeightsParameters, type SetWeightsResult, type WeightsCommit, type WeightsInput,
} from './set-weights';
export {
  becomeDelegate, getDelegateTake, getNetworkLockCost, getNetworks, registerNetwork, registerNetworkCall, rootRegister, setDelegateTake, setRootWeights,
  type BecomeDelegateParameters, type NetworkLockCostOptions, type RegisterNetworkErrorType, type RegisterNetworkParameters, type RegisterNetworkResult, type RootRegisterParameters, type SetDelegateTakeParameters, type SetRootWeightsParameters, type SubnetIdentity,
} from './network';
export { HYPERPARAMETERS, getHyperparameters, setHyperparameter, type GetHyperparametersErrorType, type HyperparameterName, type HyperparameterValue, type Hyperparameters, type SetHyperparameterErrorType, type SetHyperparameterParameters } from './hyperparameters';
export { lowestPermitStake, nextWeightsBlock, remedyFor, type Remedy, type RemedyContext } from './remedy';
export { buildCall, rootWeightsCall, stakeCall, type RootWeightsCallArgs, type StakeCallArgs } from './calls';
export { powRegister, powSeal, sealMeetsDifficulty, solvePow, type PowRegisterErrorType, type PowRegisterParameters, type SolvePowParameters } from './pow';
export {
  getChildkeyTake, getChildren, getParents, getPendingChildren, revokeChildren, setChildkeyTake, setChildren,
  type ChildKey, type ChildKeyInput, type ParentKey, type PendingChildKeys, type SetChildkeyTakeParameters, type SetChildrenErrorType, type SetChildrenParameters, type SetChildrenResult,
} from './children';
export { getIdentity, getSubnetIdentity, setIdentity, setSubnetIdentity, type ChainIdentity, type SetIdentityErrorType, type SetIdentityParameters, type SetSubnetIdentityParameters } from './identity';
export { pendingWeightCommits, type PendingWeightCommit } from './weight-commits';
