/**
 * Neuron registration by burning TAO (`burned_register`).
 */
import { encodeAddress } from '@polkadot/util-crypto';
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { addressOf, checkNetuid, send, type SubmitOptions } from './common';
import { DispatchFailedError, EventMissingError } from './errors';
import { queryBigInt, queryBool, queryItem, uidOf } from './query';
import { freeBalance } from './remedy';

/** Parameters of {@link burnedRegister}. */
export interface BurnedRegisterParameters extends SubmitOptions {
  /** The coldkey that pays the burn and owns the hotkey. */
  readonly signer: Signer;
  readonly netuid: number;
  /** The hotkey to register (SS58). */
  readonly hotkey: string;
}

/** The result of {@link burnedRegister}: the new uid and the burn paid. */
export interface BurnedRegisterResult extends SubmitResult {
  readonly uid: number;
  /** `Burn[netuid]` at submission. */
  readonly burn: Balance;
}

/** Errors of {@link burnedRegister}. */
export type BurnedRegisterErrorType = SubmitErrorType;

/**
 * Registers `hotkey` on `netuid`, paying the current burn from the signing coldkey.
 * Pre-flight (no fee spent): `RegistrationNotPermittedOnRootSubnet`, `SubNetworkDoesNotExist`,
 * `SubNetRegistrationDisabled`, `HotKeyAlreadyRegisteredInSubNet`, `NotEnoughBalanceToStake`.
 * @example
 * const { uid } = await burnedRegister(client, { signer: coldkey, netuid: 1, hotkey: hotkey.address });
 */
export async function burnedRegister(client: ChainClient, params: BurnedRegisterParameters): Promise<BurnedRegisterResult> {
  const netuid = checkNetuid(params.netuid);
  const hotkey = addressOf(params.hotkey, 'hotkey');
  const coldkey = addressOf(params.signer);
  const preflight = (error: string, remedy: string, facts: Record<string, string | number | boolean> = {}): never => {
    throw new DispatchFailedError({ pallet: 'SubtensorModule', error, remedy, preflight: true, facts });
  };
  if (netuid === 0) preflight('RegistrationNotPermittedOnRootSubnet', 'use rootRegister for the root network');
  if (!(await queryBool(client, 'SubtensorModule', 'NetworksAdded', netuid))) preflight('SubNetworkDoesNotExist', `netuid ${netuid} does not exist`);
  if (!(await queryBool(client, 'SubtensorModule', 'NetworkRegistrationAllowed', netuid))) preflight('SubNetRegistrationDisabled', `registration on netuid ${netuid} is disabled by its owner`);
  const existing = await uidOf(client, netuid, hotkey);
  if (existing !== undefined) preflight('HotKeyAlreadyRegisteredInSubNet', `the hotkey already holds uid ${existing} on netuid ${netuid}`, { uid: existing });
  const [burn, free] = await Promise.all([queryBigInt(client, 'SubtensorModule', 'Burn', netuid), freeBalance(client, coldkey)]);
  if (free < burn) preflight('NotEnoughBalanceToStake', `the burn is ${Balance.fromRao(burn).toString()}, the coldkey holds ${Balance.fromRao(free).toString()} free`, { burnRao: burn.toString(), freeRao: free.toString() });
  const result = await send(client, client.api.tx.subtensorModule.burnedRegister(netuid, hotkey), params.signer, params, { netuid, hotkey, coldkey });
  const event = result.events.find((e) => e.pallet === 'SubtensorModule' && e.name === 'NeuronRegistered');
  // Without the event, the uid is read back from storage; a hotkey holding none there is an error, not a uid.
  const uid = event ? Number(event.data[1]) : await uidOf(client, netuid, hotkey);
  if (uid === undefined) throw new EventMissingError('burnedRegister', 'SubtensorModule.NeuronRegistered', result.blockHash);
  return { ...result, uid, burn: Balance.fromRao(burn) };
}

/** Whether `hotkey` is registered on `netuid`, and its uid. */
export async function getUid(client: ChainClient, params: { readonly netuid: number; readonly hotkey: string }): Promise<number | undefined> {
  return uidOf(client, checkNetuid(params.netuid), addressOf(params.hotkey, 'hotkey'));
}

/** The owner coldkey of `hotkey`, or undefined when the hotkey is unknown (`Owner` holds the zero account). */
export async function getHotkeyOwner(client: ChainClient, params: { readonly hotkey: string }): Promise<string | undefined> {
  const owner = (await queryItem(client, 'SubtensorModule', 'Owner', addressOf(params.hotkey, 'hotkey'))).toU8a();
  return owner.every((b) => b === 0) ? undefined : encodeAddress(owner, 42);
}
