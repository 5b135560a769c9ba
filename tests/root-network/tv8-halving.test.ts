/**
 * TV8 through real blocks: with subtensor's `TotalIssuance` written (root `System.set_storage`) at
 * each point of the spec's table, the next root epoch writes `BlockEmission = BE(I)` and splits exactly
 * that among the subnets (`EmissionValues`, which then accrue into `PendingEmission`).
 */
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import { TestChain } from '../localnet/helpers/test-chain';
import { halvingThreshold } from '../../root-network';
import { addNeuron, addSubnet, nextEpochBlock, seed } from './helpers/seed';
import { TV8_BLOCK_EMISSION } from '../fixtures/tv8';

const TV8 = TV8_BLOCK_EMISSION;

describe('TV8 block emission across the halving thresholds (through root epochs)', () => {
  let t: TestChain;
  const s = st();
  beforeAll(async () => {
    t = await TestChain.start();
    await seed(t, (ctx) => {
      s.Tempo.set(ctx.state, 0, 1);
      s.HotkeyEmissionTempo.set(ctx.state, 1_000_000n);
      addSubnet(t, ctx, 1, 360);
      addSubnet(t, ctx, 2, 360);
      // Two root validators: one for each subnet, 3:1 stake.
      const a = addNeuron(ctx, 0, t.account('//Tv8//c0'), t.account('//Tv8//h0'), 3_000_000n);
      const b = addNeuron(ctx, 0, t.account('//Tv8//c1'), t.account('//Tv8//h1'), 1_000_000n);
      s.Weights.set(ctx.state, 0, a, [[1, 65535]]);
      s.Weights.set(ctx.state, 0, b, [[2, 65535]]);
    });
  });
  afterAll(() => t.close());

  /** Writes `TotalIssuance`, runs to the next root epoch, returns BlockEmission and Σ EmissionValues. */
  async function rootEpochAt(issuance: bigint): Promise<{ block: bigint; emitted: bigint; values: bigint[] }> {
    await t.setStorage(s.TotalIssuance, issuance);
    expect(t.query(s.TotalIssuance)).toBe(issuance);
    await t.advanceTo(nextEpochBlock(0, 1, t.blockNumber));
    const values = [0, 1, 2].map((k) => t.query(s.EmissionValues, k));
    return { block: t.query(s.BlockEmission), emitted: values.reduce((x, y) => x + y, 0n), values };
  }

  test.each(TV8)('behavior: TotalIssuance %p → BlockEmission %p, split among the subnets', async (issuance, expected) => {
    const { block, emitted, values } = await rootEpochAt(issuance);
    expect(block).toBe(expected);
    // Each ε_c is floored separately: at most one rao per network lost.
    expect(emitted).toBeLessThanOrEqual(expected);
    expect(expected - emitted).toBeLessThanOrEqual(3n);
    expect(values[1]!).toBeGreaterThan(values[2]!);
    // The next block accrues exactly EmissionValues (no subnet epoch at tempo 360 this soon).
    const pending = t.query(s.PendingEmission, 1);
    await t.advance(1);
    expect(t.query(s.PendingEmission, 1) - pending).toBe(values[1]);
  });

  test('behavior: one rao below and at each of the first five halving thresholds', async () => {
    for (let h = 1; h <= 5; h++) {
      const at = halvingThreshold(h);
      expect((await rootEpochAt(at - 1n)).block).toBe(1_000_000_000n >> BigInt(h - 1));
      expect((await rootEpochAt(at)).block).toBe(1_000_000_000n >> BigInt(h));
    }
  });

  test('behavior: at 21·10¹⁵ the emission is 0: EmissionValues become 0 and BlockEmission is left as it was', async () => {
    const before = (await rootEpochAt(20_999_999_000_000_000n)).block;
    const { block, emitted } = await rootEpochAt(21_000_000_000_000_000n);
    expect(emitted).toBe(0n);
    expect(block).toBe(before);
    const pending = t.query(s.PendingEmission, 1);
    await t.advance(3);
    expect(t.query(s.PendingEmission, 1)).toBe(pending);
  });
});
