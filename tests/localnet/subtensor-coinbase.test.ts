/**
 * The block step's coinbase (spec §2 step 2) through real blocks: the root epoch sets
 * `EmissionValues` (TV7), subnets accrue and drain pending emission on their tempo, payouts
 * accumulate on hotkeys and their parents (§8.2), hotkeys pay nominators at their drain block (TV10,
 * §8.3), and subtensor's `TotalIssuance` grows by exactly the owner cuts and the drained emission.
 * State is seeded with root `System.set_storage`.
 */
import { I96F32, div, fromInt, mul, toIntFloor } from '../../consensus/fixed/bigint';
import type { RuntimeContext } from '../../localnet/runtime/context';
import { runtimeItems } from '../../localnet/runtime/items';
import { hotkeyDrainHash } from '../../localnet/runtime/pallets/subtensor/coinbase';
import { U64_MAX, appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { AccountId } from '../../localnet/runtime/primitives';
import { TestChain } from './helpers/test-chain';

/** State seeding goes through root `System.set_storage` in one real block (TestChain.seed). */
const seed = (t: TestChain, write: (ctx: RuntimeContext) => void): Promise<number> => t.seed(write);

const isEpochBlock = (netuid: number, tempo: number, b: number): boolean => tempo !== 0 && (b + netuid + 1) % (tempo + 1) === tempo;

/** The first block after `after` at which `netuid` with `tempo` runs its epoch. */
function nextEpochBlock(netuid: number, tempo: number, after: number): number {
  let b = after + 1;
  while (!isEpochBlock(netuid, tempo, b)) b++;
  return b;
}

/** Creates `netuid` as `register_network` initializes it (owner `owner`), in the seed's overlay. */
function addSubnet(t: TestChain, ctx: RuntimeContext, netuid: number, tempo: number, owner = '//Bob'): void {
  initNewNetwork(ctx.state, netuid, tempo);
  st().SubnetOwner.set(ctx.state, netuid, t.account(owner));
  st().NetworkRegisteredAt.set(ctx.state, netuid, BigInt(ctx.block.number));
}

/** Registers `hotkey` (owned by `coldkey`) on `netuid` with `stake` of the owner. */
function addNeuron(ctx: RuntimeContext, netuid: number, coldkey: AccountId, hotkey: AccountId, stake = 0n): number {
  createAccountIfNonExistent(ctx, coldkey, hotkey);
  const uid = appendNeuron(ctx, netuid, hotkey);
  increaseStake(ctx, coldkey, hotkey, stake);
  return uid;
}

/** Root validators: uid i has hotkey //Root//hot{i}, stake `stake`, weights `rows[i]` (`[netuid, u16]`). */
function addRootValidators(t: TestChain, ctx: RuntimeContext, stake: bigint, rows: [number, number][][]): void {
  rows.forEach((row, i) => {
    const uid = addNeuron(ctx, 0, t.account(`//Root//cold${i}`), t.account(`//Root//hot${i}`), stake);
    st().Weights.set(ctx.state, 0, uid, row);
  });
}

const freeBalance = (t: TestChain, who: AccountId): bigint => t.query(runtimeItems().System.Account, who).data.free;

// ---- TV7: root epoch ------------------------------------------------------------------------------

describe('TV7 root epoch', () => {
  test('behavior: test_root_set_weights — each subnet gets 1/10 of the block emission and accrues it every block', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const seededAt = await seed(t, (ctx) => {
        for (let k = 1; k <= 9; k++) addSubnet(t, ctx, k, 360);
        s.Tempo.set(ctx.state, 0, 1);
        s.Rho.set(ctx.state, 0, 30);
        addRootValidators(t, ctx, 1000n, Array.from({ length: 10 }, (_, i) => [[i, 65535]]));
      });
      const b = nextEpochBlock(0, 1, seededAt);
      await t.advanceTo(b - 1);
      expect(t.query(s.EmissionValues, 1)).toBe(0n);
      await t.advance(1);
      expect(t.query(s.BlockEmission)).toBe(1_000_000_000n);
      for (let k = 1; k <= 9; k++) {
        expect(t.query(s.EmissionValues, k)).toBe(99_999_999n);
        expect(t.query(s.PendingEmission, k)).toBe(99_999_999n);
      }
      await t.advance(1);
      for (let k = 1; k <= 9; k++) expect(t.query(s.PendingEmission, k)).toBe(199_999_998n);
      await t.advance(1);
      for (let k = 1; k <= 9; k++) expect(t.query(s.PendingEmission, k)).toBe(299_999_997n);
      expect(t.query(s.PendingEmission, 0)).toBe(0n);
    } finally {
      await t.close();
    }
  });

  test('behavior: test_network_pruning — emission follows root consensus; subnets at their epoch drain it the same block', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const seededAt = await seed(t, (ctx) => {
        for (let k = 1; k <= 10; k++) addSubnet(t, ctx, k, 1);
        s.Tempo.set(ctx.state, 0, 1);
        s.Rho.set(ctx.state, 0, 30);
        addRootValidators(t, ctx, 1000n, Array.from({ length: 10 }, (_, i) => Array.from({ length: i }, (_, j) => [j, 65535] as [number, number])));
      });
      const b = nextEpochBlock(0, 1, seededAt);
      expect(b % 2).toBe(0); // even netuids run their epoch at b as well
      await t.advanceTo(b);
      const expected = [385_861_815n, 249_435_914n, 180_819_837n, 129_362_980n, 50_857_187n, 3_530_356n, 127_839n, 3_974n, 93n, 0n, 0n];
      expect(Array.from({ length: 11 }, (_, k) => t.query(s.EmissionValues, k))).toEqual(expected);
      const pending = Array.from({ length: 6 }, (_, k) => t.query(s.PendingEmission, k));
      expect(pending).toEqual([0n, 249_435_914n, 0n, 129_362_980n, 0n, 3_530_356n]);
      for (const k of [2, 4]) expect(t.query(s.LastMechansimStepBlock, k)).toBe(BigInt(b));
    } finally {
      await t.close();
    }
  });

  test('behavior: root epoch aborts (zero root stake, exp overflow) keep EmissionValues', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const seededAt = await seed(t, (ctx) => {
        addSubnet(t, ctx, 1, 360);
        s.Tempo.set(ctx.state, 0, 1);
        s.EmissionValues.set(ctx.state, 0, 7n);
        s.EmissionValues.set(ctx.state, 1, 11n);
        s.BlockEmission.set(ctx.state, 5n);
        addRootValidators(t, ctx, 0n, [[[1, 65535]], [[0, 65535]]]);
      });
      await t.advanceTo(nextEpochBlock(0, 1, seededAt));
      expect([t.query(s.EmissionValues, 0), t.query(s.EmissionValues, 1)]).toEqual([7n, 11n]);
      // `get_block_emission` ran (and wrote BlockEmission) before the zero-stake abort.
      expect(t.query(s.BlockEmission)).toBe(1_000_000_000n);

      // ρ = 200 makes exp(−ρ·(T − κ)) overflow I64F64 for the unweighted root network (T = 0.5 > κ is fine, T = 0 is not).
      const staked = await seed(t, (ctx) => {
        s.Rho.set(ctx.state, 0, 200);
        increaseStake(ctx, t.account('//Root//cold0'), t.account('//Root//hot0'), 1000n);
        s.Weights.set(ctx.state, 0, 1, []);
      });
      await t.advanceTo(nextEpochBlock(0, 1, staked));
      expect([t.query(s.EmissionValues, 0), t.query(s.EmissionValues, 1)]).toEqual([7n, 11n]);

      await seed(t, (ctx) => s.Rho.set(ctx.state, 0, 10));
      await t.advanceTo(nextEpochBlock(0, 1, t.blockNumber));
      expect(t.query(s.EmissionValues, 0) + t.query(s.EmissionValues, 1)).toBeGreaterThan(999_000_000n);
    } finally {
      await t.close();
    }
  });
});

