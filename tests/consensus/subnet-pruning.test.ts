/** Subnet pruning choice (spec §4.4 step 3, TV11: test_network_prune_results). */
import { chooseSubnetToPrune, type SubnetPruningCandidate } from '../../consensus/subnet-pruning';

/** TV11 setup: netuids 1, 2, 3 registered at blocks 1, 4, 7; the choice is made at block 10 with immunity 3. */
function tv11(emissions: [bigint, bigint, bigint]): SubnetPruningCandidate[] {
  return [
    { netuid: 0, emission: 0n, registeredAt: 0 },
    { netuid: 1, emission: emissions[0], registeredAt: 1 },
    { netuid: 2, emission: emissions[1], registeredAt: 4 },
    { netuid: 3, emission: emissions[2], registeredAt: 7 },
  ];
}

describe('chooseSubnetToPrune', () => {
  test('default: TV11 lowest emission [5, 4, 4] → 2 (tie goes to the earlier registration)', () => {
    expect(chooseSubnetToPrune(tv11([5n, 4n, 4n]), 10, 3)).toBe(2);
  });

  test('behavior: TV11 [5, 5, 4] → 3', () => {
    expect(chooseSubnetToPrune(tv11([5n, 5n, 4n]), 10, 3)).toBe(3);
  });

  test('behavior: TV11 [4, 5, 5] → 1', () => {
    expect(chooseSubnetToPrune(tv11([4n, 5n, 5n]), 10, 3)).toBe(1);
  });

  test('behavior: the root network is never chosen, even with the lowest emission', () => {
    expect(chooseSubnetToPrune(tv11([1n, 1n, 1n]), 10, 3)).toBe(1);
  });

  test('behavior: subnets inside their immunity period are skipped', () => {
    // At block 10 with immunity 4, netuid 3 (registered at 7) is immune.
    expect(chooseSubnetToPrune(tv11([5n, 5n, 4n]), 10, 4)).toBe(1);
    expect(chooseSubnetToPrune(tv11([5n, 5n, 4n]), 11, 4)).toBe(3);
  });

  test('behavior: a full tie (emission and registration block) picks the subnet listed last', () => {
    const subnets: SubnetPruningCandidate[] = [
      { netuid: 4, emission: 7n, registeredAt: 2 },
      { netuid: 5, emission: 7n, registeredAt: 2 },
      { netuid: 6, emission: 9n, registeredAt: 1 },
    ];
    expect(chooseSubnetToPrune(subnets, 100, 3)).toBe(5);
  });

  test('behavior: a registration block after the current block counts as age 0', () => {
    expect(chooseSubnetToPrune([{ netuid: 1, emission: 0n, registeredAt: 50 }], 10, 1)).toBeNull();
    expect(chooseSubnetToPrune([{ netuid: 1, emission: 0n, registeredAt: 50 }], 10, 0)).toBe(1);
  });

  test('error: every subnet immune (AllNetworksInImmunity) → null', () => {
    expect(chooseSubnetToPrune(tv11([5n, 4n, 4n]), 10, 100)).toBeNull();
    expect(chooseSubnetToPrune([], 10, 0)).toBeNull();
  });
});
