/**
 * The naive reference replays the upstream subtensor epoch tests quoted in spec §12 (TV1–TV6), carrying
 * bonds and permits from one epoch to the next as the chain does. TV6 is the only chain-asserted
 * coverage of liquid alpha (the recorded vectors predate it).
 */
import { yumaEpochBigInt } from '../../consensus/reference/yuma-bigint';
import { DEFAULT_YUMA_HYPERPARAMETERS } from '../../consensus/types';
import type { SparseU16Row, YumaEpochOutput, YumaHyperparameters } from '../../consensus/types';

interface SubnetState {
  n: number;
  block: number;
  stake: bigint[];
  weights: SparseU16Row[];
  bonds: SparseU16Row[];
  lastUpdate: number[];
  blockAtRegistration: number[];
  validatorPermit: boolean[];
  hyperparameters: YumaHyperparameters;
}

/** The mock's fresh subnet: every uid registered (and last updated) at `block`, no permits, no weights. */
function subnet(n: number, block: number, stake: number[], maxAllowedValidators = 64): SubnetState {
  return {
    n,
    block,
    stake: stake.map(BigInt),
    weights: Array.from({ length: n }, () => []),
    bonds: Array.from({ length: n }, () => []),
    lastUpdate: new Array<number>(n).fill(block),
    blockAtRegistration: new Array<number>(n).fill(block),
    validatorPermit: new Array<boolean>(n).fill(false),
    hyperparameters: { ...DEFAULT_YUMA_HYPERPARAMETERS, maxAllowedValidators },
  };
}

/** `epoch(netuid, 1_000_000_000)`, writing back what the chain stores for the next epoch. */
function runEpoch(s: SubnetState): YumaEpochOutput {
  const out = yumaEpochBigInt({ ...s, emission: 1_000_000_000n });
  s.bonds = out.bonds.toRows();
  s.validatorPermit = out.validatorPermit;
  return out;
}

/** Bonds of uids 0..3 on column `j`. */
const bondColumn = (s: SubnetState, j: number): (number | undefined)[] => s.bonds.slice(0, 4).map((row) => row.find(([d]) => d === j)?.[1]);

const MINER_WEIGHTS: SparseU16Row = [
  [4, 16383],
  [5, 32767],
  [6, 49149],
  [7, 65535],
];

