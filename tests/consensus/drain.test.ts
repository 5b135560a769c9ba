/** Nominator drain (spec §8.3, TV10: test_coinbase_nominator_drainage_no_deltas). */
import { drainHotkeyEmission, type DrainHotkeyEmissionInput } from '../../consensus/drain';

const TV10: DrainHotkeyEmissionInput = {
  emission: 20n,
  delegateTake: 6553,
  owner: 'owner',
  stakes: [
    ['nominator1', 100n],
    ['nominator2', 100n],
    ['owner', 0n],
  ],
};

function applyIncrements(stakes: DrainHotkeyEmissionInput['stakes'], increments: ReadonlyArray<readonly [string, bigint]>): Map<string, bigint> {
  const out = new Map(stakes);
  for (const [coldkey, rao] of increments) out.set(coldkey, (out.get(coldkey) ?? 0n) + rao);
  return out;
}

describe('drainHotkeyEmission', () => {
  test('default: TV10 — 20 rao, take 6553, nominators 100 + 100, owner 0 → +9, +9, owner +2', () => {
    const out = drainHotkeyEmission(TV10);
    expect(out).toEqual({
      stakeIncrements: [
        ['nominator1', 9n],
        ['nominator2', 9n],
        ['owner', 2n],
      ],
      take: 1n,
      remainder: 1n,
      minted: 20n,
    });
  });

  test('behavior: TV10 final stakes are 109 / 109 / 2, total 220', () => {
    const stakes = applyIncrements(TV10.stakes, drainHotkeyEmission(TV10).stakeIncrements);
    expect([...stakes]).toEqual([
      ['nominator1', 109n],
      ['nominator2', 109n],
      ['owner', 2n],
    ]);
    expect([...stakes.values()].reduce((a, b) => a + b, 0n)).toBe(220n);
  });

  test('behavior: an owner without a stake entry is appended last', () => {
    const out = drainHotkeyEmission({ ...TV10, stakes: TV10.stakes.slice(0, 2) });
    expect(out.stakeIncrements).toEqual([
      ['nominator1', 9n],
      ['nominator2', 9n],
      ['owner', 2n],
    ]);
    expect(out.minted).toBe(20n);
  });

  test('behavior: the owner staking on its own hotkey also earns a nominator share', () => {
    const out = drainHotkeyEmission({ emission: 1000n, delegateTake: 0, owner: 'o', stakes: [['o', 300n], ['n', 100n]] });
    expect(out.stakeIncrements).toEqual([
      ['o', 750n],
      ['n', 250n],
    ]);
  });

  test('behavior: stake added since the last drain earns nothing; removals are not held against anyone', () => {
    const out = drainHotkeyEmission({
      ...TV10,
      stakes: [
        ['nominator1', 100n],
        ['nominator2', 150n],
      ],
      stakeDeltas: [
        ['nominator1', -40n],
        ['nominator2', 50n],
      ],
    });
    // V = 250 − 50 = 200; viable stakes 100 and 100.
    expect(out.stakeIncrements).toEqual([
      ['nominator1', 9n],
      ['nominator2', 9n],
      ['owner', 2n],
    ]);
  });

  test('behavior: the untouchable part bypasses the take and the nominators', () => {
    const out = drainHotkeyEmission({ ...TV10, emission: 30n, untouchable: 10n });
    expect(out.stakeIncrements).toEqual([
      ['nominator1', 9n],
      ['nominator2', 9n],
      ['owner', 12n],
    ]);
    expect(out.minted).toBe(30n);
  });

  test('behavior: with no viable stake everything goes to the owner', () => {
    const out = drainHotkeyEmission({ ...TV10, stakes: [['nominator1', 100n]], stakeDeltas: [['nominator1', 100n]] });
    expect(out.stakeIncrements).toEqual([
      ['nominator1', 0n],
      ['owner', 20n],
    ]);
    expect(out).toMatchObject({ take: 1n, remainder: 19n, minted: 20n });
  });

  test('behavior: a full take (65535) leaves nothing for nominators', () => {
    const out = drainHotkeyEmission({ ...TV10, delegateTake: 65535 });
    expect(out).toMatchObject({ take: 20n, remainder: 0n, minted: 20n });
    expect(out.stakeIncrements.find(([c]) => c === 'owner')?.[1]).toBe(20n);
  });

  test('behavior: shares floor the I64F64 ratio per nominator; dust goes to the owner', () => {
    const out = drainHotkeyEmission({ emission: 100n, delegateTake: 0, owner: 'o', stakes: [['a', 1n], ['b', 1n], ['c', 1n]] });
    expect(out.stakeIncrements).toEqual([
      ['a', 33n],
      ['b', 33n],
      ['c', 33n],
      ['o', 1n],
    ]);
    expect(out.remainder).toBe(1n);
  });

  test('error: a coldkey listed twice is refused', () => {
    expect(() => drainHotkeyEmission({ ...TV10, stakes: [['a', 1n], ['a', 2n]] })).toThrow(expect.objectContaining({ code: 'DuplicateUid' }) as Error);
  });

  test('error: out-of-range amounts are refused', () => {
    expect(() => drainHotkeyEmission({ ...TV10, delegateTake: 65536 })).toThrow(expect.objectContaining({ code: 'InvalidU16' }) as Error);
    expect(() => drainHotkeyEmission({ ...TV10, emission: -1n })).toThrow(expect.objectContaining({ code: 'InvalidU64' }) as Error);
  });
});
