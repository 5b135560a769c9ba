/**
 * Shared pieces of the operations: amounts, addresses, sudo wrapping and the base parameters every
 * submitting operation takes.
 */
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { Balance } from '../balance';
import type { ChainClient } from '../connect';
import { signingPair, submit, type Signer, type SubmitResult, type WaitFor } from '../submit';
import { DispatchFailedError, InvalidParametersError, withCurrentErrorName } from './errors';
import type { RemedyContext } from './remedy';

/** Options every submitting operation accepts. */
export interface SubmitOptions {
  /** @default 'inBlock' */
  readonly waitFor?: WaitFor;
  /** @default client.timeoutMs */
  readonly timeoutMs?: number;
}

/** An amount: a {@link Balance} or a rao bigint. */
export type Amount = Balance | bigint;

/** The rao of an amount. @throws InvalidParametersError for a negative or non-u64 amount */
export function raoOf(amount: Amount, name = 'amount'): bigint {
  const rao = amount instanceof Balance ? amount.rao : amount;
  if (typeof rao !== 'bigint' || rao < 0n || rao >= 1n << 64n) throw new InvalidParametersError(`${name} must be a u64 rao amount`, { [name]: String(rao) });
  return rao;
}

/** The SS58 (format 42) address of an address string or signer. @throws InvalidParametersError */
export function addressOf(who: string | Signer, name = 'address'): string {
  if (typeof who !== 'string') return signingPairAddress(who);
  try {
    return encodeAddress(decodeAddress(who), 42);
  } catch {
    throw new InvalidParametersError(`${name} is not an SS58 address or 0x public key: ${who}`, { [name]: who });
  }
}

function signingPairAddress(signer: Signer): string {
  return 'sign' in signer && typeof signer.sign === 'function' ? encodeAddress(signer.publicKey, 42) : encodeAddress((signer as { publicKey: Uint8Array }).publicKey, 42);
}

/** Checks `netuid` is a u16. @throws InvalidParametersError */
export function checkNetuid(netuid: number): number {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65535) throw new InvalidParametersError(`netuid must be a u16: ${netuid}`, { netuid });
  return netuid;
}

/** Submits `tx` signed by `signer` with the options and remedy context of an operation. */
export function send(client: ChainClient, tx: SubmittableExtrinsic<'promise'>, signer: Signer, options: SubmitOptions, remedyContext: RemedyContext = {}): Promise<SubmitResult> {
  signingPair(signer);
  return submit(client, { tx, signer, remedyContext, ...(options.waitFor ? { waitFor: options.waitFor } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
}

/**
 * Submits `call` wrapped in `Sudo.sudo`, signed by the sudo key, and turns a failed inner call
 * (`Sudid(Err)`) into a {@link DispatchFailedError}.
 */
export async function sendSudo(client: ChainClient, call: SubmittableExtrinsic<'promise'>, sudoKey: Signer, options: SubmitOptions, remedyContext: RemedyContext = {}): Promise<SubmitResult> {
  client.runtime.requireCall('Sudo', 'sudo');
  const result = await send(client, client.api.tx.sudo.sudo(call), sudoKey, options, remedyContext);
  const sudid = result.events.find((e) => e.pallet === 'Sudo' && e.name === 'Sudid');
  const outcome = sudid?.data[0] as { err?: unknown; Err?: unknown } | undefined;
  const err = outcome?.err ?? outcome?.Err;
  if (err !== undefined) {
    const failure = describeJsonDispatchError(client, err);
    throw new DispatchFailedError(failure, { blockHash: result.blockHash });
  }
  return result;
}

function describeJsonDispatchError(client: ChainClient, err: unknown): { pallet: string; error: string } {
  const module = (err as { module?: { index: number; error: string | number[] } }).module;
  if (module) {
    try {
      const error = typeof module.error === 'string' ? Uint8Array.from(Buffer.from(module.error.replace(/^0x/, ''), 'hex')) : Uint8Array.from(module.error);
      const meta = client.api.registry.findMetaError({ index: client.api.createType('u8', module.index), error: client.api.createType('[u8;4]', error) });
      return withCurrentErrorName({ pallet: meta.section.charAt(0).toUpperCase() + meta.section.slice(1), error: meta.name });
    } catch {
      return { pallet: 'Module', error: JSON.stringify(module) };
    }
  }
  return { pallet: 'DispatchError', error: JSON.stringify(err) };
}
