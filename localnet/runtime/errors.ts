import { TensornetError } from '../../common/errors';
import { loadRuntimeMetadata } from '../metadata';
import { bytesToHex } from '../scale';
import type { DispatchErrorValue } from './primitives';

/**
 * A call failed: the extrinsic is included, its state changes are rolled back, and
 * `System.ExtrinsicFailed` carries `value`. `label` is the readable name (e.g.
 * `SubtensorModule.SettingWeightsTooFast`, `BadOrigin`).
 */
export class DispatchError extends TensornetError<'DispatchError'> {
  constructor(
    readonly value: DispatchErrorValue,
    readonly label: string,
    detail?: string,
  ) {
    super('DispatchError', detail ? `${label}: ${detail}` : label, { label });
  }
}

export const badOrigin = (detail?: string): DispatchError => new DispatchError({ BadOrigin: null }, 'BadOrigin', detail);

/** `DispatchError::Other` with a readable reason (the reason itself is not encoded on chain). */
export const otherError = (detail: string): DispatchError => new DispatchError({ Other: null }, 'Other', detail);

/** Why a transaction can never be included (`InvalidTransaction` in Substrate), or may be later (`Future`). */
export type InvalidTransactionReason =
  | 'Call'
  | 'Payment'
  | 'Future'
  | 'Stale'
  | 'BadProof'
  | 'AncientBirthBlock'
  | 'ExhaustsResources'
  | 'BadMandatory'
  | 'MandatoryValidation'
  | 'BadSigner'
  | { readonly Custom: number };

export class TransactionValidityError extends TensornetError<'InvalidTransaction'> {
  constructor(
    readonly reason: InvalidTransactionReason,
    message: string,
  ) {
    super('InvalidTransaction', message, { reason });
  }
}

/** `DispatchError::Module` for a pallet error named as in the metadata (`('SubtensorModule', 'SettingWeightsTooFast')`). */
export function moduleError(pallet: string, name: string, detail?: string): DispatchError {
  const { index, error } = loadRuntimeMetadata().moduleErrorIndex(pallet, name);
  return new DispatchError({ Module: { index, error: bytesToHex(error) } }, `${pallet}.${name}`, detail);
}
