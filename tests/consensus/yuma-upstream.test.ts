/**
 * The upstream subtensor epoch tests (spec §12: TV1–TV6), replayed epoch by epoch: each epoch's stored
 * bonds and permits feed the next, as `epoch(netuid, 1_000_000_000)` does in pallets/subtensor tests.
 * Both the exact engine and the naive BigInt reference must pass every one.
 */
import { yumaEpochBigInt } from '../../consensus/reference/yuma-bigint';
import { yumaEpoch } from '../../consensus/yuma';
import { DEFAULT_YUMA_HYPERPARAMETERS, type SparseU16Row, type YumaEpochInput, type YumaEpochOutput } from '../../consensus/types';

type Engine = (input: YumaEpochInput) => YumaEpochOutput;

const E = 1_000_000_000n;

/** Subnet storage as the mock runtime keeps it between epochs. */
class MockSubnet {
  block: number;
  stake: bigint[];
  weights: SparseU16Row[];
  bonds: SparseU16Row[];
  lastUpdate: number[];
  blockAtRegistration: number[];
  permits: boolean[];
  liquidAlpha = false;

  constructor(
    private readonly engine: Engine,
    readonly n: number,
    block: number,
    stake: number[],
    readonly maxValidators = 64,
  ) {
    this.block = block;
    this.stake = stake.map(BigInt);
    this.weights = Array.from({ length: n }, () => []);
    this.bonds = Array.from({ length: n }, () => []);
    this.lastUpdate = new Array<number>(n).fill(block);
    this.blockAtRegistration = new Array<number>(n).fill(block);
    this.permits = new Array<boolean>(n).fill(false);
  }

  setWeights(uid: number, row: SparseU16Row, block = this.block): void {
    this.weights[uid] = row;
    this.lastUpdate[uid] = block;
  }

  epoch(): YumaEpochOutput {
    const out = this.engine({
      n: this.n,
      block: this.block,
      stake: this.stake,
      weights: this.weights,
      bonds: this.bonds,
      lastUpdate: this.lastUpdate,
      blockAtRegistration: this.blockAtRegistration,
      validatorPermit: this.permits,
      emission: E,
      hyperparameters: { ...DEFAULT_YUMA_HYPERPARAMETERS, maxAllowedValidators: this.maxValidators, liquidAlphaEnabled: this.liquidAlpha },
    });
    this.bonds = out.bonds.toRows();
    this.permits = out.validatorPermit;
    return out;
  }

  bondColumn(j: number, uids: readonly number[] = [0, 1, 2, 3]): (number | undefined)[] {
    return uids.map((i) => this.bonds[i]!.find(([dest]) => dest === j)?.[1]);
  }
}

const self = (uid: number): SparseU16Row => [[uid, 65535]];
const raos = (xs: number[]): bigint[] => xs.map(BigInt);

