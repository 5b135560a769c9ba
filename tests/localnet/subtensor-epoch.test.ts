/**
 * The subnet epoch inside the block step (spec §2 step 3, §3): Yuma consensus runs on stored state at
 * the subnet's epoch block and writes back exactly the §3.9 storage. Upstream test vectors TV3–TV6
 * (spec §12) are replayed through real blocks: neurons and weights are seeded with root
 * `System.set_storage`, emission accrues from `EmissionValues` so every epoch distributes 10⁹ rao,
 * and bonds/permits carry over from the chain's own previous epochs.
 */
import { I96F32, div, fromInt, mul, toIntFloor } from '../../consensus/fixed/bigint';
import type { SparseU16Row, YumaEpochInput, YumaEpochOutput } from '../../consensus/types';
import { yumaEpoch } from '../../consensus/yuma';
import type { RuntimeContext } from '../../localnet/runtime/context';
import { runtimeItems } from '../../localnet/runtime/items';
import { depositCreating } from '../../localnet/runtime/pallets/balances';
import { appendNeuron, createAccountIfNonExistent, increaseStake, initNewNetwork, neuronToPrune, replaceNeuron, setVecEntry } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { AccountId } from '../../localnet/runtime/primitives';
import { TestChain } from './helpers/test-chain';

const E = 1_000_000_000n;
/** Drains never come due (b mod (T+1) = h64 mod (T+1) needs b ≈ h64), so stakes stay as seeded. */
const NO_DRAIN_TEMPO = (1n << 64n) - 2n;

/** State seeding goes through root `System.set_storage` in one real block (TestChain.seed). */
const seed = (t: TestChain, write: (ctx: RuntimeContext) => void): Promise<number> => t.seed(write);

const isEpochBlock = (netuid: number, tempo: number, b: number): boolean => (b + netuid + 1) % (tempo + 1) === tempo;

/** Advances to the next epoch block of `netuid` (asserting none is skipped) and returns it. */
async function advanceToEpoch(t: TestChain, netuid: number): Promise<number> {
  const tempo = t.query(st().Tempo, netuid);
  let b = t.blockNumber + 1;
  while (!isEpochBlock(netuid, tempo, b)) b++;
  await t.advanceTo(b);
  expect(t.query(st().LastMechansimStepBlock, netuid)).toBe(BigInt(b));
  return b;
}

interface SubnetSetup {
  readonly netuid: number;
  readonly tempo: number;
  /** Stake per uid (rao); one hotkey per uid, owned by its own coldkey. */
  readonly stakes: readonly bigint[];
  readonly maxValidators: number;
  /** `EmissionValues[netuid]`: with tempo + 1 accruals per epoch. */
  readonly emissionPerBlock: bigint;
  readonly ownerCut?: number;
  /** Give every hotkey 1000 TAO (to pay fees for real calls) and drop the weights rate limit. */
  readonly signingHotkeys?: boolean;
}

const hotkeyUri = (netuid: number, uid: number): string => `//Epoch${netuid}//hot${uid}`;
const coldkeyUri = (netuid: number, uid: number): string => `//Epoch${netuid}//cold${uid}`;

/**
 * Creates subnet `netuid` (as `register_network` initializes it, owned by //Bob) with one registered
 * neuron per stake, all at the seed block; `PendingEmission` is primed so the first epoch also
 * distributes `(tempo + 1) · emissionPerBlock`.
 */
