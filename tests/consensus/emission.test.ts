/** Block emission and halvings (spec §5, TV8: test_halving / test_issuance_bounds). */
import { blockEmission, DEFAULT_BLOCK_EMISSION, TOTAL_SUPPLY } from '../../consensus/emission';
import { FixedPointError } from '../../consensus/fixed/transcendental';
import { TV8_BLOCK_EMISSION } from '../fixtures/tv8';

describe('blockEmission', () => {
  test('default: no issuance emits 1 TAO per block', () => {
    expect(blockEmission(0n)).toBe(DEFAULT_BLOCK_EMISSION);
  });

  test.each<readonly [bigint, bigint]>([
    ...TV8_BLOCK_EMISSION,
    [21_000_000_000_000_000n, 0n],
    [21_000_000_000_000_001n, 0n],
    [(1n << 64n) - 1n, 0n],
  ])('behavior: TV8 BE(%p) = %p', (issuance, expected) => {
    expect(blockEmission(issuance)).toBe(expected);
  });

  test('behavior: halvings land exactly at 10.5M and 18.375M TAO', () => {
    expect(blockEmission(10_499_999_999_999_999n)).toBe(1_000_000_000n);
    expect(blockEmission(18_374_999_999_999_999n)).toBe(250_000_000n);
    expect(blockEmission(18_375_000_000_000_000n)).toBe(125_000_000n);
  });

  test('behavior: TV8 issuance bound — 100 steps of I += BE(I)·10_500_000 end at 20_999_999_989_500_000', () => {
    let issuance = 0n;
    for (let i = 0; i < 100; i++) issuance += blockEmission(issuance) * 10_500_000n;
    expect(issuance).toBe(20_999_999_989_500_000n);
    expect(issuance).toBeLessThan(TOTAL_SUPPLY);
  });

  test('args: defaultBlockEmission scales the schedule', () => {
    expect(blockEmission(10_500_000_000_000_000n, { defaultBlockEmission: 2_000_000_000n })).toBe(1_000_000_000n);
  });

  test('args: totalSupply moves only the cut-off, not the curve', () => {
    expect(blockEmission(1_000n, { totalSupply: 1_000n })).toBe(0n);
    expect(blockEmission(999n, { totalSupply: 1_000n })).toBe(1_000_000_000n);
  });

  test('error: issuance past the curve with a larger totalSupply fails like the chain ("Logarithm calculation failed")', () => {
    const opts = { totalSupply: 30_000_000_000_000_000n };
    expect(() => blockEmission(21_000_000_000_000_000n, opts)).toThrow(expect.objectContaining({ code: 'FixedPointOverflow' }) as Error);
    expect(() => blockEmission(22_000_000_000_000_000n, opts)).toThrow(FixedPointError);
  });

  test('error: values outside u64 are refused', () => {
    expect(() => blockEmission(-1n)).toThrow(expect.objectContaining({ code: 'InvalidU64' }) as Error);
    expect(() => blockEmission(0n, { defaultBlockEmission: 1n << 64n })).toThrow(expect.objectContaining({ code: 'InvalidU64' }) as Error);
  });
});