describe.each([
  ['yumaEpoch', yumaEpoch],
  ['yumaEpochBigInt (reference)', yumaEpochBigInt],
] as const)('%s', (_name, engine: Engine) => {
  describe('TV1 test_1_graph / TV2 test_10_graph', () => {
    test('behavior: a lone self-weighting uid without a permit is paid by stake', () => {
      const s = new MockSubnet(engine, 1, 1, [1]);
      s.setWeights(0, self(0), 0);
      const out = s.epoch();
      expect(out.emission).toEqual([E]);
      for (const v of [out.rank, out.trust, out.consensus, out.incentive, out.dividends]) expect(v).toEqual([0]);
    });

    test('behavior: ten equal stakes split by ⌊0.1⌋₃₂', () => {
      const s = new MockSubnet(engine, 10, 1, new Array(10).fill(1));
      for (let i = 0; i < 10; i++) s.setWeights(i, self(i), 0);
      const out = s.epoch();
      expect(out.emission).toEqual(new Array(10).fill(99_999_999n));
      for (const v of [out.rank, out.trust, out.consensus, out.incentive, out.dividends]) expect(v).toEqual(new Array(10).fill(0));
    });
  });

  describe('TV3 test_bonds', () => {
    test('behavior: bonds follow the upstream assertions across eight epochs', () => {
      const s = new MockSubnet(engine, 8, 1, [1, 2, 3, 4, 0, 0, 0, 0], 8);
      s.epoch();
      s.block = 2;
      for (let u = 0; u < 4; u++) s.setWeights(u, [[4, 16383], [5, 32767], [6, 49149], [7, 65535]], 2);
      let out = s.epoch();
      expect(s.bondColumn(4)).toEqual([16383, 32767, 49151, 65535]);
      expect(out.emission).toEqual(raos([49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272]));

      s.setWeights(0, self(0), 2);
      s.block = 3;
      out = s.epoch();
      expect(s.bondColumn(4)).toEqual([14582, 32767, 49151, 65535]);
      expect(out.emission).toEqual(raos([44998351, 101110561, 151667215, 202223870, 49998779, 100000610, 149996337, 200004272]));

      s.setWeights(1, self(1), 3);
      s.block = 4;
      s.epoch();
      expect(s.bondColumn(4)).toEqual([12603, 28321, 49151, 65535]);

      s.setWeights(2, self(2), 4);
      s.block = 5;
      out = s.epoch();
      expect(s.bondColumn(7)).toEqual([12602, 28320, 49150, 65535]);
      expect(out.consensus).toEqual(new Array(8).fill(0));
      expect(out.emission).toEqual(raos([99999999, 199999999, 299999999, 399999999, 0, 0, 0, 0]));

      s.setWeights(2, [[7, 65535]], 5);
      s.block = 6;
      out = s.epoch();
      expect(s.bondColumn(7)).toEqual([10951, 24609, 49150, 65535]);
      expect(out.emission).toEqual(raos([36443733, 81898628, 163565493, 218092144, 0, 0, 0, 500000000]));
      s.block = 7;
      s.epoch();
      expect(s.bondColumn(7)).toEqual([9559, 21482, 49150, 65535]);
      s.block = 8;
      s.epoch();
      expect(s.bondColumn(7)).toEqual([8376, 18824, 49150, 65535]);
    });
  });

  describe('TV4 test_active_stake', () => {
    test('behavior: an inactive validator loses bond share and dividends', () => {
      const s = new MockSubnet(engine, 4, 0, [1, 1, 1, 1], 4);
      s.epoch();
      s.block = 1;
      for (const u of [0, 1]) s.setWeights(u, [[2, 65535], [3, 65535]], 1);
      let out = s.epoch();
      expect(out.dividends.slice(0, 2)).toEqual([32767, 32767]);
      expect(out.emission).toEqual(new Array(4).fill(250_000_000n));
      expect(s.bonds[0]).toEqual([[2, 65535], [3, 65535]]);
      expect(s.bonds[1]).toEqual([[2, 65535], [3, 65535]]);

      s.block = 5002;
      s.lastUpdate[0] = 5002;
      out = s.epoch();
      expect(out.active).toEqual([true, false, false, false]);
      expect(out.dividends.slice(0, 2)).toEqual([36044, 29490]);
      expect(out.emission.slice(0, 2)).toEqual([274_999_999n, 224_999_999n]);
      expect(s.bonds[0]).toEqual([[2, 65535], [3, 65535]]);
      expect(s.bonds[1]).toEqual([[2, 53619], [3, 53619]]);

      s.lastUpdate[1] = 5002;
      s.block = 5003;
      out = s.epoch();
      expect(out.dividends.slice(0, 2)).toEqual([35716, 29818]);
      expect(out.emission.slice(0, 2)).toEqual([272_501_132n, 227_498_866n]);
      expect(s.bonds[1]).toEqual([[2, 54712], [3, 54712]]);
    });
  });

  describe('TV5 test_outdated_weights', () => {
    test('behavior: weights and bonds on a re-registered uid are masked as outdated', () => {
      const s = new MockSubnet(engine, 4, 1, [1, 1, 1, 1], 4);
      s.epoch();
      s.block = 2;
      for (const u of [0, 1]) s.setWeights(u, [[2, 65535], [3, 32768]], 2);
      for (const u of [2, 3]) s.setWeights(u, self(u), 2);
      const first = s.epoch();
      expect(first.emission).toEqual(raos([250000000, 250000000, 333331637, 166668361]));

      // A new hotkey replaces uid 3 at block 2; its stake is 0 and its old rows are inherited.
      s.blockAtRegistration[3] = 2;
      s.stake[3] = 0n;
      s.block = 3;
      s.lastUpdate[0] = 3;
      const out = s.epoch();
      expect(out.dividends[0]).toBe(32767);
      expect(out.emission[0]).toBe(250_000_000n);
      expect(s.bonds[0]).toEqual([[2, 65535], [3, 65535]]);
    });
  });

  describe('TV6 test_bonds_with_liquid_alpha', () => {
    test('behavior: liquid alpha moves bonds faster than the constant EMA', () => {
      const s = new MockSubnet(engine, 8, 1, [1, 2, 3, 4, 0, 0, 0, 0]);
      s.epoch();
      s.block = 2;
      s.liquidAlpha = true;
      for (let u = 0; u < 4; u++) {
        s.permits[u] = true;
        s.setWeights(u, [[4, 16383], [5, 32767], [6, 49149], [7, 65535]], 2);
      }
      s.epoch();
      expect(s.bondColumn(4)).toEqual([16383, 32767, 49151, 65535]);
      s.weights[0] = self(0);
      s.block = 3;
      s.epoch();
      expect(s.bondColumn(4)).toEqual([2862, 32767, 49151, 65535]);
      s.setWeights(1, self(1), 3);
      s.block = 4;
      s.epoch();
      expect(s.bondColumn(4)).toEqual([435, 4985, 49151, 65535]);
    });
  });

  describe('§3.9 bond storage', () => {
    test('behavior: a bond that survives the EMA but quantizes to u16 0 is still written', () => {
      // A_1 ≈ 1e-6: its EMA bond is a few hundred 2^-32 units (> 0, kept), but u16q of that is 0.
      const out = engine({
        n: 3,
        block: 100,
        stake: [1_000_000_000_000n, 1_000_000n, 0n],
        weights: [[[2, 65535]], [[2, 65535]], []],
        bonds: [[], [], []],
        lastUpdate: [99, 99, 0],
        blockAtRegistration: [0, 0, 0],
        validatorPermit: [true, true, true],
        emission: 1_000_000_000n,
        hyperparameters: DEFAULT_YUMA_HYPERPARAMETERS,
      });
      expect(out.bonds.toRows()).toEqual([[[2, 65535]], [[2, 0]], []]);
    });
  });
});
