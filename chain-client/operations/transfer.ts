/**
 * TAO transfers and balance queries.
 */
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import type { RequestTimeoutError } from '../errors';
import type { Signer, SubmitErrorType, SubmitResult } from '../submit';
import { addressOf, raoOf, send, type Amount, type SubmitOptions } from './common';
import { DispatchFailedError, type InvalidParametersError } from './errors';
import { freeBalance } from './remedy';
import { queryItem } from './query';

/** Parameters of {@link transfer}. */
export interface TransferParameters extends SubmitOptions {
  /** The sending coldkey. */
  readonly signer: Signer;
  /** The receiving address (SS58). */
  readonly dest: string;
  readonly amount: Amount;
  /** Refuse to reap the sender (`transfer_keep_alive`). @default true */
  readonly keepAlive?: boolean;
}

/** Errors of {@link transfer}. */
export type TransferErrorType = SubmitErrorType;

/**
 * Transfers TAO. Pre-flight: the sender's free balance covers the amount (else `DispatchFailedError`
 * `Balances.InsufficientBalance` with `preflight: true`, no fee spent).
 * @example
 * await transfer(client, { signer: alice, dest: bob.address, amount: Balance.fromTao('1.5') });
 */
export async function transfer(client: ChainClient, params: TransferParameters): Promise<SubmitResult> {
  const dest = addressOf(params.dest, 'dest');
  const amount = raoOf(params.amount);
  const from = addressOf(params.signer);
  const free = await freeBalance(client, from);
  if (free < amount) {
    throw new DispatchFailedError({
      pallet: 'Balances',
      error: 'InsufficientBalance',
      preflight: true,
      remedy: `the sender holds ${Balance.fromRao(free).toString()} free, less than ${Balance.fromRao(amount).toString()}`,
      facts: { freeRao: free.toString() },
    });
  }
  const tx = params.keepAlive === false ? client.api.tx.balances.transferAllowDeath(dest, amount) : client.api.tx.balances.transferKeepAlive(dest, amount);
  return send(client, tx, params.signer, params, { coldkey: from, amount });
}

/** A coldkey's balances. */
export interface AccountBalance {
  readonly free: Balance;
  readonly reserved: Balance;
  readonly frozen: Balance;
}

/** Errors of {@link getBalance}. */
export type GetBalanceErrorType = RequestTimeoutError | InvalidParametersError;

/**
 * The free, reserved and frozen balance of `address`.
 * @example const { free } = await getBalance(client, { address: alice.address });
 */
export async function getBalance(client: ChainClient, params: { readonly address: string }): Promise<AccountBalance> {
  const account = (await queryItem(client, 'System', 'Account', addressOf(params.address))).toJSON() as { data: { free: number | string; reserved: number | string; frozen?: number | string; miscFrozen?: number | string } };
  const rao = (v: number | string | undefined): Balance => Balance.fromRao(BigInt(v ?? 0));
  return { free: rao(account.data.free), reserved: rao(account.data.reserved), frozen: rao(account.data.frozen ?? account.data.miscFrozen) };
}
