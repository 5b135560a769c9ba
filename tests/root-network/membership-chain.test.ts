/**
 * Root membership through real `root_register` extrinsics: with seeded random stakes (ties included)
 * and a small root network (`MaxAllowedUids[0] = 8`), every registration does what the pure
 * `decideRootSeat` predicts from the chain's members and stakes — append, replace the weakest
 * (first uid on ties), or `StakeTooLowForRoot` — and the seated set ends as the top 8 by stake among
 * the candidates still staked. Localnet's `networkLockCost` agrees with the pure `networkLockCost`.
 */
import { networkLockCost as chainLockCost } from '../../localnet/runtime/pallets/subtensor/networks';
import { initNewNetwork } from '../../localnet/runtime/pallets/subtensor/common';
import { st } from '../../localnet/runtime/pallets/subtensor/items';
import type { AccountId } from '../../localnet/runtime/primitives';
import { StateOverlay } from '../../localnet/state/overlay';
import { decideRootSeat, networkLockCost, type RootMember } from '../../root-network';
import { TestChain } from '../localnet/helpers/test-chain';
import { addNeuron, seed, seededRandom } from './helpers/seed';

const TAO = 1_000_000_000n;
const SEATS = 8;

describe('root_register agrees with decideRootSeat', () => {
  test.each([1, 2, 3])('behavior: 30 candidates with random stakes (seed %p), 8 seats', async (seedValue) => {
    const t = await TestChain.start();
    try {
      const s = st();
      const rand = seededRandom(seedValue);
      const candidates = Array.from({ length: 30 }, (_, i) => ({ uri: `//RootSeat${seedValue}//h${i}`, stake: BigInt(1 + Math.floor(rand() * 12)) * TAO }));
      // Stake lives on the candidates' hotkeys (held on subnet 1 so a replaced hotkey keeps its stake);
      // registrations are limited only to one per block.
      await seed(t, (ctx) => {
        s.MaxAllowedUids.set(ctx.state, 0, SEATS);
        s.TargetRegistrationsPerInterval.set(ctx.state, 0, 1000);
        initNewNetwork(ctx.state, 1, 360);
        s.MaxAllowedUids.set(ctx.state, 1, 64);
        candidates.forEach((c, i) => addNeuron(ctx, 1, t.account(`//RootSeat${seedValue}//c${i}`), t.account(c.uri), c.stake));
      });
      const members = (): RootMember[] => {
        const view = t.chain.stateAt();
        return s.Keys.entries(view, 0).map(([[, uid], hotkey]) => ({ uid, hotkey, stake: s.TotalHotkeyStake.get(view, hotkey) }));
      };
      const outcomes = { append: 0, replace: 0, rejected: 0 };
      for (const c of candidates) {
        const hotkey = t.account(c.uri);
        const decision = decideRootSeat(members(), { hotkey, stake: c.stake }, SEATS);
        const r = await t.send('//Alice', 'SubtensorModule', 'root_register', { hotkey });
        outcomes[decision.kind]++;
        if (decision.kind === 'rejected') {
          expect(r.error).toBe(`SubtensorModule.${decision.reason}`);
          continue;
        }
        expect(r.error).toBeNull();
        expect(t.query(s.Keys, 0, decision.uid)).toBe(hotkey);
        if (decision.kind === 'replace') expect(s.Uids.has(t.chain.stateAt(), 0, decision.replaced as AccountId)).toBe(false);
      }
      expect(outcomes.append).toBe(SEATS);
      expect(outcomes.replace).toBeGreaterThan(0);
      expect(outcomes.rejected).toBeGreaterThan(0);
      const seated = members().map((m) => m.stake).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
      const top = candidates.map((c) => c.stake).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, SEATS);
      expect(seated).toEqual(top);
    } finally {
      await t.close();
    }
  });
});

describe('networkLockCost agrees with localnet', () => {
  test('behavior: random NetworkLastLockCost / NetworkLastRegistered / interval / minimum and blocks (seeded)', async () => {
    const t = await TestChain.start();
    try {
      const s = st();
      const rand = seededRandom(4242);
      const big = (max: number): bigint => BigInt(Math.floor(rand() * max));
      for (let i = 0; i < 300; i++) {
        const overlay = new StateOverlay(t.chain.stateAt());
        const params = {
          lastLockCost: big(1e6) * (rand() < 0.5 ? TAO : 1n),
          lastRegistered: rand() < 0.2 ? 0n : big(1e6),
          reductionInterval: 1n + big(200_000),
          minLockCost: big(1e4) * (rand() < 0.5 ? TAO : 1n),
        };
        s.NetworkLastLockCost.set(overlay, params.lastLockCost);
        s.NetworkLastRegistered.set(overlay, params.lastRegistered);
        s.NetworkLockReductionInterval.set(overlay, params.reductionInterval);
        s.NetworkMinLockCost.set(overlay, params.minLockCost);
        const block = params.lastRegistered + big(400_000);
        expect(networkLockCost({ ...params, block })).toBe(chainLockCost(overlay, block));
      }
    } finally {
      await t.close();
    }
  });
});
