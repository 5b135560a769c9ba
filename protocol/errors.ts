/**
 * Errors of the axon ⇄ dendrite wire protocol: building or checking a request, a synapse definition.
 */
import { TensornetError } from '../common/errors';

export type ProtocolErrorCode =
  /** A synapse definition the protocol cannot carry (name, field names, a field type). */
  | 'InvalidSynapseDefinition'
  /** A request input that does not satisfy the synapse's request schema. */
  | 'InvalidSynapseInput'
  /** A value that is not a Bittensor header value (nonce, timeout, hotkey, …). */
  | 'InvalidHeaderValue'
  /** A bt.Tensor payload that does not decode. */
  | 'InvalidTensor';

export class ProtocolError extends TensornetError<ProtocolErrorCode> {}
