import { TensornetError } from '../common/errors';

export type MinerErrorCode =
  /** The hotkey holds no uid on the subnet and registration was not asked for. */
  | 'HotKeyNotRegisteredInNetwork'
  /** Registration was asked for without a coldkey to pay for it. */
  | 'ColdkeyRequired'
  /** The subnet does not exist. */
  | 'SubNetworkDoesNotExist';

export class MinerError extends TensornetError<MinerErrorCode> {}
