/** Burn / difficulty retarget (spec §6.3, TV9: test_burn_adjustment, test_registration_difficulty_adjustment). */
import { nextRegistrationValue, retargetRegistration, type RetargetRegistrationParams } from '../../consensus/registration';

const U64_MAX = (1n << 64n) - 1n;
/** The runtime's `InitialAdjustmentAlpha` (≈ 0.97 · u64::MAX). */
const INIT_ALPHA = 17_893_341_751_498_265_066n;

function retarget(overrides: Partial<RetargetRegistrationParams>): ReturnType<typeof retargetRegistration> {
  return retargetRegistration({
    burn: 1_000_000_000n,
    difficulty: 10_000_000n,
    registrations: 0,
    powRegistrations: 0,
    burnRegistrations: 0,
    target: 1,
    alpha: 0n,
    minBurn: 1n,
    maxBurn: 100_000_000_000n,
    minDifficulty: 1n,
    maxDifficulty: U64_MAX,
    ...overrides,
  });
}

describe('nextRegistrationValue', () => {
  test('default: TV9 test_burn_adjustment — burn 1000, two burns against target 1, alpha 58000 → 1500', () => {
    expect(
      nextRegistrationValue({ current: 1000n, registrationsThisInterval: 2, targetRegistrationsPerInterval: 1, adjustmentAlpha: 58_000n, min: 1n, max: 100_000_000_000n }),
    ).toBe(1500n);
  });

  test('behavior: alpha keeps only 18 fractional bits (0.97 → 254279/2^18)', () => {
    // α = 254279/2^18; 2^18 · 1 rao idle: α·2^18 + (1−α)·2^18/2 = 254279 + 3932.5 → floor 258211.
    expect(
      nextRegistrationValue({ current: 1n << 18n, registrationsThisInterval: 0, targetRegistrationsPerInterval: 1, adjustmentAlpha: INIT_ALPHA, min: 1n, max: U64_MAX }),
    ).toBe(258_211n);
  });

  test('behavior: idle subnet burn decays ×0.985 per interval down to MinBurn', () => {
    let burn = 1_000_000_000n;
    const step = (): bigint =>
      nextRegistrationValue({ current: burn, registrationsThisInterval: 0, targetRegistrationsPerInterval: 1, adjustmentAlpha: INIT_ALPHA, min: 1n, max: 100_000_000_000n });
    burn = step();
    expect(burn).toBe(984_998_703n);
    for (let i = 0; i < 2000; i++) burn = step();
    expect(burn).toBe(1n);
  });

  test('behavior: clamps at max and min inclusively', () => {
    const base = { registrationsThisInterval: 3, targetRegistrationsPerInterval: 1, adjustmentAlpha: 0n, min: 10n };
    expect(nextRegistrationValue({ ...base, current: 5000n, max: 10_000n })).toBe(10_000n);
    expect(nextRegistrationValue({ ...base, current: 5000n, max: 9_999n })).toBe(9_999n);
    expect(nextRegistrationValue({ ...base, current: 5n, max: 10_000n })).toBe(10n);
  });

  test('behavior: r + t saturates at u16::MAX as on chain', () => {
    const p = { current: 65_535n, targetRegistrationsPerInterval: 65_535, adjustmentAlpha: 0n, min: 0n, max: U64_MAX };
    // (r + t) saturates to 65535 and 2t to 65535, so the value is unchanged whatever r is.
    expect(nextRegistrationValue({ ...p, registrationsThisInterval: 65_535 })).toBe(65_535n);
  });

  test('error: a zero target is refused (the chain would divide by zero)', () => {
    expect(() =>
      nextRegistrationValue({ current: 1n, registrationsThisInterval: 0, targetRegistrationsPerInterval: 0, adjustmentAlpha: 0n, min: 0n, max: 10n }),
    ).toThrow(expect.objectContaining({ code: 'InvalidHyperparameter' }) as Error);
  });

  test('error: out-of-range fields are refused', () => {
    const ok = { current: 1n, registrationsThisInterval: 0, targetRegistrationsPerInterval: 1, adjustmentAlpha: 0n, min: 0n, max: 10n };
    expect(() => nextRegistrationValue({ ...ok, registrationsThisInterval: 65_536 })).toThrow(expect.objectContaining({ code: 'InvalidU16' }) as Error);
    expect(() => nextRegistrationValue({ ...ok, adjustmentAlpha: U64_MAX + 1n })).toThrow(expect.objectContaining({ code: 'InvalidU64' }) as Error);
  });
});

describe('retargetRegistration', () => {
  test('default: TV9 burn adjustment — two burned registrations raise only the burn', () => {
    expect(retarget({ burn: 1000n, registrations: 2, burnRegistrations: 2, alpha: 58_000n })).toEqual({ burn: 1500n, difficulty: 10_000_000n });
  });

  test('behavior: TV9 difficulty 20000, 3 PoW registrations, target 1 → 40000 (burn unchanged)', () => {
    expect(retarget({ difficulty: 20_000n, registrations: 3, powRegistrations: 3 })).toEqual({ burn: 1_000_000_000n, difficulty: 40_000n });
  });

  test('behavior: TV9 target 3 with 6 PoW registrations → 60000', () => {
    expect(retarget({ difficulty: 40_000n, registrations: 6, powRegistrations: 6, target: 3 }).difficulty).toBe(60_000n);
  });

  test('behavior: TV9 no registrations: difficulty 4 → 2 → 1 → 1 (min 1), both values move', () => {
    const seen: bigint[] = [];
    let state = { burn: 1000n, difficulty: 4n };
    for (let i = 0; i < 3; i++) {
      state = retarget({ ...state, registrations: 0 });
      seen.push(state.difficulty);
    }
    expect(seen).toEqual([2n, 1n, 1n]);
    expect(state.burn).toBe(125n);
  });

  test('behavior: TV9 difficulty 5000 (max 10000), 4 PoW registrations, target 3 → 5833', () => {
    expect(retarget({ difficulty: 5000n, maxDifficulty: 10_000n, registrations: 4, powRegistrations: 4, target: 3 }).difficulty).toBe(5833n);
  });

  test.each([
    // [r, p, q, burn moves, difficulty moves], t = 2
    [3, 2, 1, false, true],
    [3, 1, 2, true, false],
    [4, 2, 2, true, true],
    [1, 1, 0, true, false],
    [1, 0, 1, false, true],
    [0, 0, 0, true, true],
  ])('behavior: r=%i p=%i q=%i (t=2) → burn moves: %p, difficulty moves: %p', (r, p, q, burnMoves, difficultyMoves) => {
    const before = { burn: 1000n, difficulty: 1000n };
    const after = retarget({ ...before, registrations: r, powRegistrations: p, burnRegistrations: q, target: 2 });
    expect(after.burn !== before.burn).toBe(burnMoves);
    expect(after.difficulty !== before.difficulty).toBe(difficultyMoves);
  });

  test('error: invalid counters are refused', () => {
    expect(() => retarget({ powRegistrations: -1 })).toThrow(expect.objectContaining({ code: 'InvalidU16' }) as Error);
  });
});
