/**
 * Remedies for the common pallet errors: read the chain state behind the failure and say what would
 * make the call succeed (the next allowed block, the stake a permit needs …).
 */
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import { queryBigInt, queryJsonArray, queryNumber, queryItem, uidOf } from './query';

/** What an operation knows about its call, for building a remedy. */
export interface RemedyContext {
  readonly netuid?: number;
  /** The hotkey the call acts for (SS58). */
  readonly hotkey?: string;
  /** The signing coldkey (SS58). */
  readonly coldkey?: string;
  /** The amount the call moves, in rao. */
  readonly amount?: bigint;
}

/** A remedy text and the facts behind it. */
export interface Remedy {
  readonly remedy: string;
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

/** The next block at which `hotkey` may set (or commit) weights on `netuid`: LastUpdate + WeightsSetRateLimit. */
export async function nextWeightsBlock(client: ChainClient, netuid: number, hotkey: string): Promise<{ lastUpdate: number; rateLimit: number; nextAllowedBlock: number } | undefined> {
  const uid = await uidOf(client, netuid, hotkey);
  if (uid === undefined) return undefined;
  const [lastUpdates, rateLimit] = await Promise.all([queryJsonArray<number>(client, 'SubtensorModule', 'LastUpdate', netuid), queryNumber(client, 'SubtensorModule', 'WeightsSetRateLimit', netuid)]);
  const lastUpdate = Number(lastUpdates[uid] ?? 0);
  return { lastUpdate, rateLimit, nextAllowedBlock: lastUpdate === 0 ? 0 : lastUpdate + rateLimit };
}

/** The total stake of the lowest-staked validator-permit holder on `netuid` (rao), or undefined when no uid holds a permit. */
export async function lowestPermitStake(client: ChainClient, netuid: number): Promise<bigint | undefined> {
  const permits = await queryJsonArray<boolean>(client, 'SubtensorModule', 'ValidatorPermit', netuid);
  const holders = permits.map((p, uid) => (p ? uid : -1)).filter((uid) => uid >= 0);
  if (holders.length === 0) return undefined;
  const stakes = await Promise.all(
    holders.map(async (uid) => {
      const hotkey = (await queryItem(client, 'SubtensorModule', 'Keys', netuid, uid)).toString();
      return queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey);
    }),
  );
  return stakes.reduce((a, b) => (b < a ? b : a));
}

/**
 * A remedy for `pallet.error` in `ctx`, or undefined when none is known (or the facts cannot be read).
 * Never throws: a failed read yields no remedy rather than hiding the original error.
 */
export async function remedyFor(client: ChainClient, pallet: string, error: string, ctx: RemedyContext): Promise<Remedy | undefined> {
  try {
    return await buildRemedy(client, pallet, error, ctx);
  } catch {
    return undefined;
  }
}

async function buildRemedy(client: ChainClient, pallet: string, error: string, ctx: RemedyContext): Promise<Remedy | undefined> {
  const { netuid, hotkey, coldkey } = ctx;
  if (pallet !== 'SubtensorModule' && pallet !== 'Balances') return undefined;
  switch (error) {
    case 'SettingWeightsTooFast':
    case 'CommittingWeightsTooFast': {
      if (netuid === undefined || hotkey === undefined) return undefined;
      const next = await nextWeightsBlock(client, netuid, hotkey);
      if (!next) return undefined;
      return { remedy: `wait until block ${next.nextAllowedBlock} (LastUpdate ${next.lastUpdate} + WeightsSetRateLimit ${next.rateLimit})`, facts: next };
    }
    case 'NeuronNoValidatorPermit': {
      if (netuid === undefined) return undefined;
      const lowest = await lowestPermitStake(client, netuid);
      if (lowest === undefined) return { remedy: `no uid on netuid ${netuid} holds a validator permit yet; permits are assigned at the next epoch`, facts: {} };
      return {
        remedy: `stake more than ${Balance.fromRao(lowest).toString()} (the lowest current permit holder) on the hotkey and wait for the next epoch`,
        facts: { lowestPermitStakeRao: lowest.toString() },
      };
    }
    case 'NotEnoughBalanceToStake': {
      if (coldkey === undefined) return undefined;
      const free = await freeBalance(client, coldkey);
      return { remedy: `the coldkey holds ${Balance.fromRao(free).toString()} free${ctx.amount !== undefined ? `, less than the ${Balance.fromRao(ctx.amount).toString()} requested` : ''}`, facts: { freeRao: free.toString() } };
    }
    case 'NotEnoughStakeToWithdraw': {
      if (coldkey === undefined || hotkey === undefined) return undefined;
      const staked = await queryBigInt(client, 'SubtensorModule', 'Stake', hotkey, coldkey);
      return { remedy: `the coldkey has ${Balance.fromRao(staked).toString()} staked on this hotkey`, facts: { stakedRao: staked.toString() } };
    }
    case 'HotKeyNotRegisteredInSubNet':
    case 'HotKeyNotRegisteredInNetwork': {
      if (netuid === undefined) return { remedy: 'register the hotkey on a subnet first (burnedRegister)', facts: {} };
      const burn = await queryBigInt(client, 'SubtensorModule', 'Burn', netuid);
      return { remedy: `register the hotkey on netuid ${netuid} first (burnedRegister costs ${Balance.fromRao(burn).toString()} now)`, facts: { burnRao: burn.toString() } };
    }
    case 'IncorrectWeightVersionKey': {
      if (netuid === undefined) return undefined;
      const required = await queryBigInt(client, 'SubtensorModule', 'WeightsVersionKey', netuid);
      return { remedy: `pass versionKey >= ${required} (the subnet's WeightsVersionKey)`, facts: { weightsVersionKey: required.toString() } };
    }
    case 'NotEnoughBalanceToPaySwapHotKey':
    case 'NotEnoughBalanceToBurn':
    case 'InsufficientBalance': {
      if (coldkey === undefined) return undefined;
      const free = await freeBalance(client, coldkey);
      return { remedy: `fund the coldkey: it holds ${Balance.fromRao(free).toString()} free`, facts: { freeRao: free.toString() } };
    }
    case 'ServingRateLimitExceeded': {
      if (netuid === undefined || hotkey === undefined) return undefined;
      const [axon, limit] = await Promise.all([queryItem(client, 'SubtensorModule', 'Axons', netuid, hotkey), queryNumber(client, 'SubtensorModule', 'ServingRateLimit', netuid)]);
      const last = Number(((axon.toJSON() as { block?: number } | null)?.block ?? 0));
      return { remedy: `wait until block ${last + limit} (last served at ${last}, ServingRateLimit ${limit})`, facts: { nextAllowedBlock: last + limit } };
    }
    case 'NotEnoughStakeToSetWeights': {
      if (hotkey === undefined) return undefined;
      const [stake, threshold] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey), queryBigInt(client, 'SubtensorModule', 'StakeThreshold')]);
      return { remedy: `the hotkey needs at least ${Balance.fromRao(threshold).toString()} stake (StakeThreshold), it has ${Balance.fromRao(stake).toString()}`, facts: { stakeRao: stake.toString(), stakeThresholdRao: threshold.toString() } };
    }
    default:
      return undefined;
  }
}

/** The free balance of `address` in rao. */
export async function freeBalance(client: ChainClient, address: string): Promise<bigint> {
  const account = (await queryItem(client, 'System', 'Account', address)) as unknown as { data: { free: { toString(): string } } };
  return BigInt(account.data.free.toString());
}
