/**
 * frame_executive: block initialization, extrinsic application (nonce, fee, transactional dispatch,
 * `ExtrinsicSuccess`/`ExtrinsicFailed`), and finalization.
 */
import type { CheckedExtrinsic } from '../chain/extrinsic';
import type { RuntimeContext } from './context';
import { DispatchError, TransactionValidityError } from './errors';
import type { Dispatcher } from './dispatch';
import { runtimeItems } from './items';
import { freeBalance, withdraw, EXISTENTIAL_DEPOSIT } from './pallets/balances';
import { getAccount, incrementNonce } from './pallets/system';
import { computeFee, dispatchInfo } from './pallets/transaction-payment';
import type { DispatchInfo, Origin } from './primitives';
import { callWeight } from './weights';

export interface ApplyResult {
  readonly info: DispatchInfo;
  readonly fee: bigint;
  /** Set when the call failed (the extrinsic is still included and its fee paid). */
  readonly error: DispatchError | null;
}

export function extrinsicInfo(ext: CheckedExtrinsic): DispatchInfo {
  return dispatchInfo(callWeight(ext.pallet, ext.method));
}

/** What a signed extrinsic pays: the fee for its weight and length (nothing for `Pays::No` calls) plus its tip. */
export function transactionFee(ext: CheckedExtrinsic): bigint {
  return computeFee(extrinsicInfo(ext), ext.bytes.length).partialFee + (ext.signed?.tip ?? 0n);
}

/**
 * The checks a signed transaction must pass against a state before it may be applied: the nonce is
 * the account's next one, and the free balance covers fee + tip while keeping the existential deposit.
 * Returns the fee. Throws `TransactionValidityError` (`Stale`, `Future`, `Payment`).
 */
export function validateSigned(ctx: RuntimeContext, ext: CheckedExtrinsic): bigint {
  const signed = ext.signed!;
  const nonce = getAccount(ctx, signed.signer).nonce;
  if (signed.nonce < nonce) throw new TransactionValidityError('Stale', `nonce ${signed.nonce} is stale (the account's next nonce is ${nonce})`);
  if (signed.nonce > nonce) throw new TransactionValidityError('Future', `nonce ${signed.nonce} is in the future (the account's next nonce is ${nonce})`);
  const fee = transactionFee(ext);
  if (fee > 0n) {
    const free = freeBalance(ctx, signed.signer);
    if (free < fee + EXISTENTIAL_DEPOSIT) {
      throw new TransactionValidityError('Payment', `Inability to pay some fees (e.g. account balance too low): balance ${free} rao, fee ${fee} rao, existential deposit ${EXISTENTIAL_DEPOSIT} rao`);
    }
  }
  return fee;
}

/**
 * Applies one extrinsic in `ctx` at position `index`. Throws `TransactionValidityError` when it is not
 * applicable (then nothing changed and it must not be included).
 */
export function applyExtrinsic(ctx: RuntimeContext, dispatcher: Dispatcher, ext: CheckedExtrinsic, index: number): ApplyResult {
  ctx.phase = { ApplyExtrinsic: index };
  const info = extrinsicInfo(ext);
  let fee = 0n;
  let origin: Origin = { kind: 'none' };
  if (ext.signed) {
    fee = validateSigned(ctx, ext);
    const who = ext.signed.signer;
    incrementNonce(ctx, who);
    if (fee > 0n) {
      withdraw(ctx, who, fee, true);
      const { TotalIssuance } = runtimeItems().SubtensorModule;
      const total = TotalIssuance.get(ctx.state);
      TotalIssuance.set(ctx.state, total > fee ? total - fee : 0n);
    }
    origin = { kind: 'signed', who };
  } else if (info.class !== 'Mandatory') {
    throw new TransactionValidityError('Call', `${ext.pallet}.${ext.method} cannot be submitted unsigned`);
  }

  let error: DispatchError | null = null;
  try {
    ctx.transactional(() => dispatcher.dispatch(ctx, origin, ext.call));
  } catch (err) {
    if (!(err instanceof DispatchError)) throw err;
    error = err;
  }
  if (ext.signed && fee > 0n) {
    ctx.deposit({ TransactionPayment: { TransactionFeePaid: { who: ext.signed.signer, actual_fee: fee, tip: ext.signed.tip } } });
  }
  ctx.deposit(error ? { System: { ExtrinsicFailed: { dispatch_error: error.value, dispatch_info: info } } } : { System: { ExtrinsicSuccess: { dispatch_info: info } } });
  return { info, fee, error };
}
