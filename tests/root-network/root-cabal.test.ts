/**
 * Root cabal: root validators holding less than half the root stake who put all their weight on one
 * subnet that the honest majority does not weight. Through real root epochs on a real chain, the
 * subnet's `EmissionValues` share is compared with the counterfactual where the cabal votes like the
 * majority (share 0) and with the sigmoid's allowance (spec §4.1): with cabal stake f, the target's
 * trust is f and every honest subnet's trust is 1 − f, so the share is
 * `σ(f)·f / (σ(f)·f + σ(1−f)·(1−f))`, `σ(T) = 1/(1 + e^(−ρ(T−κ)))` — below f when f < 1/2, and above
 * 1/2 once the cabal holds the majority. Stakes and honest weights are random with fixed seeds.
 */
import type { RuntimeContext } from '../../localnet/runtime/context';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import { TestChain } from '../localnet/helpers/test-chain';
import { addNeuron, addSubnet, nextEpochBlock, seed, seededRandom } from './helpers/seed';

const HONEST_SUBNETS = [1, 2, 3];
const TARGET = 4;
const VALIDATORS = 12;

interface Scenario {
  readonly stakes: bigint[];
  readonly cabal: Set<number>;
  readonly honestRows: [number, number][][];
  /** The cabal's share of root stake. */
  readonly f: number;
}

/** Random stakes; the cabal is a random subset whose stake share lies in [lo, hi). */
function scenario(seedValue: number, lo: number, hi: number): Scenario {
  const rand = seededRandom(seedValue);
  for (;;) {
    const stakes = Array.from({ length: VALIDATORS }, () => BigInt(Math.floor(1e12 + rand() * 9e12)));
    const total = stakes.reduce((a, b) => a + b, 0n);
    const cabal = new Set<number>();
    for (let i = 0; i < VALIDATORS; i++) if (rand() < (lo + hi) / 2) cabal.add(i);
    const f = Number([...cabal].reduce((a, i) => a + stakes[i]!, 0n)) / Number(total);
    if (f < lo || f >= hi) continue;
    const honestRows = stakes.map(() => HONEST_SUBNETS.map((k): [number, number] => [k, 1 + Math.floor(rand() * 65535)]));
    return { stakes, cabal, honestRows, f };
  }
}

const sigma = (trust: number, rho: number, kappa: number): number => 1 / (1 + Math.exp(-rho * (trust - kappa)));

describe('root cabal (spec §4.1)', () => {
  let t: TestChain;
  const s = st();
  let rho = 0;
  let kappa = 0;
  beforeAll(async () => {
    t = await TestChain.start();
    await seed(t, (ctx) => {
      s.Tempo.set(ctx.state, 0, 1);
      for (const k of [...HONEST_SUBNETS, TARGET]) addSubnet(t, ctx, k, 360);
    });
    rho = t.query(s.Rho, 0);
    kappa = t.query(s.Kappa, 0) / 65535;
  });
  afterAll(() => t.close());

  let round = 0;
  /** Seats the scenario's validators on root (fresh hotkeys per run), with `rows` as their weights; returns EmissionValues shares after the next root epoch. */
  async function run(sc: Scenario, rows: (i: number) => [number, number][]): Promise<Map<number, number>> {
    const r = round++;
    await seed(t, (ctx: RuntimeContext) => {
      s.Keys.clear(ctx.state, 0);
      s.Uids.clear(ctx.state, 0);
      s.Weights.clear(ctx.state, 0);
      s.SubnetworkN.set(ctx.state, 0, 0);
      sc.stakes.forEach((stake, i) => {
        const uid = addNeuron(ctx, 0, t.account(`//Cabal${r}//c${i}`), t.account(`//Cabal${r}//h${i}`), stake);
        s.Weights.set(ctx.state, 0, uid, rows(i));
      });
    });
    await t.advanceTo(nextEpochBlock(0, 1, t.blockNumber));
    const values = [0, ...HONEST_SUBNETS, TARGET].map((k) => [k, t.query(s.EmissionValues, k)] as const);
    const total = Number(values.reduce((a, [, v]) => a + v, 0n));
    expect(total).toBeGreaterThan(999_999_990);
    return new Map(values.map(([k, v]) => [k, Number(v) / total]));
  }

  const allowance = (f: number): number => (sigma(f, rho, kappa) * f) / (sigma(f, rho, kappa) * f + sigma(1 - f, rho, kappa) * (1 - f));

  test.each([11, 22, 33])('behavior: a cabal with < 50%% of root stake (seed %p) gets the target at most the sigmoid allowance, below its stake share', async (seedValue) => {
    const sc = scenario(seedValue, 0.3, 0.5);
    const counterfactual = await run(sc, (i) => sc.honestRows[i]!);
    expect(counterfactual.get(TARGET)).toBe(0);
    const attacked = await run(sc, (i) => (sc.cabal.has(i) ? [[TARGET, 65535]] : sc.honestRows[i]!));
    const share = attacked.get(TARGET)!;
    expect(share).toBeGreaterThan(0);
    expect(Math.abs(share - allowance(sc.f))).toBeLessThan(1e-6);
    expect(share).toBeLessThan(sc.f);
    expect(share).toBeLessThan(0.5);
    // The honest majority's subnets keep the rest, in the proportions of the honest rank.
    expect(HONEST_SUBNETS.reduce((a, k) => a + attacked.get(k)!, 0)).toBeCloseTo(1 - share, 6);
  });

  test.each([44, 55])('behavior: a cabal with > 50%% (seed %p) does move the target above half of the emission', async (seedValue) => {
    const sc = scenario(seedValue, 0.52, 0.7);
    const counterfactual = await run(sc, (i) => sc.honestRows[i]!);
    expect(counterfactual.get(TARGET)).toBe(0);
    const attacked = await run(sc, (i) => (sc.cabal.has(i) ? [[TARGET, 65535]] : sc.honestRows[i]!));
    const share = attacked.get(TARGET)!;
    expect(Math.abs(share - allowance(sc.f))).toBeLessThan(1e-6);
    expect(share).toBeGreaterThan(sc.f);
    expect(share).toBeGreaterThan(0.5);
  });

  test('behavior: the allowance crosses 1/2 at κ — the same validators just below and just above half the stake', async () => {
    // Two blocs, equal count; the cabal's stake is 49% then 51%.
    const make = (cabalStake: bigint): Scenario => {
      const stakes = [cabalStake, 100n * 10n ** 9n - cabalStake];
      return { stakes, cabal: new Set([0]), honestRows: [[], [[1, 65535], [2, 65535], [3, 65535]]], f: Number(cabalStake) / 1e11 };
    };
    const below = await run(make(49n * 10n ** 9n), (i) => (i === 0 ? [[TARGET, 65535]] : make(0n).honestRows[1]!));
    const above = await run(make(51n * 10n ** 9n), (i) => (i === 0 ? [[TARGET, 65535]] : make(0n).honestRows[1]!));
    expect(below.get(TARGET)!).toBeLessThan(0.49);
    expect(above.get(TARGET)!).toBeGreaterThan(0.51);
  });
});