async function createSubnet(t: TestChain, setup: SubnetSetup): Promise<{ hotkeys: AccountId[]; registeredAt: number }> {
  const s = st();
  const hotkeys = setup.stakes.map((_, uid) => t.account(hotkeyUri(setup.netuid, uid)));
  const registeredAt = await seed(t, (ctx) => {
    const { netuid, tempo } = setup;
    initNewNetwork(ctx.state, netuid, tempo);
    s.SubnetOwner.set(ctx.state, netuid, t.account('//Bob'));
    s.NetworkRegisteredAt.set(ctx.state, netuid, BigInt(ctx.block.number));
    s.SubnetOwnerCut.set(ctx.state, setup.ownerCut ?? 0);
    s.HotkeyEmissionTempo.set(ctx.state, NO_DRAIN_TEMPO);
    s.MaxAllowedUids.set(ctx.state, netuid, Math.max(setup.stakes.length, 1));
    s.MaxAllowedValidators.set(ctx.state, netuid, setup.maxValidators);
    s.EmissionValues.set(ctx.state, netuid, setup.emissionPerBlock);
    let next = ctx.block.number + 1;
    while (!isEpochBlock(netuid, tempo, next)) next++;
    const accrued = setup.emissionPerBlock * BigInt(next - ctx.block.number);
    s.PendingEmission.set(ctx.state, netuid, setup.emissionPerBlock * BigInt(tempo + 1) - accrued);
    setup.stakes.forEach((stake, uid) => {
      const coldkey = t.account(coldkeyUri(netuid, uid));
      createAccountIfNonExistent(ctx, coldkey, hotkeys[uid]!);
      appendNeuron(ctx, netuid, hotkeys[uid]!);
      increaseStake(ctx, coldkey, hotkeys[uid]!, stake);
      if (setup.signingHotkeys) depositCreating(ctx, hotkeys[uid]!, 1_000_000_000_000n);
    });
    if (setup.signingHotkeys) s.WeightsSetRateLimit.set(ctx.state, netuid, 0n);
  });
  return { hotkeys, registeredAt };
}

/** `set_weights` as storage: the row (already max-upscaled) and `LastUpdate = block`. */
function putWeights(ctx: RuntimeContext, netuid: number, uid: number, row: [number, number][]): void {
  st().Weights.set(ctx.state, netuid, uid, row);
  setVecEntry(ctx, st().LastUpdate, netuid, uid, BigInt(ctx.block.number), 0n);
}

/** Column `j` of the stored bonds for rows `rows`. */
function bondColumn(t: TestChain, netuid: number, j: number, rows: readonly number[]): (number | undefined)[] {
  return rows.map((i) => t.query(st().Bonds, netuid, i).find(([dest]) => dest === j)?.[1]);
}

// ---- TV3 / TV6 -------------------------------------------------------------------------------------

