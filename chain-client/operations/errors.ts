/**
 * Typed errors of chain operations: dispatch failures (with the pallet error name and a remedy),
 * transaction-pool rejections, dropped transactions and invalid parameters. Callers branch on `err.code`.
 */
import { TensornetError } from '../../common/errors';

/**
 * - `DispatchFailed`: the extrinsic was included but its call failed, or a pre-flight check found that
 *   it would (`details.preflight`); `pallet` / `error` name the runtime error, e.g. `SubtensorModule` /
 *   `SettingWeightsTooFast`.
 * - `PoolRejected`: the node's transaction pool refused the extrinsic (1010 invalid, 1014 priority too
 *   low, a stale nonce …); `reason` classifies it.
 * - `TransactionDropped`: the pool accepted the extrinsic, then dropped, invalidated or usurped it.
 * - `InvalidParameters`: the operation's parameters are malformed (e.g. weight and uid lengths differ).
 * - `EventMissing`: the extrinsic was included and did not fail, but the event that carries the operation's
 *   result (e.g. `NetworkAdded` with the new netuid) is not among its events, so there is no result to
 *   return; `details` name the event and the block.
 */
export type OperationErrorCode = 'DispatchFailed' | 'PoolRejected' | 'TransactionDropped' | 'InvalidParameters' | 'EventMissing';

/** An error of a chain operation. */
export class OperationError<Code extends OperationErrorCode = OperationErrorCode> extends TensornetError<Code> {}

/** What a dispatch failure carries. */
export interface DispatchFailure {
  /** The pallet (`SubtensorModule`, `Balances` …) or, for non-module errors, the `DispatchError` variant (`BadOrigin`, `Token` …). */
  readonly pallet: string;
  /** The pallet error name (`SettingWeightsTooFast`) or the variant's detail. */
  readonly error: string;
  /** A human-readable way out, when one is known (e.g. the next block at which weights may be set). */
  readonly remedy?: string;
  /** True when a pre-flight check found the failure before anything was submitted (no fee spent). */
  readonly preflight?: boolean;
  /** Structured facts behind the remedy (e.g. `{nextAllowedBlock}`). */
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
  /** The runtime's own error name when it is an older spelling of `error` (see {@link LEGACY_ERROR_NAMES}). */
  readonly chainError?: string;
}

/**
 * SubtensorModule errors that older runtimes (the finney runtime of February 2024, spec 143) name
 * differently: the old name → today's. Upstream renamed them one to one in May 2024
 * (opentensor/subtensor `pallets/subtensor/src/errors.rs`); a dispatch failure reports today's name in
 * `error`, so callers branch on one name whatever the runtime, and the chain's own in `chainError`.
 * Renames that split one old error into several (`NotRegistered`) are left as the chain names them.
 */
export const LEGACY_ERROR_NAMES: Readonly<Record<string, string>> = {
  NetworkDoesNotExist: 'SubNetworkDoesNotExist',
  NotEnoughStaketoWithdraw: 'NotEnoughStakeToWithdraw',
  NoValidatorPermit: 'NeuronNoValidatorPermit',
  InvalidUid: 'UidVecContainInvalidOne',
  NotSettingEnoughWeights: 'WeightVecLengthIsLow',
  AlreadyRegistered: 'HotKeyAlreadyRegisteredInSubNet',
  AlreadyDelegate: 'HotKeyAlreadyDelegate',
  IncorrectNetworkVersionKey: 'IncorrectWeightVersionKey',
  TooManyUids: 'UidsLengthExceedUidsInSubNet',
  RegistrationDisabled: 'SubNetRegistrationDisabled',
};

/** A SubtensorModule failure under today's error name, keeping an older runtime's spelling in `chainError`. */
export function withCurrentErrorName(failure: DispatchFailure): DispatchFailure {
  const current = failure.pallet === 'SubtensorModule' && Object.hasOwn(LEGACY_ERROR_NAMES, failure.error) ? LEGACY_ERROR_NAMES[failure.error] : undefined;
  return current === undefined ? failure : { ...failure, error: current, chainError: failure.error };
}

