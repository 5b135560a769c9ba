/**
 * Remedies for the common pallet errors: read the chain state behind the failure and say what would
 * make the call succeed (the next allowed block, the stake a permit needs …).
 */
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import { queryBigInt, queryJsonArray, queryNumber, queryItem, uidOf, weightsStakeThreshold } from './query';

/** What an operation knows about its call, for building a remedy. */
export interface RemedyContext {
  readonly netuid?: number;
  /** The hotkey the call acts for (SS58). */
  readonly hotkey?: string;
  /** The signing coldkey (SS58). */
  readonly coldkey?: string;
  /** The amount the call moves, in rao. */
  readonly amount?: bigint;
  /** The call (metadata name, e.g. `increase_take`), for errors that several calls raise with different causes. */
  readonly call?: string;
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
    case 'NotEnoughStakeToSetWeights':
    case 'NotEnoughStakeToSetChildkeys': {
      if (hotkey === undefined) return undefined;
      const [stake, threshold] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', hotkey), weightsStakeThreshold(client)]);
      return { remedy: stakeRemedy(stake, threshold), facts: { stakeRao: stake.toString(), stakeThresholdRao: threshold.toString() } };
    }
    case 'DelegateTxRateLimitExceeded': {
      // become_delegate and increase_take raise it against different storage: only remedy a known call.
      if (coldkey === undefined || (ctx.call !== 'increase_take' && ctx.call !== 'become_delegate')) return undefined;
      const next = await nextDelegateTxBlock(client, ctx.call, coldkey);
      return next && { remedy: next.remedy, facts: { nextAllowedBlock: next.nextAllowedBlock } };
    }
    case 'TxRateLimitExceeded':
    case 'TxChildkeyTakeRateLimitExceeded': {
      if (error === 'TxRateLimitExceeded' && coldkey !== undefined && (ctx.call === 'add_stake' || ctx.call === 'remove_stake')) {
        // Older runtimes (spec 143) rate-limit staking per coldkey, as become_delegate: LastTxBlock + TxRateLimit.
        const next = await nextDelegateTxBlock(client, 'become_delegate', coldkey);
        return next && { remedy: next.remedy, facts: { nextAllowedBlock: next.nextAllowedBlock } };
      }
      const which = error === 'TxRateLimitExceeded' ? 'set_children' : 'set_childkey_take';
      if (netuid === undefined || hotkey === undefined || (which === 'set_children' && ctx.call !== 'set_children')) return undefined;
      const state = await childkeyRateLimit(client, which, hotkey, netuid);
      return state && { remedy: childkeyRateLimitRemedy(which, state), facts: { nextAllowedBlock: state.nextAllowedBlock } };
    }
    default:
      return undefined;
  }
}

/**
 * The next block a delegate-take transaction of `coldkey` may be in, or undefined when it is not limited:
 * `increase_take` waits for `LastTxBlockDelegateTake + TxDelegateTakeRateLimit + 1`, `become_delegate`
 * for `LastTxBlock + TxRateLimit + 1` (the chain refuses `b − last ≤ limit`).
 */
export async function nextDelegateTxBlock(client: ChainClient, call: 'increase_take' | 'become_delegate', coldkey: string): Promise<{ remedy: string; lastBlock: number; nextAllowedBlock: number } | undefined> {
  const [lastItem, limitItem] = call === 'increase_take' ? ['LastTxBlockDelegateTake', 'TxDelegateTakeRateLimit'] : ['LastTxBlock', 'TxRateLimit'];
  const [last, limit] = await Promise.all([queryNumber(client, 'SubtensorModule', lastItem, coldkey), queryNumber(client, 'SubtensorModule', limitItem)]);
  if (limit === 0 || last === 0) return undefined;
  const nextAllowedBlock = last + limit + 1;
  return { remedy: `wait until block ${nextAllowedBlock} (${lastItem} ${last} + ${limitItem} ${limit}, per coldkey)`, lastBlock: last, nextAllowedBlock };
}

/** The free balance of `address` in rao. */
export async function freeBalance(client: ChainClient, address: string): Promise<bigint> {
  const account = (await queryItem(client, 'System', 'Account', address)) as unknown as { data: { free: { toString(): string } } };
  return BigInt(account.data.free.toString());
}

/** §8.4: `set_children` passes once per this many blocks per (hotkey, netuid); a runtime constant, not storage. */
const SET_CHILDREN_RATE_LIMIT = 150;
/** `TransactionKeyLastBlock` transaction types of the runtime. */
const TX_SET_CHILDREN = 0;
const TX_SET_CHILDKEY_TAKE = 1;

/** When a child-key transaction of a hotkey on a subnet last passed, and its rate limit. */
export interface ChildkeyRateLimit {
  /** `TransactionKeyLastBlock` of the transaction type. */
  readonly lastBlock: number;
  readonly rateLimit: number;
  readonly nextAllowedBlock: number;
}

/**
 * The rate-limit state of `set_children` (150 blocks) or `set_childkey_take` (`TxChildkeyTakeRateLimit`)
 * for `hotkey` on `netuid`, or undefined when it never passed.
 */
export async function childkeyRateLimit(client: ChainClient, which: 'set_children' | 'set_childkey_take', hotkey: string, netuid: number): Promise<ChildkeyRateLimit | undefined> {
  const [last, limit] = await Promise.all([
    queryNumber(client, 'SubtensorModule', 'TransactionKeyLastBlock', hotkey, netuid, which === 'set_children' ? TX_SET_CHILDREN : TX_SET_CHILDKEY_TAKE),
    which === 'set_children' ? Promise.resolve(SET_CHILDREN_RATE_LIMIT) : queryNumber(client, 'SubtensorModule', 'TxChildkeyTakeRateLimit'),
  ]);
  return last === 0 ? undefined : { lastBlock: last, rateLimit: limit, nextAllowedBlock: last + limit };
}

/** The remedy text of `TxRateLimitExceeded` (set_children) / `TxChildkeyTakeRateLimitExceeded`. */
export function childkeyRateLimitRemedy(which: 'set_children' | 'set_childkey_take', state: ChildkeyRateLimit): string {
  return which === 'set_children'
    ? `wait until block ${state.nextAllowedBlock} (children last set at block ${state.lastBlock}; set_children passes once per ${state.rateLimit} blocks)`
    : `wait until block ${state.nextAllowedBlock} (take last set at block ${state.lastBlock} + TxChildkeyTakeRateLimit ${state.rateLimit})`;
}

/** The remedy of `NotEnoughStakeToSetChildkeys`. */
export function stakeRemedy(stake: bigint, threshold: bigint): string {
  return `the hotkey needs at least ${Balance.fromRao(threshold).toString()} stake (StakeThreshold), it has ${Balance.fromRao(stake).toString()}`;
}