/** TV3 (test_bonds) and, with liquid alpha, TV6 (test_bonds_with_liquid_alpha). */
describe('TV3 test_bonds through blocks', () => {
  let t: TestChain;
  const netuid = 1;
  beforeAll(async () => {
    t = await TestChain.start();
  });
  afterAll(async () => {
    await t.close();
  });

  test('behavior: bonds, consensus loss and emissions follow the upstream assertions epoch by epoch', async () => {
    const stakes = [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n];
    await createSubnet(t, { netuid, tempo: 3, stakes, maxValidators: 8, emissionPerBlock: E / 4n });
    await advanceToEpoch(t, netuid); // grants permits
    expect(t.query(st().ValidatorPermit, netuid)).toEqual(new Array(8).fill(true));

    await seed(t, (ctx) => {
      for (let uid = 0; uid < 4; uid++) putWeights(ctx, netuid, uid, [[4, 16383], [5, 32767], [6, 49149], [7, 65535]]);
    });
    await advanceToEpoch(t, netuid);
    const col = (j: number) => bondColumn(t, netuid, j, [0, 1, 2, 3]);
    expect(col(4)).toEqual([16383, 32767, 49151, 65535]);
    expect(t.query(st().Emission, netuid)).toEqual([49999998n, 99999999n, 150000000n, 200000001n, 49998779n, 100000610n, 149996337n, 200004272n]);

    await seed(t, (ctx) => putWeights(ctx, netuid, 0, [[0, 65535]]));
    await advanceToEpoch(t, netuid);
    expect(col(4)).toEqual([14582, 32767, 49151, 65535]);
    expect(t.query(st().Emission, netuid)).toEqual([44998351n, 101110561n, 151667215n, 202223870n, 49998779n, 100000610n, 149996337n, 200004272n]);

    await seed(t, (ctx) => putWeights(ctx, netuid, 1, [[1, 65535]]));
    await advanceToEpoch(t, netuid);
    expect(col(4)).toEqual([12603, 28321, 49151, 65535]);

    // uid2 leaves: only 40% of the stake still weights the miners, so consensus is 0 everywhere.
    await seed(t, (ctx) => putWeights(ctx, netuid, 2, [[2, 65535]]));
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Consensus, netuid)).toEqual(new Array(8).fill(0));
    expect(t.query(st().Emission, netuid)).toEqual([99999999n, 199999999n, 299999999n, 399999999n, 0n, 0n, 0n, 0n]);
    expect(col(7)).toEqual([12602, 28320, 49150, 65535]);

    await seed(t, (ctx) => putWeights(ctx, netuid, 2, [[7, 65535]]));
    await advanceToEpoch(t, netuid);
    expect(col(7)).toEqual([10951, 24609, 49150, 65535]);
    expect(t.query(st().Emission, netuid)).toEqual([36443733n, 81898628n, 163565493n, 218092144n, 0n, 0n, 0n, 500000000n]);
    await advanceToEpoch(t, netuid);
    expect(col(7)).toEqual([9559, 21482, 49150, 65535]);
    await advanceToEpoch(t, netuid);
    expect(col(7)).toEqual([8376, 18824, 49150, 65535]);
  });

  test('behavior: TV6 — with liquid alpha the bonds of a departing validator decay per column alpha', async () => {
    const ln = 2;
    await createSubnet(t, { netuid: ln, tempo: 3, stakes: [1n, 2n, 3n, 4n, 0n, 0n, 0n, 0n], maxValidators: 64, emissionPerBlock: E / 4n });
    await advanceToEpoch(t, ln);
    await seed(t, (ctx) => {
      st().LiquidAlphaOn.set(ctx.state, ln, true);
      for (let uid = 0; uid < 4; uid++) putWeights(ctx, ln, uid, [[4, 16383], [5, 32767], [6, 49149], [7, 65535]]);
    });
    await advanceToEpoch(t, ln);
    const col4 = () => bondColumn(t, ln, 4, [0, 1, 2, 3]);
    expect(col4()).toEqual([16383, 32767, 49151, 65535]);
    // uid0 switches to self-weight keeping its LastUpdate, as the upstream test does.
    await seed(t, (ctx) => st().Weights.set(ctx.state, ln, 0, [[0, 65535]]));
    await advanceToEpoch(t, ln);
    expect(col4()).toEqual([2862, 32767, 49151, 65535]);
    await seed(t, (ctx) => putWeights(ctx, ln, 1, [[1, 65535]]));
    await advanceToEpoch(t, ln);
    expect(col4()).toEqual([435, 4985, 49151, 65535]);
  });
});

// ---- TV4 --------------------------------------------------------------------------------------------

describe('TV4 test_active_stake through blocks', () => {
  let t: TestChain;
  const netuid = 1;
  beforeAll(async () => {
    t = await TestChain.start();
  });
  afterAll(async () => {
    await t.close();
  });

  test('behavior: a validator inactive past ActivityCutoff loses dividends to the active one', async () => {
    await createSubnet(t, { netuid, tempo: 3, stakes: [1n, 1n, 1n, 1n], maxValidators: 4, emissionPerBlock: E / 4n });
    await advanceToEpoch(t, netuid);
    await seed(t, (ctx) => {
      for (const uid of [0, 1]) putWeights(ctx, netuid, uid, [[2, 65535], [3, 65535]]);
    });
    const weightsAt = t.blockNumber;
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Dividends, netuid).slice(0, 2)).toEqual([32767, 32767]);
    expect(t.query(st().Emission, netuid)).toEqual([250_000_000n, 250_000_000n, 250_000_000n, 250_000_000n]);
    for (const uid of [0, 1]) expect(t.query(st().Bonds, netuid, uid)).toEqual([[2, 65535], [3, 65535]]);

    // No epoch while ActivityCutoff (5000 blocks) passes, as in the upstream test.
    await seed(t, (ctx) => st().Tempo.set(ctx.state, netuid, 0));
    const cutoff = t.query(st().ActivityCutoff, netuid);
    await t.advanceTo(weightsAt + cutoff + 4);
    // uid0 re-sets the same weights, the tempo comes back, and pending emission is topped to 10⁹.
    await seed(t, (ctx) => {
      st().Tempo.set(ctx.state, netuid, 3);
      putWeights(ctx, netuid, 0, [[2, 65535], [3, 65535]]);
      let next = ctx.block.number + 1;
      while (!isEpochBlock(netuid, 3, next)) next++;
      st().PendingEmission.set(ctx.state, netuid, E - (E / 4n) * BigInt(next - ctx.block.number));
    });
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Active, netuid)).toEqual([true, false, false, false]);
    expect(t.query(st().Dividends, netuid).slice(0, 2)).toEqual([36044, 29490]);
    expect(t.query(st().Emission, netuid).slice(0, 2)).toEqual([274999999n, 224999999n]);
    expect(t.query(st().Bonds, netuid, 0)).toEqual([[2, 65535], [3, 65535]]);
    expect(t.query(st().Bonds, netuid, 1)).toEqual([[2, 53619], [3, 53619]]);

    await seed(t, (ctx) => putWeights(ctx, netuid, 1, [[2, 65535], [3, 65535]]));
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Dividends, netuid).slice(0, 2)).toEqual([35716, 29818]);
    expect(t.query(st().Emission, netuid).slice(0, 2)).toEqual([272501132n, 227498866n]);
    expect(t.query(st().Bonds, netuid, 1)).toEqual([[2, 54712], [3, 54712]]);
  });
});

