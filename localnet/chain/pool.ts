/**
 * The transaction pool: signed extrinsics per sender in nonce order. A transaction is ready when its
 * nonce continues the sender's chain from the account's next nonce; future ones wait (up to a bound).
 */
import type { CheckedExtrinsic } from './extrinsic';
import type { TransactionStatus } from './backend';
import type { Hex } from '../runtime/primitives';
import { TransactionValidityError } from '../runtime/errors';

/** How far ahead of the account's nonce a transaction may be queued. */
export const MAX_FUTURE_NONCE_GAP = 64;
/** Pool capacity (transactions). */
export const POOL_LIMIT = 8192;

export interface PooledTransaction {
  readonly ext: CheckedExtrinsic;
  readonly onStatus?: (status: TransactionStatus) => void;
}

/** Pool errors with substrate's RPC codes: 1012 temporarily banned, 1013 already imported, 1014 priority too low, 1016 pool full. */
export class PoolError extends TransactionValidityError {
  constructor(
    readonly rpcCode: 1012 | 1013 | 1014 | 1016,
    message: string,
  ) {
    super('Call', message);
  }
}

export class TransactionPool {
  private readonly bySender = new Map<string, Map<number, PooledTransaction>>();
  private readonly byHash = new Map<Hex, PooledTransaction>();

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  /** Queues a signed extrinsic whose nonce is at least `accountNonce`. */
  add(tx: PooledTransaction, accountNonce: number): void {
    const signed = tx.ext.signed!;
    if (this.byHash.has(tx.ext.hash)) throw new PoolError(1013, 'Transaction Already Imported');
    if (signed.nonce > accountNonce + MAX_FUTURE_NONCE_GAP) {
      throw new TransactionValidityError('Future', `nonce ${signed.nonce} is more than ${MAX_FUTURE_NONCE_GAP} ahead of the account's next nonce ${accountNonce}`);
    }
    let queue = this.bySender.get(signed.signer);
    const existing = queue?.get(signed.nonce);
    if (existing) {
      if (signed.tip <= existing.ext.signed!.tip) throw new PoolError(1014, 'Priority is too low: (a transaction with the same sender and nonce is already in the pool)');
      this.remove(existing.ext.hash);
      existing.onStatus?.({ type: 'dropped', reason: 'replaced by a transaction with a higher tip' });
      queue = this.bySender.get(signed.signer);
    }
    if (this.byHash.size >= POOL_LIMIT) throw new PoolError(1016, 'Transaction pool is full');
    if (!queue) {
      queue = new Map();
      this.bySender.set(signed.signer, queue);
    }
    queue.set(signed.nonce, tx);
    this.byHash.set(tx.ext.hash, tx);
  }

  remove(hash: Hex): PooledTransaction | undefined {
    const tx = this.byHash.get(hash);
    if (!tx) return undefined;
    this.byHash.delete(hash);
    const signed = tx.ext.signed!;
    const queue = this.bySender.get(signed.signer);
    queue?.delete(signed.nonce);
    if (queue?.size === 0) this.bySender.delete(signed.signer);
    return tx;
  }

  /** The sender's next nonce counting the contiguous run of pooled transactions from `accountNonce`. */
  nextNonce(sender: string, accountNonce: number): number {
    const queue = this.bySender.get(sender);
    let n = accountNonce;
    while (queue?.has(n)) n++;
    return n;
  }

  /** Ready transactions, round-robin over senders in arrival order, each sender's in nonce order. */
  ready(accountNonce: (sender: string) => number): PooledTransaction[] {
    const runs: PooledTransaction[][] = [];
    for (const [sender, queue] of this.bySender) {
      const run: PooledTransaction[] = [];
      for (let n = accountNonce(sender); queue.has(n); n++) run.push(queue.get(n)!);
      if (run.length > 0) runs.push(run);
    }
    const out: PooledTransaction[] = [];
    for (let i = 0; runs.some((r) => i < r.length); i++) for (const r of runs) if (i < r.length) out.push(r[i]!);
    return out;
  }

  /** Drops transactions whose nonce is below the account's (already used) or whose era has ended. */
  prune(accountNonce: (sender: string) => number, nextBlock: number): void {
    for (const [sender, queue] of [...this.bySender]) {
      const next = accountNonce(sender);
      for (const [nonce, tx] of [...queue]) {
        const validity = tx.ext.signed!.validity;
        if (nonce < next) {
          this.remove(tx.ext.hash);
          tx.onStatus?.({ type: 'dropped', reason: `nonce ${nonce} was used by another transaction` });
        } else if (validity && nextBlock > validity.death) {
          this.remove(tx.ext.hash);
          tx.onStatus?.({ type: 'dropped', reason: `mortal era ended at block ${validity.death}` });
        }
      }
    }
  }

  pending(): CheckedExtrinsic[] {
    return [...this.byHash.values()].map((t) => t.ext);
  }
}