/** The call failed on chain (fee spent), or a pre-flight check showed that it would (no fee spent). */
export class DispatchFailedError extends OperationError<'DispatchFailed'> {
  readonly pallet: string;
  readonly error: string;
  readonly remedy: string | undefined;
  readonly preflight: boolean;
  constructor(failure: DispatchFailure, extra: { blockHash?: string; docs?: string } = {}) {
    const where = failure.preflight ? 'pre-flight check' : 'dispatch';
    super('DispatchFailed', `${where} failed: ${failure.pallet}.${failure.error}${failure.remedy ? ` — ${failure.remedy}` : ''}`, {
      pallet: failure.pallet,
      error: failure.error,
      remedy: failure.remedy,
      preflight: failure.preflight ?? false,
      ...(failure.facts ? { facts: failure.facts } : {}),
      ...(failure.chainError ? { chainError: failure.chainError } : {}),
      ...extra,
    });
    this.pallet = failure.pallet;
    this.error = failure.error;
    this.remedy = failure.remedy;
    this.preflight = failure.preflight ?? false;
  }
}

/** Why the pool refused an extrinsic. */
export type PoolRejectionReason = 'Invalid' | 'PriorityTooLow' | 'Stale' | 'Future' | 'AlreadyImported' | 'Banned' | 'PoolFull' | 'Other';

/** The node's pool refused the extrinsic; nothing was included and no fee was spent. */
export class PoolRejectedError extends OperationError<'PoolRejected'> {
  readonly reason: PoolRejectionReason;
  readonly rpcCode: number | undefined;
  constructor(reason: PoolRejectionReason, rpcCode: number | undefined, message: string, cause?: unknown) {
    super('PoolRejected', `transaction pool rejected the extrinsic (${reason}): ${message}`, { reason, rpcCode, message }, { cause });
    this.reason = reason;
    this.rpcCode = rpcCode;
  }

  /** Whether a resubmission with a fresh nonce may succeed. */
  get retryable(): boolean {
    return this.reason === 'PriorityTooLow' || this.reason === 'Stale' || this.reason === 'AlreadyImported';
  }
}

/** The pool accepted the extrinsic, then reported it `Dropped`, `Invalid` or `Usurped`. */
export class TransactionDroppedError extends OperationError<'TransactionDropped'> {
  constructor(status: string, txHash: string) {
    super('TransactionDropped', `the extrinsic ${txHash} was reported ${status} by the pool`, { status, txHash });
  }
}

/** The extrinsic succeeded, but the event its result is read from is missing (the operation returns no invented value). */
export class EventMissingError extends OperationError<'EventMissing'> {
  constructor(operation: string, event: string, blockHash: string) {
    super('EventMissing', `${operation}: the extrinsic in block ${blockHash} succeeded but emitted no ${event} event to read its result from`, { operation, event, blockHash });
  }
}

/** Malformed operation parameters (checked locally, before anything is sent). */
export class InvalidParametersError extends OperationError<'InvalidParameters'> {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('InvalidParameters', message, details);
  }
}

/**
 * Classifies a pool rejection from the RPC error polkadot.js surfaces (`"1010: Invalid Transaction: Transaction is outdated"`,
 * `"1014: Priority is too low: …"`). Returns undefined for errors that are not pool rejections.
 */
export function classifyPoolError(err: unknown): PoolRejectedError | undefined {
  if (err instanceof PoolRejectedError) return err;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const match = /^(\d{4}):\s*(.*)$/s.exec(message);
  if (!match) return undefined;
  const rpcCode = Number(match[1]);
  const text = match[2]!;
  let reason: PoolRejectionReason;
  if (rpcCode === 1014 || /priority is too low/i.test(text)) reason = 'PriorityTooLow';
  else if (/outdated|stale/i.test(text)) reason = 'Stale';
  else if (/future/i.test(text)) reason = 'Future';
  else if (rpcCode === 1013) reason = 'AlreadyImported';
  else if (rpcCode === 1012) reason = 'Banned';
  else if (rpcCode === 1016) reason = 'PoolFull';
  else if (rpcCode === 1010) reason = 'Invalid';
  else reason = 'Other';
  return new PoolRejectedError(reason, rpcCode, text, err);
}
