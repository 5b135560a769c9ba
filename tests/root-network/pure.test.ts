/**
 * The root network's pure modules: membership (§4.2), emission split and accrual (§2 step 2, §5),
 * lock cost (§4.4 step 2) and the pruning re-export (TV11).
 */
import fc from 'fast-check';
import {
  RootNetworkError,
  accruePendingEmission,
  applyRootSeat,
  blockEmission,
  chooseSubnetToPrune,
  decideRootSeat,
  halvingThreshold,
  isEpochBlock,
  networkLockCost,
  nextEpochBlock,
  splitSubnetEmission,
  type RootMember,
} from '../../root-network';

const members = (stakes: bigint[]): RootMember[] => stakes.map((stake, uid) => ({ uid, hotkey: `h${uid}`, stake }));

describe('decideRootSeat (§4.2)', () => {
  test('default: a free seat is appended at uid = member count', () => {
    expect(decideRootSeat(members([5n, 7n]), { hotkey: 'new', stake: 0n })).toEqual({ kind: 'append', uid: 2 });
  });
  test('behavior: a full root replaces the lowest-stake member (first uid on ties) only for strictly more stake', () => {
    const full = members([9n, 3n, 3n, 8n]);
    expect(decideRootSeat(full, { hotkey: 'new', stake: 4n }, 4)).toEqual({ kind: 'replace', uid: 1, replaced: 'h1' });
    expect(decideRootSeat(full, { hotkey: 'new', stake: 3n }, 4)).toEqual({ kind: 'rejected', reason: 'StakeTooLowForRoot' });
    expect(applyRootSeat(full, { hotkey: 'new', stake: 4n }, 4).map((m) => m.hotkey)).toEqual(['h0', 'new', 'h2', 'h3']);
    expect(applyRootSeat(full, { hotkey: 'new', stake: 1n }, 4)).toEqual(full);
  });
  test('error: a member cannot register again; bad arguments throw RootNetworkError', () => {
    expect(decideRootSeat(members([1n]), { hotkey: 'h0', stake: 99n })).toEqual({ kind: 'rejected', reason: 'HotKeyAlreadyRegisteredInSubNet' });
    expect(() => decideRootSeat([], { hotkey: 'a', stake: 1n }, 0)).toThrow(RootNetworkError);
    expect(() => decideRootSeat([], { hotkey: 'a', stake: -1n })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
  test('behavior: 64 seats — repeated registrations keep exactly the top 64 by stake (distinct stakes, seeded)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.bigInt({ min: 1n, max: 10n ** 15n }), { minLength: 65, maxLength: 120 }), (stakes) => {
        let seated: RootMember[] = [];
        stakes.forEach((stake, i) => (seated = applyRootSeat(seated, { hotkey: `k${i}`, stake })));
        const top = [...stakes].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, 64);
        expect(seated).toHaveLength(64);
        expect(seated.map((m) => m.stake).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(top);
      }),
      { seed: 424242, numRuns: 40 },
    );
  });
});