// ---- TV5 --------------------------------------------------------------------------------------------

describe('TV5 test_outdated_weights through blocks', () => {
  let t: TestChain;
  const netuid = 1;
  beforeAll(async () => {
    t = await TestChain.start();
  });
  afterAll(async () => {
    await t.close();
  });

  test('behavior: weights and bonds on a uid re-registered after the validator last set weights are masked', async () => {
    await createSubnet(t, { netuid, tempo: 3, stakes: [1n, 1n, 1n, 1n], maxValidators: 4, emissionPerBlock: E / 4n });
    await advanceToEpoch(t, netuid);
    await seed(t, (ctx) => {
      for (const uid of [0, 1]) putWeights(ctx, netuid, uid, [[2, 65535], [3, 32768]]);
      for (const uid of [2, 3]) putWeights(ctx, netuid, uid, [[uid, 65535]]);
    });
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Emission, netuid)).toEqual([250000000n, 250000000n, 333331637n, 166668361n]);

    // A new hotkey takes the uid with the lowest pruning score (all are immune): uid 3.
    const newcomer = t.account('//Epoch1//newcomer');
    await seed(t, (ctx) => {
      createAccountIfNonExistent(ctx, t.account('//Epoch1//newcold'), newcomer);
      const uid = neuronToPrune(ctx, netuid);
      expect(uid).toBe(3);
      replaceNeuron(ctx, netuid, uid, newcomer);
    });
    expect(t.query(st().Keys, netuid, 3)).toBe(newcomer);
    await seed(t, (ctx) => putWeights(ctx, netuid, 0, [[2, 65535], [3, 32768]]));
    await advanceToEpoch(t, netuid);
    expect(t.query(st().Dividends, netuid)[0]).toBe(32767);
    expect(t.query(st().Emission, netuid)[0]).toBe(250_000_000n);
    expect(t.query(st().Bonds, netuid, 0)).toEqual([[2, 65535], [3, 65535]]);
  });
});

// ---- stored outputs = yumaEpoch on the stored inputs -------------------------------------------------

/** What the epoch at the next block reads, rebuilt from the best state (no child keys in this scenario). */
function storedEpochInput(t: TestChain, netuid: number, block: number, emission: bigint): YumaEpochInput {
  const s = st();
  const n = t.query(s.SubnetworkN, netuid);
  const uids = Array.from({ length: n }, (_, uid) => uid);
  const rows = (item: typeof s.Weights): SparseU16Row[] => uids.map((uid) => t.query(item, netuid, uid));
  const [alphaLow, alphaHigh] = t.query(s.AlphaValues, netuid);
  return {
    n,
    block,
    stake: uids.map((uid) => t.query(s.TotalHotkeyStake, t.query(s.Keys, netuid, uid))),
    weights: rows(s.Weights),
    bonds: rows(s.Bonds),
    lastUpdate: t.query(s.LastUpdate, netuid).map(Number),
    blockAtRegistration: uids.map((uid) => Number(t.query(s.BlockAtRegistration, netuid, uid))),
    validatorPermit: t.query(s.ValidatorPermit, netuid),
    emission,
    hyperparameters: {
      kappa: t.query(s.Kappa, netuid),
      bondsMovingAverage: t.query(s.BondsMovingAverage, netuid),
      activityCutoff: t.query(s.ActivityCutoff, netuid),
      maxAllowedValidators: t.query(s.MaxAllowedValidators, netuid),
      liquidAlphaEnabled: t.query(s.LiquidAlphaOn, netuid),
      alphaLow,
      alphaHigh,
    },
  };
}