describe('naive BigInt reference replays upstream epoch tests (spec §12)', () => {
  test('behavior: TV1 test_1_graph pays the lone uid by stake', () => {
    const s = subnet(1, 0, [1]);
    s.block = 1;
    s.weights[0] = [[0, 65535]];
    expect(runEpoch(s).emission).toEqual([1_000_000_000n]);
  });

  test('behavior: TV2 test_10_graph pays S = ⌊0.1⌋₃₂ each', () => {
    const s = subnet(10, 0, new Array<number>(10).fill(1));
    s.block = 1;
    expect(runEpoch(s).emission).toEqual(new Array<bigint>(10).fill(99_999_999n));
  });

  test('behavior: TV3 test_bonds', () => {
    const s = subnet(8, 1, [1, 2, 3, 4, 0, 0, 0, 0], 8);
    runEpoch(s);
    s.block = 2;
    for (let u = 0; u < 4; u++) {
      s.weights[u] = MINER_WEIGHTS;
      s.lastUpdate[u] = 2;
    }
    const first = runEpoch(s);
    expect(bondColumn(s, 4)).toEqual([16383, 32767, 49151, 65535]);
    expect(first.emission).toEqual([49999998n, 99999999n, 150000000n, 200000001n, 49998779n, 100000610n, 149996337n, 200004272n]);

    for (const [u, block, expected] of [
      [0, 3, [14582, 32767, 49151, 65535]],
      [1, 4, [12603, 28321, 49151, 65535]],
    ] as const) {
      s.weights[u] = [[u, 65535]];
      s.lastUpdate[u] = block - 1;
      s.block = block;
      runEpoch(s);
      expect(bondColumn(s, 4)).toEqual(expected);
    }

    s.weights[2] = [[2, 65535]];
    s.lastUpdate[2] = 4;
    s.block = 5;
    expect(runEpoch(s).emission).toEqual([99999999n, 199999999n, 299999999n, 399999999n, 0n, 0n, 0n, 0n]);
    expect(bondColumn(s, 7)).toEqual([12602, 28320, 49150, 65535]);

    s.weights[2] = [[7, 65535]];
    s.lastUpdate[2] = 5;
    for (const [block, expected] of [
      [6, [10951, 24609, 49150, 65535]],
      [7, [9559, 21482, 49150, 65535]],
      [8, [8376, 18824, 49150, 65535]],
    ] as const) {
      s.block = block;
      const out = runEpoch(s);
      expect(bondColumn(s, 7)).toEqual(expected);
      if (block === 6) expect(out.emission).toEqual([36443733n, 81898628n, 163565493n, 218092144n, 0n, 0n, 0n, 500000000n]);
    }
  });

  test('behavior: TV4 test_active_stake', () => {
    const s = subnet(4, 0, [1, 1, 1, 1], 4);
    runEpoch(s);
    s.block = 1;
    for (const u of [0, 1]) {
      s.weights[u] = [
        [2, 65535],
        [3, 65535],
      ];
      s.lastUpdate[u] = 1;
    }
    let out = runEpoch(s);
    expect(out.dividends.slice(0, 2)).toEqual([32767, 32767]);
    expect(out.emission).toEqual(new Array<bigint>(4).fill(250_000_000n));

    s.block = 5002;
    s.lastUpdate[0] = 5002;
    out = runEpoch(s);
    expect(out.dividends.slice(0, 2)).toEqual([36044, 29490]);
    expect(out.emission.slice(0, 2)).toEqual([274999999n, 224999999n]);
    expect(s.bonds[1]).toEqual([
      [2, 53619],
      [3, 53619],
    ]);

    s.block = 5003;
    s.lastUpdate[1] = 5002;
    out = runEpoch(s);
    expect(out.dividends.slice(0, 2)).toEqual([35716, 29818]);
    expect(out.emission.slice(0, 2)).toEqual([272501132n, 227498866n]);
    expect(s.bonds[1]).toEqual([
      [2, 54712],
      [3, 54712],
    ]);
  });

  test('behavior: TV5 test_outdated_weights masks weights and bonds on a re-registered uid', () => {
    const s = subnet(4, 1, [1, 1, 1, 1], 4);
    runEpoch(s);
    s.block = 2;
    for (const u of [0, 1]) {
      s.weights[u] = [
        [2, 65535],
        [3, 32768],
      ];
      s.lastUpdate[u] = 2;
    }
    for (const u of [2, 3]) {
      s.weights[u] = [[u, 65535]];
      s.lastUpdate[u] = 2;
    }
    expect(runEpoch(s).emission).toEqual([250000000n, 250000000n, 333331637n, 166668361n]);
    s.blockAtRegistration[3] = 2;
    s.stake[3] = 0n;
    s.block = 3;
    s.lastUpdate[0] = 3;
    const out = runEpoch(s);
    expect(out.dividends[0]).toBe(32767);
    expect(out.emission[0]).toBe(250_000_000n);
    expect(s.bonds[0]).toEqual([
      [2, 65535],
      [3, 65535],
    ]);
  });

  test('behavior: TV6 test_bonds_with_liquid_alpha', () => {
    const s = subnet(8, 1, [1, 2, 3, 4, 0, 0, 0, 0]);
    runEpoch(s);
    s.block = 2;
    s.hyperparameters = { ...s.hyperparameters, liquidAlphaEnabled: true };
    for (let u = 0; u < 4; u++) {
      s.validatorPermit[u] = true;
      s.weights[u] = MINER_WEIGHTS;
      s.lastUpdate[u] = 2;
    }
    runEpoch(s);
    expect(bondColumn(s, 4)).toEqual([16383, 32767, 49151, 65535]);

    s.weights[0] = [[0, 65535]];
    s.block = 3;
    runEpoch(s);
    expect(bondColumn(s, 4)).toEqual([2862, 32767, 49151, 65535]);

    s.weights[1] = [[1, 65535]];
    s.lastUpdate[1] = 3;
    s.block = 4;
    runEpoch(s);
    expect(bondColumn(s, 4)).toEqual([435, 4985, 49151, 65535]);
  });
});

describe('naive BigInt reference: §3.9 bond storage details', () => {
  test('behavior: a bond that survives the EMA but quantizes to u16 0 is still written', () => {
    // A_1 ≈ 1e-6: its EMA bond is a few hundred 2^-32 units (> 0, kept), but u16q of that is 0.
    // The chain maps every kept EMA entry through fixed_proportion_to_u16 without filtering.
    const out = yumaEpochBigInt({
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
