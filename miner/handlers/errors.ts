import { TensornetError } from '../../common/errors';

/**
 * - `UnknownSubnet`: no handler is registered under the name (`details.known` lists the names that are).
 * - `DuplicateSubnet`: a second handler for a name already registered.
 * - `InvalidHandler`: a handler whose name or declaration is unusable, or whose `attach` served other synapses than it declares.
 * - `ModelRequired`: the handler runs a model and none was given (`--model`).
 * - `ModelNotUsed`: a model was given to a handler that runs none.
 * - `UnknownTier`: `--tier` names no tier of the handler (or the handler has none).
 */
export type HandlerErrorCode = 'UnknownSubnet' | 'DuplicateSubnet' | 'InvalidHandler' | 'ModelRequired' | 'ModelNotUsed' | 'UnknownTier';

/** An error choosing or attaching a miner handler. */
export class HandlerError extends TensornetError<HandlerErrorCode> {}
