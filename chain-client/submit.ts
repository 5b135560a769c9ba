/**
 * `submit()`: sign an extrinsic, hand it to the pool with a managed nonce, wait (bounded) for its
 * inclusion or finalization, and return a typed result — or a typed error for a failed dispatch
 * (pallet error name + remedy), a pool rejection or a dropped transaction.
 */
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import type { DispatchError, EventRecord } from '@polkadot/types/interfaces';
import { Balance } from './balance';
import type { ChainClient } from './connect';
import { RequestTimeoutError } from './errors';
import { nonceManager, type NonceRetryOptions } from './nonce';
import { redactUrl } from './network';
import { DispatchFailedError, classifyPoolError, InvalidParametersError, PoolRejectedError, TransactionDroppedError, withCurrentErrorName, type DispatchFailure } from './operations/errors';
import { remedyFor, type RemedyContext } from './operations/remedy';
import type { Keypair } from './wallet/keypair';
import { withTimeout } from './timeout';

/** A signing key: a @polkadot/keyring pair, or a wallet keypair that holds one. */
export type Signer = KeyringPair | Keypair;

/** How long {@link submit} waits: until the extrinsic is in a block (default) or in a finalized block. */
export type WaitFor = 'inBlock' | 'finalized';

/** Parameters of {@link submit}. */
export interface SubmitParameters {
  /** The call to send (built on `client.api.tx`); it is re-signed for each attempt. */
  readonly tx: SubmittableExtrinsic<'promise'>;
  readonly signer: Signer;
  /** @default 'inBlock' */
  readonly waitFor?: WaitFor;
  /** The longest wait for inclusion/finalization after the pool accepted the extrinsic. @default client.timeoutMs */
  readonly timeoutMs?: number;
  /** An explicit nonce; skips nonce management and retries. */
  readonly nonce?: number;
  /** Tip in rao. @default 0n */
  readonly tip?: bigint;
  /** Retry policy on "priority too low" / stale nonce. */
  readonly retry?: NonceRetryOptions;
  /** Facts for building a remedy when the dispatch fails (netuid, hotkey …). */
  readonly remedyContext?: RemedyContext;
}

/** One event emitted by the extrinsic. */
export interface ChainEvent {
  /** Pallet name as in metadata, e.g. `SubtensorModule`. */
  readonly pallet: string;
  /** Event name, e.g. `WeightsSet`. */
  readonly name: string;
  /** The event fields as JSON (numbers above 2^53 as hex strings, accounts as SS58). */
  readonly data: readonly unknown[];
}

/** The outcome of an included, successful extrinsic. */
export interface SubmitResult {
  readonly txHash: string;
  readonly blockHash: string;
  readonly blockNumber: number;
  /** The fee actually paid (TransactionPayment.TransactionFeePaid), zero when the runtime emitted none. */
  readonly fee: Balance;
  readonly events: readonly ChainEvent[];
  readonly nonce: number;
}

/** Errors {@link submit} throws. */
export type SubmitErrorType = DispatchFailedError | PoolRejectedError | TransactionDroppedError | RequestTimeoutError | InvalidParametersError;

/** The signing pair of a {@link Signer}. @throws InvalidParametersError for a public-only wallet key */
export function signingPair(signer: Signer): KeyringPair {
  if ('sign' in signer && typeof signer.sign === 'function') return signer as KeyringPair;
  const pair = (signer as Keypair).pair;
  if (!pair) throw new InvalidParametersError(`the key ${(signer as Keypair).address} is public-only and cannot sign`, { address: (signer as Keypair).address });
  return pair;
}

/**
 * Signs `tx`, submits it and waits until it is in a block (or finalized). Nonces come from the
 * client's {@link nonceManager}, so concurrent submissions from one key do not clash.
 * @throws DispatchFailedError (with `pallet`, `error`, `remedy`), PoolRejectedError, TransactionDroppedError,
 * RequestTimeoutError (no inclusion within `timeoutMs`)
 * @example
 * const result = await submit(client, { tx: client.api.tx.balances.transferKeepAlive(dest, 10n ** 9n), signer: alice });
 * console.log(result.blockNumber, result.fee.toString());
 */
