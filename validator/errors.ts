import { TensornetError } from '../common/errors';

/**
 * - `SubNetworkDoesNotExist`: the netuid has no subnet.
 * - `HotKeyNotRegisteredInNetwork`: the validator's hotkey holds no uid on the subnet (register it first).
 * - `ValidatorStopped`: the validator was stopped.
 * - `StateInvalid`: the state file is unreadable or belongs to another subnet or hotkey.
 */
export type ValidatorErrorCode = 'SubNetworkDoesNotExist' | 'HotKeyNotRegisteredInNetwork' | 'ValidatorStopped' | 'StateInvalid';

export class ValidatorError extends TensornetError<ValidatorErrorCode> {}
