/**
 * JSON-RPC error objects: the standard JSON-RPC 2.0 codes, the server-limit codes jsonrpsee (and so
 * a Substrate node) uses, and the application codes Substrate's RPC modules use. `toErrorObject`
 * maps anything a handler throws (an {@link RpcError}, a chain `ChainError`, a plain `Error`) to the
 * error object sent to the client.
 */
import { TensornetError } from '../../common/errors';
import { ChainError } from '../chain/errors';
import type { Json } from './json';

/** Every error code the RPC layer sends, by name. */
export const RpcErrorCodes = {
  /** Invalid JSON. */
  ParseError: -32700,
  /** Valid JSON that is not a JSON-RPC 2.0 request object. */
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  /** The message names the offending parameter. */
  InvalidParams: -32602,
  /** A handler failed unexpectedly (or a subscription was asked for over HTTP, as jsonrpsee does). */
  InternalError: -32603,
  /** jsonrpsee: the connection already holds the maximum number of subscriptions. */
  TooManySubscriptions: -32006,
  /** jsonrpsee: the request exceeds the size limit. */
  OversizedRequest: -32007,
  /**
   * A runtime-API-backed RPC failed (`payment_queryInfo`, subtensor's custom RPCs use code 1 with a
   * fixed message and the runtime error as `data`).
   */
  RuntimeError: 1,
  /** `author_*`: the extrinsic could not be decoded (Substrate `BAD_FORMAT`). */
  BadFormat: 1001,
  /** `author_*`: the pool rejected the transaction (Substrate `POOL_INVALID_TX`). */
  InvalidTransaction: 1010,
  /** `author_*`: the transaction is temporarily banned (Substrate `POOL_TEMPORARILY_BANNED`). */
  PoolTemporarilyBanned: 1012,
  /** `author_*`: the transaction is already in the pool (Substrate `POOL_ALREADY_IMPORTED`). */
  PoolAlreadyImported: 1013,
  /** `author_*`: too low a priority to replace the pooled transaction of the same sender and nonce (Substrate `POOL_TOO_LOW_PRIORITY`). */
  PoolTooLowPriority: 1014,
  /** `author_*`: the pool is at a limit and the transaction ranks lowest (Substrate `POOL_IMMEDIATELY_DROPPED`). */
  PoolImmediatelyDropped: 1016,
  /**
   * An unsafe method (e.g. `dev_newBlock`) on a server running with `rpcMethods: 'safe'`; Substrate
   * answers -32601 "RPC call is unsafe to be called externally" (`sc_rpc_api::UnsafeRpcError`).
   */
  UnsafeRpcCalled: -32601,
  /** `state_queryStorage`: `from` is after `to` or not its ancestor (Substrate `state::Error::InvalidBlockRange`). */
  InvalidBlockRange: 4001,
  /** `state_*`: a `count` above the maximum (Substrate `state::Error::InvalidCount`). */
  InvalidCount: 4002,
  /** `state_*`: a client error such as an unknown block or a failed runtime call. */
  ClientError: 4003,
} as const;

export type RpcErrorName = keyof typeof RpcErrorCodes;

/** The `error` member of a JSON-RPC response. */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: Json;
}

/** An error a handler throws to answer with a specific JSON-RPC error object. */
export class RpcError extends TensornetError<RpcErrorName> {
  /** The numeric JSON-RPC code. */
  readonly rpcCode: number;
  readonly data: Json | undefined;

  constructor(code: RpcErrorName, message: string, data?: Json, options?: { cause?: unknown }) {
    super(code, message, {}, options);
    this.rpcCode = RpcErrorCodes[code];
    this.data = data;
  }

  toErrorObject(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.rpcCode, message: this.message }
      : { code: this.rpcCode, message: this.message, data: this.data };
  }
}

/** Substrate's message for an unsafe method on a node that denies them (`sc_rpc_api::UnsafeRpcError`). */
export const UNSAFE_RPC_MESSAGE = 'RPC call is unsafe to be called externally';

/** The refusal of an unsafe call: -32601 (or `name`'s code) "RPC call is unsafe to be called externally". */
export function unsafeRpcCalled(name: RpcErrorName = 'UnsafeRpcCalled'): RpcError {
  return new RpcError(name, UNSAFE_RPC_MESSAGE);
}

