/**
 * The root network (netuid 0) and the economics it drives, as pure functions a runtime composes:
 * root membership, emission (halving, accrual, owner cut), the subnet lock cost and the subnet
 * pruning choice. The root epoch itself is `consensus/root.ts` (`rootEpoch`).
 */
export { RootNetworkError, type RootNetworkErrorCode } from './errors';
export { ROOT_MAX_SEATS, decideRootSeat, applyRootSeat, type RootMember, type RootCandidate, type RootSeatDecision } from './membership';
export {
  blockEmission,
  DEFAULT_BLOCK_EMISSION,
  TOTAL_SUPPLY,
  rootEpoch,
  ROOT_NETUID,
  DEFAULT_SUBNET_OWNER_CUT,
  isEpochBlock,
  nextEpochBlock,
  accruePendingEmission,
  splitSubnetEmission,
  halvingThreshold,
  type BlockEmissionOptions,
  type AccrualNetwork,
  type SubnetEmissionSplit,
} from './emission';
export { networkLockCost, DEFAULT_NETWORK_MIN_LOCK_COST, DEFAULT_NETWORK_LOCK_REDUCTION_INTERVAL, type NetworkLockCostParams } from './lock-cost';
export { chooseSubnetToPrune, type SubnetPruningCandidate } from './pruning';