// ---- pending emission, owner cut, registration disabled -----------------------------------------------

describe('subnet emission', () => {
  test('behavior: registration disabled — nothing accrues, the epoch block only resets counters (test_emission_with_registration_disabled_subnet)', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const hotkey = t.account('//Sub//hot');
      await seed(t, (ctx) => {
        addSubnet(t, ctx, 1, 1);
        s.NetworkRegistrationAllowed.set(ctx.state, 1, false);
        s.EmissionValues.set(ctx.state, 1, 1_000_000n);
        s.HotkeyEmissionTempo.set(ctx.state, 1n);
        addNeuron(ctx, 1, t.account('//Sub//cold'), hotkey, 5_000n);
      });
      const issuance = t.query(s.TotalIssuance);
      await t.advance(1100);
      expect(t.query(s.PendingEmission, 1)).toBe(0n);
      expect(t.query(s.TotalHotkeyStake, hotkey)).toBe(5_000n);
      expect(t.query(s.PendingdHotkeyEmission, hotkey)).toBe(0n);
      expect(t.query(s.Emission, 1)).toEqual([0n]);
      expect(t.query(s.TotalIssuance)).toBe(issuance);
      const last = Number(t.query(s.LastMechansimStepBlock, 1));
      expect(isEpochBlock(1, 1, last) && t.blockNumber - last <= 1).toBe(true);
    } finally {
      await t.close();
    }
  });

  test('behavior: the owner cut is ⌊E · 11796/65535⌋ in I96F32, paid to the owner coldkey and to TotalIssuance', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const owner = t.account('//Ferdie');
      const seededAt = await seed(t, (ctx) => {
        addSubnet(t, ctx, 1, 4, '//Ferdie');
        s.HotkeyEmissionTempo.set(ctx.state, U64_MAX - 1n);
        addNeuron(ctx, 1, t.account('//Sub//cold'), t.account('//Sub//hot'), 10n);
        s.PendingEmission.set(ctx.state, 1, 999_999_999_999n);
      });
      const e = nextEpochBlock(1, 4, seededAt);
      await t.advanceTo(e - 1);
      const balance = freeBalance(t, owner);
      const issuance = t.query(s.TotalIssuance);
      await t.advance(1);
      const cut = toIntFloor(I96F32, mul(I96F32, fromInt(I96F32, 999_999_999_999n), div(I96F32, fromInt(I96F32, 11796), fromInt(I96F32, 65535))));
      expect(cut).toBe(179_995_422_251n);
      expect(freeBalance(t, owner) - balance).toBe(cut);
      expect(t.query(s.TotalIssuance) - issuance).toBe(cut);
      // A single neuron with no permit yet is paid by stake: all of E − cut is validator emission.
      expect(t.query(s.PendingdHotkeyEmission, t.account('//Sub//hot'))).toBe(999_999_999_999n - cut);
    } finally {
      await t.close();
    }
  });
});

