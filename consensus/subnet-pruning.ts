/**
 * Which subnet `register_network` replaces when `SubnetLimit` is reached (spec §4.4 step 3,
 * `get_subnet_to_prune`).
 */

export interface SubnetPruningCandidate {
  readonly netuid: number;
  /** `EmissionValues[netuid]`, rao per block. */
  readonly emission: bigint;
  /** `NetworkRegisteredAt[netuid]`, block. */
  readonly registeredAt: number;
}

/**
 * Picks the subnet to prune (spec §4.4 step 3): among netuids ≠ 0 out of immunity
 * (`block − registeredAt ≥ immunityPeriod`, the subtraction saturating at 0), the lowest emission;
 * ties go to the earliest registration.
 *
 * When emission and registration block both tie, the chain's stable sort leaves the one listed last
 * (in `NetworksAdded` iteration order) at the end, so that one is chosen; pass `subnets` in that order.
 *
 * @returns the netuid, or `null` when every subnet is immune (the chain's `AllNetworksInImmunity`).
 */
export function chooseSubnetToPrune(subnets: readonly SubnetPruningCandidate[], block: number, immunityPeriod: number): number | null {
  let chosen: SubnetPruningCandidate | null = null;
  for (const subnet of subnets) {
    if (subnet.netuid === 0) continue;
    if (Math.max(0, block - subnet.registeredAt) < immunityPeriod) continue;
    const better =
      chosen === null ||
      subnet.emission < chosen.emission ||
      (subnet.emission === chosen.emission && subnet.registeredAt <= chosen.registeredAt);
    if (better) chosen = subnet;
  }
  return chosen === null ? null : chosen.netuid;
}
