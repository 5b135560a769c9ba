/**
 * Which subnet `register_network` prunes when `SubnetLimit` is reached (spec §4.4 step 3, TV11). The
 * pure function lives in `consensus/subnet-pruning.ts`, which localnet already calls; it is
 * re-exported here so the root network's economics read from one place.
 */
export { chooseSubnetToPrune, type SubnetPruningCandidate } from '../consensus/subnet-pruning';