/** `⌊E · (cut/65535)⌋` in I96F32: the owner's share of a drained pending emission. */
function ownerCut(emission: bigint, cut: number): bigint {
  const proportion = div(I96F32, fromInt(I96F32, cut), fromInt(I96F32, 65535));
  return toIntFloor(I96F32, mul(I96F32, fromInt(I96F32, emission), proportion));
}

function expectStoredOutputs(t: TestChain, netuid: number, out: YumaEpochOutput, before: YumaEpochInput): void {
  const s = st();
  expect(t.query(s.Incentive, netuid)).toEqual(out.incentive);
  expect(t.query(s.Dividends, netuid)).toEqual(out.dividends);
  expect(t.query(s.Emission, netuid)).toEqual(out.emission);
  expect(t.query(s.Rank, netuid)).toEqual(out.rank);
  expect(t.query(s.Trust, netuid)).toEqual(out.trust);
  expect(t.query(s.Consensus, netuid)).toEqual(out.consensus);
  expect(t.query(s.ValidatorTrust, netuid)).toEqual(out.validatorTrust);
  expect(t.query(s.PruningScores, netuid)).toEqual(out.pruningScores);
  expect(t.query(s.StakeWeight, netuid)).toEqual(out.stakeWeight);
  expect(t.query(s.Active, netuid)).toEqual(out.active);
  expect(t.query(s.ValidatorPermit, netuid)).toEqual(out.validatorPermit);
  for (let uid = 0; uid < before.n; uid++) {
    const expected = out.validatorPermit[uid] ? out.bonds.row(uid) : before.validatorPermit[uid] ? [] : before.bonds[uid];
    expect([uid, t.query(s.Bonds, netuid, uid)]).toEqual([uid, expected]);
  }
}