// ---- §8.2 accumulation with parents -----------------------------------------------------------------

describe('accumulate_hotkey_emission', () => {
  test('behavior: a parent receives its stake share of the child validator emission minus the childkey take', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const netuid = 1;
      const child = t.account('//Acc//child');
      const parent = t.account('//Acc//parent');
      const proportion = U64_MAX / 3n;
      const emission = 1_000_000_007n;
      const seededAt = await seed(t, (ctx) => {
        addSubnet(t, ctx, netuid, 2);
        s.SubnetOwnerCut.set(ctx.state, 0);
        s.HotkeyEmissionTempo.set(ctx.state, U64_MAX - 1n);
        addNeuron(ctx, netuid, t.account('//Acc//childcold'), child, 1_000_000n);
        createAccountIfNonExistent(ctx, t.account('//Acc//parentcold'), parent);
        increaseStake(ctx, t.account('//Acc//parentcold'), parent, 3_000_000n);
        s.ChildKeys.set(ctx.state, parent, netuid, [[proportion, child]]);
        s.ParentKeys.set(ctx.state, child, netuid, [[proportion, parent]]);
        s.ChildkeyTake.set(ctx.state, child, netuid, 5000);
        s.PendingEmission.set(ctx.state, netuid, emission);
      });
      await t.advanceTo(nextEpochBlock(netuid, 2, seededAt));

      const T = I96F32;
      const share = div(T, fromInt(T, proportion), fromInt(T, U64_MAX));
      const fromParent = toIntFloor(T, mul(T, fromInt(T, 3_000_000n), share));
      const stake = 1_000_000n + fromParent; // the child lends nothing
      const parentEmission = mul(T, div(T, mul(T, fromInt(T, 3_000_000n), share), fromInt(T, stake)), fromInt(T, emission));
      const take = toIntFloor(T, mul(T, div(T, fromInt(T, 5000), fromInt(T, 65535)), parentEmission));
      const give = toIntFloor(T, parentEmission) - take;
      expect(give).toBeGreaterThan(0n);
      expect(take).toBeGreaterThan(0n);
      // One uid, no permit yet: the whole emission is the child's validator emission.
      expect(t.query(s.PendingdHotkeyEmission, parent)).toBe(give);
      expect(t.query(s.PendingdHotkeyEmission, child)).toBe(emission - give);
      expect(t.query(s.PendingdHotkeyEmissionUntouchable, child)).toBe(take);
    } finally {
      await t.close();
    }
  });
});