/** `-32602` naming the parameter, e.g. "Invalid params: `hash`: expected a 32-byte hex hash". */
export function invalidParams(param: string | undefined, reason: string): RpcError {
  return new RpcError('InvalidParams', param === undefined ? `Invalid params: ${reason}` : `Invalid params: \`${param}\`: ${reason}`);
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Internal error';
}

const POOL_CODES: Readonly<Record<number, RpcErrorName>> = {
  1012: 'PoolTemporarilyBanned',
  1013: 'PoolAlreadyImported',
  1014: 'PoolTooLowPriority',
  1016: 'PoolImmediatelyDropped',
};

/** The pool's own refusal a `ChainError` carries (`details.rpcCode` / `rpcMessage` / `rpcData`), if any. */
function poolRefusal(err: ChainError): { name: RpcErrorName; message: string; data: string | undefined } | undefined {
  const { rpcCode, rpcMessage, rpcData } = err.details;
  const name = typeof rpcCode === 'number' ? POOL_CODES[rpcCode] : undefined;
  if (name === undefined || typeof rpcMessage !== 'string') return undefined;
  return { name, message: rpcMessage, data: typeof rpcData === 'string' ? rpcData : undefined };
}

/**
 * Maps a `ChainError` the way a Substrate node reports the same condition:
 * - `InvalidTransaction` → 1010 "Invalid Transaction" with the reason as `data` (polkadot.js shows
 *   "1010: Invalid Transaction: <reason>"), or the pool's own refusal (1012, 1013, 1014, 1016) with
 *   Substrate's message when the error carries one;
 * - `UnknownBlock` → 4003 "Client error: UnknownBlock: …" (`state_*`' client-error code);
 * - `UnknownRuntimeCall` → 4003 "Client error: Execution failed: …" (a failed `state_call`);
 * - `UnknownRpc` → -32601; `InvalidParams` → -32602.
 */
export function chainErrorToRpcError(err: ChainError): RpcError {
  switch (err.code) {
    case 'InvalidTransaction': {
      const pool = poolRefusal(err);
      if (pool) return new RpcError(pool.name, pool.message, pool.data, { cause: err });
      return new RpcError('InvalidTransaction', 'Invalid Transaction', err.message, { cause: err });
    }
    case 'UnknownBlock':
      return new RpcError('ClientError', `Client error: UnknownBlock: ${err.message}`, undefined, { cause: err });
    case 'UnknownRuntimeCall':
      return new RpcError('ClientError', `Client error: Execution failed: ${err.message}`, undefined, { cause: err });
    case 'UnknownRpc':
      return new RpcError('MethodNotFound', `Method not found: ${err.message}`, undefined, { cause: err });
    case 'InvalidParams':
      return new RpcError('InvalidParams', `Invalid params: ${err.message}`, undefined, { cause: err });
    default:
      return new RpcError('InternalError', errorMessage(err), undefined, { cause: err });
  }
}

/**
 * Rewraps a failure of a runtime-API-backed RPC the way `pallet-transaction-payment-rpc` and
 * subtensor's custom RPC crate do: code 1, a fixed `message`, the runtime error as `data`.
 * `InvalidParams` stays -32602 and `UnknownRpc` -32601; anything that is not a `ChainError` (a bug)
 * stays internal (-32603).
 */
export function runtimeApiError(message: string, err: unknown): unknown {
  if (!(err instanceof ChainError)) return err;
  if (err.code === 'InvalidParams' || err.code === 'UnknownRpc') return chainErrorToRpcError(err);
  return new RpcError('RuntimeError', message, `${err.code}: ${err.message}`, { cause: err });
}

/** The error object for anything a handler threw; a plain `Error` becomes -32603 with its message. */
export function toErrorObject(err: unknown): JsonRpcErrorObject {
  if (err instanceof RpcError) return err.toErrorObject();
  if (err instanceof ChainError) return chainErrorToRpcError(err).toErrorObject();
  return { code: RpcErrorCodes.InternalError, message: errorMessage(err) };
}