export async function submit(client: ChainClient, params: SubmitParameters): Promise<SubmitResult> {
  const pair = signingPair(params.signer);
  const waitFor = params.waitFor ?? 'inBlock';
  const timeoutMs = params.timeoutMs ?? client.timeoutMs;
  const method = `${params.tx.method.section}.${params.tx.method.method}`;

  let settle: (r: ISubmittableResult) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const outcome = new Promise<ISubmittableResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  outcome.catch(() => undefined);

  let txHash = '';
  let usedNonce = -1;
  const send = async (nonce: number): Promise<() => void> => {
    const fresh = client.api.tx(client.api.createType('Call', params.tx.method.toU8a()));
    const pending = fresh.signAndSend(pair, { nonce, tip: params.tip ?? 0n }, (result) => {
      const status = result.status;
      if ((waitFor === 'inBlock' && status.isInBlock) || status.isFinalized) settle(result);
      else if (status.isDropped || status.isInvalid || status.isUsurped || status.isFinalityTimeout) {
        nonceManager(client).reset(pair.address);
        fail(new TransactionDroppedError(status.type, fresh.hash.toHex()));
      }
    });
    let unsub: () => void;
    try {
      unsub = await client.request(`author_submitAndWatchExtrinsic ${method}`, () => pending);
    } catch (err) {
      // A subscription that opens after the timeout must not outlive the call.
      pending.then((late) => late(), () => undefined);
      throw err;
    }
    txHash = fresh.hash.toHex();
    usedNonce = nonce;
    return unsub;
  };

  const unsub =
    params.nonce !== undefined
      ? await send(params.nonce).catch((err: unknown) => {
          throw classifyPoolError(err) ?? err;
        })
      : await nonceManager(client).withNonce(pair.address, send, params.retry);
  let result: ISubmittableResult;
  try {
    result = await withTimeout(outcome, timeoutMs, `${method} (waiting for ${waitFor})`, redactUrl(client.network.url));
  } finally {
    unsub();
  }

  const blockHash = (waitFor === 'inBlock' && result.status.isInBlock ? result.status.asInBlock : result.status.asFinalized).toHex();
  const events = result.events.map(toChainEvent);
  if (result.dispatchError) {
    const failure = describeDispatchError(client, result.dispatchError);
    const remedy = failure.pallet === 'Module' ? undefined : await remedyFor(client, failure.pallet, failure.error, { ...params.remedyContext, coldkey: params.remedyContext?.coldkey ?? pair.address });
    throw new DispatchFailedError({ ...failure, ...(remedy ? { remedy: remedy.remedy, facts: remedy.facts } : {}) }, { blockHash });
  }
  const header = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader(blockHash));
  return { txHash, blockHash, blockNumber: header.number.toNumber(), fee: feeOf(result.events), events, nonce: usedNonce };
}

/** Names a `DispatchError`: module errors by pallet and error name (today's name for an older runtime's spelling), others by variant. */
export function describeDispatchError(client: ChainClient, err: DispatchError): DispatchFailure {
  if (err.isModule) {
    try {
      const meta = client.api.registry.findMetaError(err.asModule);
      return withCurrentErrorName({ pallet: meta.section.charAt(0).toUpperCase() + meta.section.slice(1), error: meta.name });
    } catch {
      return { pallet: 'Module', error: JSON.stringify(err.asModule.toJSON()) };
    }
  }
  const inner = (err as unknown as { value: { toString(): string } }).value;
  const detail = inner && typeof inner.toString === 'function' ? inner.toString() : '';
  return { pallet: err.type, error: detail && detail !== '[]' ? detail : err.type };
}

function toChainEvent(record: EventRecord): ChainEvent {
  const { event } = record;
  const pallet = event.section.charAt(0).toUpperCase() + event.section.slice(1);
  return { pallet, name: event.method, data: event.data.map((d) => d.toJSON()) };
}

function feeOf(records: readonly EventRecord[]): Balance {
  for (const { event } of records) {
    if (event.section === 'transactionPayment' && event.method === 'TransactionFeePaid') return Balance.fromRao(BigInt(event.data[1]!.toString()));
  }
  return Balance.ZERO;
}
