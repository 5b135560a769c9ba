import { TensornetError } from '../common/errors';

/**
 * - `SubNetworkDoesNotExist`: the netuid has no subnet.
 * - `HotKeyNotRegisteredInNetwork`: the validator's hotkey holds no uid on the subnet (register it first).
 * - `ValidatorStopped`: the validator was stopped.
 */
export type ValidatorErrorCode = 'SubNetworkDoesNotExist' | 'HotKeyNotRegisteredInNetwork' | 'ValidatorStopped';

export class ValidatorError extends TensornetError<ValidatorErrorCode> {}