describe('pending child keys', () => {
  test('behavior: matured schedules apply at the epoch block, after that epoch paid out, so they count from the next one', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const netuid = 1;
      const child = t.account('//Pend//child');
      const parent = t.account('//Pend//parent');
      const seededAt = await seed(t, (ctx) => {
        addSubnet(t, ctx, netuid, 2);
        s.SubnetOwnerCut.set(ctx.state, 0);
        s.HotkeyEmissionTempo.set(ctx.state, U64_MAX - 1n);
        s.EmissionValues.set(ctx.state, netuid, 1_000_000n);
        addNeuron(ctx, netuid, t.account('//Pend//childcold'), child, 1_000_000n);
        createAccountIfNonExistent(ctx, t.account('//Pend//parentcold'), parent);
        increaseStake(ctx, t.account('//Pend//parentcold'), parent, 1_000_000n);
        // Matured (cooldown before the epoch block); and one for another subnet that must stay pending.
        s.PendingChildKeys.set(ctx.state, netuid, parent, [[[U64_MAX, child]], BigInt(ctx.block.number)]);
        s.PendingChildKeys.set(ctx.state, 7, parent, [[[U64_MAX, child]], 0n]);
      });
      const e = nextEpochBlock(netuid, 2, seededAt);
      await t.advanceTo(e);
      expect(t.query(s.ChildKeys, parent, netuid)).toEqual([[U64_MAX, child]]);
      expect(t.query(s.ParentKeys, child, netuid)).toEqual([[U64_MAX, parent]]);
      expect(t.query(s.PendingChildKeys, netuid, parent)).toEqual([[], 0n]);
      expect(t.query(s.PendingChildKeys, 7, parent)).toEqual([[[U64_MAX, child]], 0n]);
      // The epoch at e ran before the children were set: nothing reached the parent yet.
      expect(t.query(s.PendingdHotkeyEmission, parent)).toBe(0n);
      expect(t.query(s.PendingdHotkeyEmission, child)).toBeGreaterThan(0n);

      await t.advanceTo(nextEpochBlock(netuid, 2, e));
      expect(t.query(s.PendingdHotkeyEmission, parent)).toBeGreaterThan(0n);
    } finally {
      await t.close();
    }
  });
});

// ---- TV10: nominator drain ----------------------------------------------------------------------------