describe('stored epoch outputs', () => {
  let t: TestChain;
  const netuid = 3;
  const tempo = 4;
  const cut = 11796;
  const perBlock = 123_456_789n;
  beforeAll(async () => {
    t = await TestChain.start();
  });
  afterAll(async () => {
    await t.close();
  });

  test('behavior: across epochs, storage equals yumaEpoch on the inputs read the block before, and payouts accumulate on hotkeys', async () => {
    const s = st();
    const stakes = [900n, 40_000n, 7n, 123_456n, 5_000n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n].map((x) => x * 1_000_000n);
    const { hotkeys } = await createSubnet(t, { netuid, tempo, stakes, maxValidators: 4, emissionPerBlock: perBlock, ownerCut: cut, signingHotkeys: true });
    const owner = t.account('//Bob');
    const rnd = (i: number, j: number, round: number): number => (i * 7919 + j * 104729 + round * 31337) % 65536;

    /** Validators 0, 1, 3, 4 (the permit holders after the first epoch) call `set_weights`, all in one block. */
    const setWeightsByCalls = async (r: number): Promise<void> => {
      const rows = new Map([0, 1, 3, 4].map((v) => [v, Array.from({ length: 11 }, (_, k) => [5 + k, k === 10 ? 65535 : rnd(v, k, r)] as [number, number])]));
      for (const [v, row] of rows) {
        const args = { netuid, dests: row.map(([j]) => j), weights: row.map(([, w]) => w), version_key: 0n };
        await t.chain.submitExtrinsic(t.extrinsic(hotkeyUri(netuid, v), 'SubtensorModule', 'set_weights', args));
      }
      const block = await t.chain.newBlock();
      // Rows whose largest weight is 65535 are stored as sent.
      for (const [v, row] of rows) {
        expect(t.query(s.Weights, netuid, v)).toEqual(row);
        expect(t.query(s.LastUpdate, netuid)[v]).toBe(BigInt(block.number));
      }
    };

    // Each round changes something before the epoch: weights of some validators, stake, permits, kappa, liquid alpha.
    const rounds: Array<(ctx: RuntimeContext, round: number) => void> = [
      () => undefined,
      () => undefined, // weights through real set_weights calls, below
      (ctx, r) => {
        putWeights(ctx, netuid, 1, [[6, rnd(1, 6, r)], [9, 65535], [12, rnd(1, 12, r)]]);
        increaseStake(ctx, t.account(coldkeyUri(netuid, 2)), hotkeys[2]!, 500_000_000_000n);
      },
      (ctx) => {
        s.Kappa.set(ctx.state, netuid, 40000);
        putWeights(ctx, netuid, 2, [[5, 100], [6, 65535], [7, 30000]]);
      },
      (ctx, r) => {
        s.LiquidAlphaOn.set(ctx.state, netuid, true);
        putWeights(ctx, netuid, 0, Array.from({ length: 8 }, (_, k) => [8 + k, rnd(0, k, r)] as [number, number]));
      },
      (ctx) => {
        s.MaxAllowedValidators.set(ctx.state, netuid, 2);
        s.BondsMovingAverage.set(ctx.state, netuid, 500_000n);
      },
      () => undefined,
    ];

    let dividendsSeen = false;
    for (const [round, change] of rounds.entries()) {
      if (round === 1) await setWeightsByCalls(round);
      else await seed(t, (ctx) => change(ctx, round));
      const tempoNow = t.query(s.Tempo, netuid);
      let e = t.blockNumber + 1;
      while (!isEpochBlock(netuid, tempoNow, e)) e++;
      await t.advanceTo(e - 1);

      const pending = t.query(s.PendingEmission, netuid) + t.query(s.EmissionValues, netuid);
      const emission = pending - ownerCut(pending, cut);
      const before = storedEpochInput(t, netuid, e, emission);
      const expected = yumaEpoch(before);
      const pendingBefore = hotkeys.map((h) => t.query(s.PendingdHotkeyEmission, h));
      const untouchableBefore = hotkeys.map((h) => t.query(s.PendingdHotkeyEmissionUntouchable, h));
      const ownerBefore = t.query(runtimeItems().System.Account, owner).data.free;
      const issuanceBefore = t.query(s.TotalIssuance);

      await t.advance(1);
      expect(t.query(s.LastMechansimStepBlock, netuid)).toBe(BigInt(e));
      expect(t.query(s.PendingEmission, netuid)).toBe(0n);
      expect(t.query(s.BlocksSinceLastStep, netuid)).toBe(0n);
      expectStoredOutputs(t, netuid, expected, before);
      hotkeys.forEach((h, uid) => {
        expect(t.query(s.PendingdHotkeyEmission, h) - pendingBefore[uid]!).toBe(expected.serverEmission[uid]! + expected.validatorEmission[uid]!);
        expect(t.query(s.PendingdHotkeyEmissionUntouchable, h) - untouchableBefore[uid]!).toBe(expected.serverEmission[uid]!);
      });
      expect(t.query(runtimeItems().System.Account, owner).data.free - ownerBefore).toBe(pending - emission);
      expect(t.query(s.TotalIssuance) - issuanceBefore).toBe(pending - emission);
      dividendsSeen ||= expected.dividends.some((d) => d > 0) && expected.incentive.some((i) => i > 0);
    }
    expect(dividendsSeen).toBe(true);
    expect(t.query(s.ValidatorPermit, netuid).filter(Boolean)).toHaveLength(2);
  });

  test('behavior: BlocksSinceLastStep counts the blocks between epochs', async () => {
    const s = st();
    const last = Number(t.query(s.LastMechansimStepBlock, netuid));
    await t.advanceTo(last + 2);
    expect(t.query(s.BlocksSinceLastStep, netuid)).toBe(2n);
    await advanceToEpoch(t, netuid);
    expect(t.query(s.BlocksSinceLastStep, netuid)).toBe(0n);
  });
});