describe('emission (§2, §5)', () => {
  test('default: the owner cut of 999 999 999 999 rao at 11796/65535 (as the coinbase test on chain)', () => {
    expect(splitSubnetEmission(999_999_999_999n)).toEqual({ ownerCut: 179_995_422_251n, toYuma: 820_004_577_748n });
  });
  test('behavior: cut + toYuma = E for any E; a cut of 0, a missing owner and 65535 behave as the chain', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 65535 }), (e, c) => {
        const { ownerCut, toYuma } = splitSubnetEmission(e, c);
        expect(ownerCut + toYuma).toBe(e);
        expect(ownerCut).toBeLessThanOrEqual(e);
      }),
      { seed: 7, numRuns: 200 },
    );
    expect(splitSubnetEmission(1000n, 0)).toEqual({ ownerCut: 0n, toYuma: 1000n });
    expect(splitSubnetEmission(1000n, 11796, false)).toEqual({ ownerCut: 0n, toYuma: 1000n });
    // 65535/65535 = 1 exactly in I96F32.
    expect(splitSubnetEmission(1000n, 65535)).toEqual({ ownerCut: 1000n, toYuma: 0n });
    expect(() => splitSubnetEmission(-1n)).toThrow(RootNetworkError);
    expect(() => splitSubnetEmission(1n, 65536)).toThrow(RootNetworkError);
  });
  test('behavior: accrual skips root and registration-disabled subnets and saturates at u64::MAX', () => {
    const max = (1n << 64n) - 1n;
    expect(
      accruePendingEmission([
        { netuid: 0, emissionValue: 5n, pending: 0n, registrationAllowed: true },
        { netuid: 1, emissionValue: 5n, pending: 10n, registrationAllowed: true },
        { netuid: 2, emissionValue: 5n, pending: 10n, registrationAllowed: false },
        { netuid: 3, emissionValue: 5n, pending: max - 1n, registrationAllowed: true },
      ]),
    ).toEqual([[0, 0n], [1, 15n], [2, 10n], [3, max]]);
  });
  test('behavior: TV8 — the halving schedule (re-exported) and its thresholds', () => {
    const tv8: Array<[bigint, bigint]> = [
      [0n, 1_000_000_000n], [1_776_000_000_000n, 1_000_000_000n], [10_500_000_000_000_000n, 500_000_000n],
      [15_749_999_000_000_000n, 500_000_000n], [15_800_000_000_000_000n, 250_000_000n], [18_400_000_000_000_000n, 125_000_000n],
      [19_700_000_000_000_000n, 62_500_000n], [20_400_000_000_000_000n, 31_250_000n], [20_900_000_000_000_000n, 7_812_500n],
      [20_979_493_000_000_000n, 976_562n], [20_999_990_000_000_000n, 476n], [20_999_999_000_000_000n, 59n], [21_000_000_000_000_000n, 0n],
    ];
    for (const [issuance, be] of tv8) expect(blockEmission(issuance)).toBe(be);
    expect([1, 2, 3].map(halvingThreshold)).toEqual([10_500_000_000_000_000n, 15_750_000_000_000_000n, 18_375_000_000_000_000n]);
    for (let h = 1; h <= 6; h++) {
      const at = halvingThreshold(h);
      expect(blockEmission(at)).toBe(1_000_000_000n >> BigInt(h));
      expect(blockEmission(at - 1n)).toBe(1_000_000_000n >> BigInt(h - 1));
    }
    let issuance = 0n;
    for (let i = 0; i < 100; i++) issuance += blockEmission(issuance) * 10_500_000n;
    expect(issuance).toBe(20_999_999_989_500_000n);
  });
  test('behavior: epoch schedule — root tempo 100 runs at 99, 200, 301; nextEpochBlock agrees with isEpochBlock', () => {
    expect([98n, 99n, 200n, 301n].map((b) => isEpochBlock(0, 100, b))).toEqual([false, true, true, true]);
    expect(isEpochBlock(1, 0, 5n)).toBe(false);
    expect(nextEpochBlock(3, 0, 5n)).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 50 }), fc.bigInt({ min: 0n, max: 10_000n }), (netuid, tempo, after) => {
        const next = nextEpochBlock(netuid, tempo, after)!;
        expect(next).toBeGreaterThan(after);
        expect(isEpochBlock(netuid, tempo, next)).toBe(true);
        for (let b = after + 1n; b < next; b++) expect(isEpochBlock(netuid, tempo, b)).toBe(false);
      }),
      { seed: 99, numRuns: 100 },
    );
  });
});

describe('networkLockCost (§4.4 step 2)', () => {
  const p = { reductionInterval: 100n, minLockCost: 1000n };
  test('default: the first registration costs the minimum (mult 1 while NetworkLastRegistered = 0)', () => {
    expect(networkLockCost({ lastLockCost: 1_000_000_000_000n, lastRegistered: 0n, block: 5n })).toBe(1_000_000_000_000n);
  });
  test('behavior: doubles, then decays linearly by ⌊L/interval⌋ per block and floors at the minimum', () => {
    expect(networkLockCost({ ...p, lastLockCost: 1000n, lastRegistered: 10n, block: 10n })).toBe(2000n);
    expect(networkLockCost({ ...p, lastLockCost: 1000n, lastRegistered: 10n, block: 60n })).toBe(1500n);
    expect(networkLockCost({ ...p, lastLockCost: 1000n, lastRegistered: 10n, block: 110n })).toBe(1000n);
    expect(networkLockCost({ ...p, lastLockCost: 1000n, lastRegistered: 10n, block: 5000n })).toBe(1000n);
    expect(networkLockCost({ ...p, lastLockCost: 4000n, lastRegistered: 10n, block: 20n })).toBe(8000n - 40n * 10n);
    // u64 saturation of L·2
    expect(networkLockCost({ ...p, lastLockCost: (1n << 64n) - 1n, lastRegistered: 1n, block: 1n })).toBe((1n << 64n) - 1n);
  });
  test('error: a zero interval (the runtime panics) and non-u64 values', () => {
    expect(() => networkLockCost({ lastLockCost: 1n, lastRegistered: 1n, block: 1n, reductionInterval: 0n })).toThrow(expect.objectContaining({ code: 'ZeroLockReductionInterval' }));
    expect(() => networkLockCost({ lastLockCost: -1n, lastRegistered: 1n, block: 1n })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('chooseSubnetToPrune (re-export, TV11)', () => {
  test('default: emissions [5,4,4] → 2, [5,5,4] → 3, [4,5,5] → 1; immune subnets are skipped', () => {
    const subnets = (e: bigint[]) => e.map((emission, i) => ({ netuid: i + 1, emission, registeredAt: 1 + 3 * i }));
    expect(chooseSubnetToPrune(subnets([5n, 4n, 4n]), 10, 3)).toBe(2);
    expect(chooseSubnetToPrune(subnets([5n, 5n, 4n]), 10, 3)).toBe(3);
    expect(chooseSubnetToPrune(subnets([4n, 5n, 5n]), 10, 3)).toBe(1);
    expect(chooseSubnetToPrune(subnets([4n, 5n, 5n]), 2, 3)).toBeNull();
  });
});
