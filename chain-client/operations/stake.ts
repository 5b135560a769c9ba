/**
 * Staking: add / remove stake (metadata-driven call shape) and stake queries.
 */
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import type { UnsupportedRuntimeError } from '../errors';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { addressOf, raoOf, send, type Amount, type SubmitOptions } from './common';
import { stakeCall } from './calls';
import { DispatchFailedError } from './errors';
import { queryBigInt, queryItem } from './query';
import { freeBalance } from './remedy';

/** Parameters of {@link addStake} and {@link removeStake}. */
export interface StakeParameters extends SubmitOptions {
  /** The coldkey that owns (or nominates) the stake. */
  readonly signer: Signer;
  readonly hotkey: string;
  readonly amount: Amount;
  /** The subnet, for runtimes whose stake calls take one (dynamic TAO); ignored by pre-dTAO runtimes. */
  readonly netuid?: number;
}

/** Errors of {@link addStake} / {@link removeStake}. */
export type StakeErrorType = SubmitErrorType | UnsupportedRuntimeError;

function stakeTx(client: ChainClient, call: 'add_stake' | 'remove_stake', hotkey: string, netuid: number | undefined, amount: bigint) {
  return client.api.tx(stakeCall(client.api.registry, client.runtime, call, { hotkey, amount, ...(netuid !== undefined ? { netuid } : {}) }));
}

/**
 * `HotKeyAccountNotExists` when the hotkey has no owner; `HotKeyNotDelegateAndSignerNotOwnHotKey` when
 * `coldkey` neither owns it nor may nominate it (it is not a delegate).
 */
async function ensureMayStake(client: ChainClient, hotkey: string, coldkey: string): Promise<void> {
  const owner = await queryItem(client, 'SubtensorModule', 'Owner', hotkey);
  if (owner.toU8a().every((b) => b === 0)) throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'HotKeyAccountNotExists', preflight: true, remedy: 'register the hotkey (burnedRegister) before staking to it' });
  if (owner.toString() === coldkey) return;
  const delegateKey = (client.api.query as unknown as { subtensorModule: { delegates: { key(h: string): string } } }).subtensorModule.delegates.key(hotkey);
  const isDelegate = (await client.rpc<string | null>('state_getStorage', [delegateKey])) !== null;
  if (!isDelegate) {
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'HotKeyNotDelegateAndSignerNotOwnHotKey', preflight: true, remedy: 'stake through a delegate hotkey, or sign with the hotkey\'s owner coldkey' });
  }
}

/**
 * Stakes `amount` from the signing coldkey onto `hotkey`: `add_stake(hotkey, amount)` before dynamic
 * TAO, `add_stake(hotkey, netuid, amount)` after (detected from metadata). Pre-flight (no fee spent):
 * `NotEnoughBalanceToStake`, `HotKeyAccountNotExists`, `HotKeyNotDelegateAndSignerNotOwnHotKey` (the chain's order).
 * @throws UnsupportedRuntimeError when the runtime's add_stake has neither shape
 * @example await addStake(client, { signer: coldkey, hotkey: hotkey.address, amount: Balance.fromTao('10') });
 */
export async function addStake(client: ChainClient, params: StakeParameters): Promise<SubmitResult> {
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  const amount = raoOf(params.amount);
  const tx = stakeTx(client, 'add_stake', hotkey, params.netuid, amount);
  // The chain's order (spec §8.1): balance, hotkey account, delegate-or-owner.
  const free = await freeBalance(client, coldkey);
  if (free < amount) {
    throw new DispatchFailedError({
      pallet: 'SubtensorModule',
      error: 'NotEnoughBalanceToStake',
      preflight: true,
      remedy: `the coldkey holds ${Balance.fromRao(free).toString()} free, less than the ${Balance.fromRao(amount).toString()} requested`,
      facts: { freeRao: free.toString() },
    });
  }
  await ensureMayStake(client, hotkey, coldkey);
  return send(client, tx, params.signer, params, { hotkey, coldkey, amount, call: 'add_stake', ...(params.netuid !== undefined ? { netuid: params.netuid } : {}) });
}

/**
 * Unstakes `amount` from `hotkey` back to the signing coldkey (call shape as {@link addStake}).
 * Pre-flight (no fee spent), in the chain's order: `HotKeyAccountNotExists`,
 * `HotKeyNotDelegateAndSignerNotOwnHotKey`, `StakeToWithdrawIsZero`, `NotEnoughStakeToWithdraw` with the stake held.
 * @example await removeStake(client, { signer: coldkey, hotkey: hotkey.address, amount: 10n ** 9n });
 */
export async function removeStake(client: ChainClient, params: StakeParameters): Promise<SubmitResult> {
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  const amount = raoOf(params.amount);
  const tx = stakeTx(client, 'remove_stake', hotkey, params.netuid, amount);
  // The chain's order (spec §8.1): hotkey account, delegate-or-owner, amount > 0, stake held.
  await ensureMayStake(client, hotkey, coldkey);
  if (amount === 0n) throw new DispatchFailedError({ pallet: 'SubtensorModule', error: 'StakeToWithdrawIsZero', preflight: true, remedy: 'unstake a positive amount' });
  if (client.runtime.stakeCallShape('remove_stake') === 'hotkey-amount') {
    const staked = await queryBigInt(client, 'SubtensorModule', 'Stake', hotkey, coldkey);
    if (staked < amount) {
      throw new DispatchFailedError({
        pallet: 'SubtensorModule',
        error: 'NotEnoughStakeToWithdraw',
        preflight: true,
        remedy: `the coldkey has ${Balance.fromRao(staked).toString()} staked on this hotkey`,
        facts: { stakedRao: staked.toString() },
      });
    }
  }
  return send(client, tx, params.signer, params, { hotkey, coldkey, amount, call: 'remove_stake' });
}

/** Stake of `coldkey` on `hotkey` (pre-dTAO `Stake[hotkey][coldkey]`). */
export async function getStake(client: ChainClient, params: { readonly hotkey: string; readonly coldkey: string }): Promise<Balance> {
  return Balance.fromRao(await queryBigInt(client, 'SubtensorModule', 'Stake', addressOf(params.hotkey, 'hotkey'), addressOf(params.coldkey, 'coldkey')));
}

/** Total stake on `hotkey` from all coldkeys (`TotalHotkeyStake`). */
export async function getTotalHotkeyStake(client: ChainClient, params: { readonly hotkey: string }): Promise<Balance> {
  return Balance.fromRao(await queryBigInt(client, 'SubtensorModule', 'TotalHotkeyStake', addressOf(params.hotkey, 'hotkey')));
}

/** Total stake of `coldkey` over all hotkeys (`TotalColdkeyStake`). */
export async function getTotalColdkeyStake(client: ChainClient, params: { readonly coldkey: string }): Promise<Balance> {
  return Balance.fromRao(await queryBigInt(client, 'SubtensorModule', 'TotalColdkeyStake', addressOf(params.coldkey, 'coldkey')));
}