describe('TV10 nominator drain', () => {
  const netuid = 1;

  /** A delegate hotkey on a tempo-1 subnet earning `EmissionValues = 10`, drained every other block. */
  async function delegateSetup(t: TestChain, deltas: Record<string, bigint> = {}) {
    const s = st();
    const hotkey = t.account('//Drain//hot');
    const owner = t.account('//Drain//owner');
    const nominators = [t.account('//Drain//nom1'), t.account('//Drain//nom2')];
    const seededAt = await seed(t, (ctx) => {
      addSubnet(t, ctx, netuid, 1);
      s.SubnetOwnerCut.set(ctx.state, 0);
      s.HotkeyEmissionTempo.set(ctx.state, 1n);
      s.EmissionValues.set(ctx.state, netuid, 10n);
      addNeuron(ctx, netuid, owner, hotkey);
      s.Delegates.set(ctx.state, hotkey, 6553);
      for (const nominator of nominators) increaseStake(ctx, nominator, hotkey, 100n);
      for (const [coldkey, delta] of Object.entries(deltas)) s.StakeDeltaSinceLastEmissionDrain.set(ctx.state, hotkey, coldkey as AccountId, delta);
      // Exactly two blocks' worth (20 rao) reaches the first epoch.
      const e = nextEpochBlock(netuid, 1, ctx.block.number);
      s.PendingEmission.set(ctx.state, netuid, 20n - 10n * BigInt(e - ctx.block.number));
    });
    return { hotkey, owner, nominators, seededAt };
  }

  /** Advances until the hotkey's first drain; returns its block. */
  async function advanceToDrain(t: TestChain, hotkey: AccountId): Promise<number> {
    for (let i = 0; i < 6 && t.query(st().LastHotkeyEmissionDrain, hotkey) === 0n; i++) await t.advance(1);
    const drained = Number(t.query(st().LastHotkeyEmissionDrain, hotkey));
    expect(drained).toBeGreaterThan(0);
    expect(BigInt(drained) % 2n).toBe(hotkeyDrainHash(hotkey) % 2n);
    return drained;
  }

  test('behavior: test_coinbase_nominator_drainage_no_deltas — 20 rao, take 6553: nominators +9 each, owner 2', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const { hotkey, owner, nominators } = await delegateSetup(t);
      const issuance = t.query(s.TotalIssuance);
      await advanceToDrain(t, hotkey);
      expect(nominators.map((c) => t.query(s.Stake, hotkey, c))).toEqual([109n, 109n]);
      expect(t.query(s.Stake, hotkey, owner)).toBe(2n);
      expect(t.query(s.TotalHotkeyStake, hotkey)).toBe(220n);
      expect(t.query(s.PendingdHotkeyEmission, hotkey)).toBe(0n);
      expect(t.query(s.TotalIssuance) - issuance).toBe(20n);
    } finally {
      await t.close();
    }
  });

  test('behavior: stake added since the last drain earns nothing; the deltas are cleared', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const nom2 = t.account('//Drain//nom2');
      const { hotkey, owner, nominators } = await delegateSetup(t, { [nom2]: 100n });
      await advanceToDrain(t, hotkey);
      // take 1, y = 19: nom1 holds all viable stake and gets 19; nom2's new stake earns nothing.
      expect(nominators.map((c) => t.query(s.Stake, hotkey, c))).toEqual([119n, 100n]);
      expect(t.query(s.Stake, hotkey, owner)).toBe(1n);
      expect(s.StakeDeltaSinceLastEmissionDrain.entries(t.chain.stateAt(), hotkey)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

// ---- conservation ---------------------------------------------------------------------------------------

describe('issuance', () => {
  test('behavior: over a run of blocks TotalIssuance grows by exactly the owner cuts plus the drained emission', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const owners = ['//Bob', '//Charlie', '//Dave'].map((u) => t.account(u));
      const subnets = [
        { netuid: 1, tempo: 2 },
        { netuid: 2, tempo: 3 },
        { netuid: 3, tempo: 4 },
      ];
      await seed(t, (ctx) => {
        s.Tempo.set(ctx.state, 0, 5);
        s.HotkeyEmissionTempo.set(ctx.state, 3n);
        subnets.forEach(({ netuid, tempo }, i) => {
          addSubnet(t, ctx, netuid, tempo, ['//Bob', '//Charlie', '//Dave'][i]);
          for (let u = 0; u < 6; u++) {
            const hotkey = t.account(`//Cons${netuid}//hot${u}`);
            addNeuron(ctx, netuid, t.account(`//Cons${netuid}//cold${u}`), hotkey, BigInt((u + 1) * 1000 * (u < 3 ? 1000 : 1)));
            s.Delegates.set(ctx.state, hotkey, 1000 * u);
            if (u < 3) {
              s.Weights.set(ctx.state, netuid, u, [[3, 1 + u * 1000], [4, 65535], [5, 20000 + netuid]]);
              increaseStake(ctx, t.account(`//Cons${netuid}//nom${u}`), hotkey, 777_777n * BigInt(u + 1));
              s.StakeDeltaSinceLastEmissionDrain.set(ctx.state, hotkey, t.account(`//Cons${netuid}//nom${u}`), 333n);
            }
          }
        });
        // A parent on subnet 2 lends a third of its stake to uid 0 there.
        const parent = t.account('//Cons//parent');
        createAccountIfNonExistent(ctx, t.account('//Cons//parentcold'), parent);
        increaseStake(ctx, t.account('//Cons//parentcold'), parent, 9_000_000n);
        s.ChildKeys.set(ctx.state, parent, 2, [[U64_MAX / 3n, t.account('//Cons2//hot0')]]);
        s.ParentKeys.set(ctx.state, t.account('//Cons2//hot0'), 2, [[U64_MAX / 3n, parent]]);
        s.ChildkeyTake.set(ctx.state, t.account('//Cons2//hot0'), 2, 11796);
        addRootValidators(t, ctx, 1_000_000n, [
          [[1, 65535], [2, 30000]],
          [[2, 65535], [3, 40000], [0, 100]],
        ]);
      });

      const snapshot = () => ({
        issuance: t.query(s.TotalIssuance),
        stake: t.query(s.TotalStake),
        owners: owners.reduce((sum, o) => sum + freeBalance(t, o), 0n),
      });
      const start = snapshot();
      let previous = start;
      for (let i = 0; i < 60; i++) {
        await t.advance(1);
        const now = snapshot();
        expect(now.issuance - previous.issuance).toBe(now.owners - previous.owners + (now.stake - previous.stake));
        previous = now;
      }
      expect(previous.owners - start.owners).toBeGreaterThan(0n);
      expect(previous.stake - start.stake).toBeGreaterThan(0n);
      expect(t.query(s.PendingdHotkeyEmission, t.account('//Cons//parent')) + t.query(s.TotalHotkeyStake, t.account('//Cons//parent'))).toBeGreaterThan(9_000_000n);
    } finally {
      await t.close();
    }
  });
});
