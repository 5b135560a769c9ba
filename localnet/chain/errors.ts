import { TensornetError } from '../../common/errors';

export type ChainErrorCode = 'UnknownBlock' | 'InvalidTransaction' | 'UnknownRuntimeCall' | 'UnknownRpc' | 'InvalidParams';

/** An error the node reports to a client (the RPC layer maps codes to JSON-RPC error objects). */
export class ChainError extends TensornetError<ChainErrorCode> {}
