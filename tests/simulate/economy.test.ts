/**
 * `simulateEconomy` on the shipped example: every recorded number agrees with the chain it ran on —
 * emission values are the root epoch's (recomputed with `rootEpoch` from the chain's stakes and the
 * config's weights), rewards are the hotkeys' stake + pending emission growth, and issuance grows by
 * exactly the owner cuts plus the stake minted at drains.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { halvingThreshold, rootEpoch } from '../../root-network';
import { parseEconomyConfig, simulateEconomy, type EconomyConfig, type EconomyResult } from '../../simulate';
import { resolveAccount } from '../../localnet/chain/genesis-file';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { SparseU16Row } from '../../consensus/types';

const EXAMPLE = join(__dirname, '..', '..', 'simulate', 'examples', 'economy.json');
const example = (): EconomyConfig => parseEconomyConfig(JSON.parse(readFileSync(EXAMPLE, 'utf8')));

describe('simulateEconomy (example config)', () => {
  let config: EconomyConfig;
  let result: EconomyResult;
  const checks: string[] = [];
  beforeAll(async () => {
    config = example();
    const s = st();
    result = await simulateEconomy(config, {
      epochs: 12,
      inspect: (chain, row) => {
        const view = chain.stateAt();
        // The root epoch of this period ran at a block where stake may since have changed by drains;
        // recompute from the stake at that block.
        const rootBlock = row.block - 1 - ((row.block + 1) % (config.rootTempo + 1));
        const at = chain.stateAt(chain.blockByNumber(rootBlock - 1)!.hash);
        const n = s.SubnetworkN.get(at, 0);
        const stake: bigint[] = [];
        const weights: SparseU16Row[] = [];
        for (let uid = 0; uid < n; uid++) {
          stake.push(s.TotalHotkeyStake.get(at, s.Keys.get(at, 0, uid)));
          weights.push(s.Weights.get(at, 0, uid));
        }
        const out = rootEpoch({ stake, weights, networks: result0Netuids(config), blockEmission: s.BlockEmission.get(view), kappa: config.rootKappa, rho: config.rootRho });
        for (const [netuid, value] of out.emissionValues) expect(row.emissionValues.find(([k]) => k === netuid)?.[1]).toBe(value);
        const genesis = chain.stateAt(chain.blockByNumber(0)!.hash);
        const earned = (v: typeof view, hotkey: ReturnType<typeof resolveAccount>): bigint => s.TotalHotkeyStake.get(v, hotkey) + s.PendingdHotkeyEmission.get(v, hotkey);
        for (const [label, rao] of row.rewards) expect(rao).toBe(earned(view, resolveAccount(label)) - earned(genesis, resolveAccount(label)));
        checks.push(`epoch ${row.epoch}`);
      },
    });
  }, 30_000);

  test('default: one row per epoch, rootTempo + 1 blocks apart, every root epoch checked against rootEpoch', () => {
    expect(result.rows.map((r) => r.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(result.rows.map((r) => r.block)).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * (config.rootTempo + 1)));
    expect(checks).toHaveLength(12);
    expect(result.netuids).toEqual([0, 1, 2, 3]);
  });

  test('behavior: the subnets split the block emission (up to per-subnet flooring); root weights nothing to netuid 0', () => {
    for (const row of result.rows) {
      const total = row.emissionValues.reduce((a, [, v]) => a + v, 0n);
      expect(row.blockEmission - total).toBeLessThanOrEqual(4n);
      expect(row.emissionValues[0]![1]).toBe(0n);
    }
  });

  test('behavior: conservation — Δ TotalIssuance = Δ owner balances + Δ TotalStake, to the rao, every epoch', () => {
    let minted = 0n;
    for (let i = 1; i < result.rows.length; i++) {
      const [a, b] = [result.rows[i - 1]!, result.rows[i]!];
      const delta = b.totalIssuance - a.totalIssuance;
      expect(delta).toBe(b.ownerBalances - a.ownerBalances + (b.totalStake - a.totalStake));
      minted += delta;
    }
    expect(minted).toBeGreaterThan(0n);
  });

  test('behavior: rewards are cumulative (non-decreasing); a root-only validator earns nothing pre-dTAO; miners and validators earn', () => {
    const col = (label: string): bigint[] => result.rows.map((r) => r.rewards.find(([h]) => h === label)![1]);
    for (const label of result.hotkeys) {
      const v = col(label);
      for (let i = 1; i < v.length; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
    }
    expect(col('//Ferdie//root-only').every((v) => v === 0n)).toBe(true);
    for (const label of ['//Alice//sn1-validator', '//Bob//sn1-miner-a', '//Dave//sn2-validator', '//Eve//sn3-miner']) expect(col(label).at(-1)!).toBeGreaterThan(0n);
  });

  test('behavior: deterministic — a second run gives the same rows', async () => {
    const again = await simulateEconomy(config, { epochs: 3 });
    expect(again.rows).toEqual(result.rows.slice(0, 3));
  });
});

function result0Netuids(config: EconomyConfig): number[] {
  return [0, ...config.subnets.map((s) => s.netuid)];
}

describe('simulateEconomy across a halving', () => {
  test('behavior: issuance just below 10.5M TAO — BlockEmission halves at a root epoch once minting crosses it; conservation holds throughout', async () => {
    const config = parseEconomyConfig({ ...JSON.parse(readFileSync(EXAMPLE, 'utf8')), issuance: String(halvingThreshold(1) - 3_000_000_000n) });
    const { rows } = await simulateEconomy(config, { epochs: 8 });
    expect(rows[0]!.blockEmission).toBe(1_000_000_000n);
    expect(rows.at(-1)!.blockEmission).toBe(500_000_000n);
    const halvedAt = rows.findIndex((r) => r.blockEmission === 500_000_000n);
    expect(rows[halvedAt - 1]!.totalIssuance).toBeLessThan(halvingThreshold(1));
    for (const r of rows.slice(halvedAt)) {
      const total = r.emissionValues.reduce((a, [, v]) => a + v, 0n);
      expect(total).toBeLessThanOrEqual(500_000_000n);
      expect(total).toBeGreaterThan(499_999_990n);
    }
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(b.totalIssuance - a.totalIssuance).toBe(b.ownerBalances - a.ownerBalances + (b.totalStake - a.totalStake));
    }
  });
});

describe('simulateEconomy over a long run', () => {
  test('behavior: 1000 blocks (root + 3 subnets + nominators): Δ TotalIssuance = owner cuts + stake minted at drains, every epoch, to the rao', async () => {
    const config = parseEconomyConfig(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    const { rows } = await simulateEconomy(config, { epochs: 100 });
    expect(rows.at(-1)!.block).toBe(1000);
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(b.totalIssuance - a.totalIssuance).toBe(b.ownerBalances - a.ownerBalances + (b.totalStake - a.totalStake));
    }
    // Over the run almost all of the 1000 blocks' emission was minted (the rest is still pending on
    // subnets and hotkeys): owner cuts are ≈ 18% of what the subnets drained.
    const minted = rows.at(-1)!.totalIssuance - rows[0]!.totalIssuance;
    const owner = rows.at(-1)!.ownerBalances - rows[0]!.ownerBalances;
    expect(minted).toBeGreaterThan(900n * 1_000_000_000n - 200n * 1_000_000_000n);
    expect(minted).toBeLessThanOrEqual(990n * 1_000_000_000n);
    expect(Number(owner) / Number(minted)).toBeGreaterThan(0.17);
    expect(Number(owner) / Number(minted)).toBeLessThan(0.19);
  }, 30_000);
});
