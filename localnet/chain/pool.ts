/**
 * The transaction pool: signed extrinsics per sender in nonce order. A transaction is *ready* when its
 * nonce continues the sender's run from the account's next nonce; the others are *future* and wait for
 * the nonces before them.
 *
 * It defends itself the way Substrate's pool does (sc-transaction-pool), so that no one can jam it:
 * - a sender must be able to pay: its free balance covers the fees and tips of everything it has
 *   queued, ready and future, plus the existential deposit (1010 "Inability to pay some fees");
 * - future transactions are bounded per sender and pool-wide (a tenth of the pool, as Substrate
 *   sizes its future queue from `--pool-limit`), and dropped after a longevity in blocks;
 * - when a limit is reached, the worst transaction goes: future before ready, then lower priority
 *   (the tip), then the later arrival. A newcomer that would be the worst itself is refused with
 *   1016 "Immediately Dropped".
 */
import type { TransactionStatus } from './backend';
import type { CheckedExtrinsic } from './extrinsic';
import type { Hex } from '../runtime/primitives';
import { TransactionValidityError } from '../runtime/errors';
import { TensornetError } from '../../common/errors';
import { BinaryHeap } from './binary-heap';

/** The pool's bounds. Defaults follow a Substrate node's (`--pool-limit 8192`, `--pool-kbytes 20480`). */
export interface PoolLimits {
  /** Transactions in the pool, ready and future. */
  readonly maxTransactions: number;
  /** Bytes of encoded extrinsics in the pool. */
  readonly maxBytes: number;
  /** Future transactions, pool-wide. @default maxTransactions / 10 */
  readonly maxFuture: number;
  /** Bytes of future transactions, pool-wide. @default maxBytes / 10 */
  readonly maxFutureBytes: number;
  /** Future transactions one sender may hold. */
  readonly maxFuturePerSender: number;
  /** How far ahead of the account's next nonce a transaction may be. */
  readonly maxNonceGap: number;
  /** Blocks a transaction may stay future (waiting for an earlier nonce) before it is dropped. */
  readonly futureLongevityBlocks: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = Object.freeze({
  maxTransactions: 8192,
  maxBytes: 20 * 1024 * 1024,
  maxFuture: 819,
  maxFutureBytes: 2 * 1024 * 1024,
  maxFuturePerSender: 16,
  maxNonceGap: 64,
  futureLongevityBlocks: 64,
});

export class PoolLimitsError extends TensornetError<'InvalidPoolLimits'> {}

/** Fills in `partial` from the defaults; future limits left unset are a tenth of the total ones. */
export function resolvePoolLimits(partial: Partial<PoolLimits> = {}): PoolLimits {
  const maxTransactions = partial.maxTransactions ?? DEFAULT_POOL_LIMITS.maxTransactions;
  const maxBytes = partial.maxBytes ?? DEFAULT_POOL_LIMITS.maxBytes;
  const limits: PoolLimits = {
    maxTransactions,
    maxBytes,
    maxFuture: partial.maxFuture ?? Math.floor(maxTransactions / 10),
    maxFutureBytes: partial.maxFutureBytes ?? Math.floor(maxBytes / 10),
    maxFuturePerSender: partial.maxFuturePerSender ?? DEFAULT_POOL_LIMITS.maxFuturePerSender,
    maxNonceGap: partial.maxNonceGap ?? DEFAULT_POOL_LIMITS.maxNonceGap,
    futureLongevityBlocks: partial.futureLongevityBlocks ?? DEFAULT_POOL_LIMITS.futureLongevityBlocks,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new PoolLimitsError('InvalidPoolLimits', `pool limit ${name} must be a non-negative integer (got ${value})`, { name, value });
  }
  if (limits.maxTransactions < 1) throw new PoolLimitsError('InvalidPoolLimits', 'pool limit maxTransactions must be at least 1', { name: 'maxTransactions', value: limits.maxTransactions });
  return Object.freeze(limits);
}

/**
 * The pool's refusals with Substrate's RPC codes (sc-rpc-api `author::error`): 1012 temporarily
 * banned, 1013 already imported, 1014 priority too low, 1016 immediately dropped.
 */
export type PoolErrorCode = 1012 | 1013 | 1014 | 1016;

export class PoolError extends TransactionValidityError {
  /**
   * @param rpcMessage the JSON-RPC error `message` Substrate sends for this refusal
   * @param rpcData its `data`: Substrate's text, with localnet's particulars where they help
   */
  constructor(
    readonly rpcCode: PoolErrorCode,
    readonly rpcMessage: string,
    readonly rpcData?: string,
  ) {
    super('Call', rpcData === undefined ? rpcMessage : `${rpcMessage}: ${rpcData}`);
  }
}

export interface PooledTransaction {
  readonly ext: CheckedExtrinsic;
  readonly onStatus?: (status: TransactionStatus) => void;
}

/** What the chain knows about the sender when a transaction arrives. */
export interface Admission {
  /** The account's next nonce at the best block. */
  readonly accountNonce: number;
  /** Free balance minus the existential deposit (negative when below it): what fees may use. */
  readonly payable: bigint;
  /** This transaction's fee plus tip. */
  readonly fee: bigint;
  /** The best block's number (the clock of the future-transaction longevity). */
  readonly blockNumber: number;
}

/** The pool's occupancy. */
export interface PoolStatus {
  readonly transactions: number;
  readonly ready: number;
  readonly future: number;
  /** Bytes of encoded extrinsics. */
  readonly bytes: number;
  readonly futureBytes: number;
  readonly senders: number;
}

interface Entry extends PooledTransaction {
  readonly fee: bigint;
  readonly priority: bigint;
  readonly size: number;
  /** Block number at admission. */
  readonly importedAt: number;
  /** Arrival order. */
  readonly seq: number;
}

/** One sender's transactions; `readyEnd` is the first nonce after its ready run. */
interface SenderQueue {
  readonly txs: Map<number, Entry>;
  accountNonce: number;
  readyEnd: number;
  fees: bigint;
  futureCount: number;
  futureBytes: number;
  /** The last transaction of the ready run: the one ready transaction eviction may take. */
  tail: Entry | undefined;
}

/** Whether `a` goes before `b` when the pool must shed: future before ready, then low priority, then late arrival. */
function ranksBelow(aFuture: boolean, a: Entry, bFuture: boolean, b: Entry): boolean {
  if (aFuture !== bFuture) return aFuture;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq > b.seq;
}

/** An eviction candidate as it was queued; stale once the entry left that class (checked when it surfaces). */
interface Candidate {
  readonly entry: Entry;
  readonly future: boolean;
}

const IMMEDIATELY_DROPPED = "The transaction couldn't enter the pool because of the limit";

export class TransactionPool {
  readonly limits: PoolLimits;
  private readonly bySender = new Map<string, SenderQueue>();
  private readonly byHash = new Map<Hex, Entry>();
  /** The eviction candidates: future transactions and the last of each ready run. */
  private readonly futures = new Set<Entry>();
  private readonly tails = new Set<Entry>();
  /** The candidates, worst first (lazily cleaned), so a full pool finds its victim in O(log n). */
  private readonly evictionOrder = new BinaryHeap<Candidate>((a, b) => ranksBelow(a.future, a.entry, b.future, b.entry));
  private bytes = 0;
  private futureBytes = 0;
  private nextSeq = 0;

  constructor(limits: Partial<PoolLimits> = {}) {
    this.limits = resolvePoolLimits(limits);
  }

  get size(): number {
    return this.byHash.size;
  }

  has(hash: Hex): boolean {
    return this.byHash.has(hash);
  }

  status(): PoolStatus {
    return {
      transactions: this.byHash.size,
      ready: this.byHash.size - this.futures.size,
      future: this.futures.size,
      bytes: this.bytes,
      futureBytes: this.futureBytes,
      senders: this.bySender.size,
    };
  }

  /**
   * Queues a signed extrinsic whose nonce is at least `admission.accountNonce`, or throws why not:
   * `PoolError` (1013, 1014, 1016) or `TransactionValidityError` (`Payment`, `Future` beyond the gap).
   */
  add(tx: PooledTransaction, admission: Admission): void {
    const signed = tx.ext.signed!;
    const { limits } = this;
    if (this.byHash.has(tx.ext.hash)) throw new PoolError(1013, 'Transaction Already Imported', tx.ext.hash);
    if (signed.nonce > admission.accountNonce + limits.maxNonceGap) {
      throw new TransactionValidityError('Future', `nonce ${signed.nonce} is more than ${limits.maxNonceGap} ahead of the account's next nonce ${admission.accountNonce}`);
    }
    const queue = this.bySender.get(signed.signer);
    if (queue && queue.accountNonce !== admission.accountNonce) {
      queue.accountNonce = admission.accountNonce;
      this.refresh(queue);
    }
    const replaced = queue?.txs.get(signed.nonce);
    if (replaced && signed.tip <= replaced.priority) {
      throw new PoolError(1014, `Priority is too low: (${replaced.priority} vs ${signed.tip})`, 'The transaction has too low priority to replace another transaction already in the pool.');
    }
    const queuedFees = (queue?.fees ?? 0n) - (replaced?.fee ?? 0n) + admission.fee;
    if (queuedFees > 0n && queuedFees > admission.payable) {
      const count = (queue?.txs.size ?? 0) + (replaced ? 0 : 1);
      throw new TransactionValidityError(
        'Payment',
        `Inability to pay some fees (e.g. account balance too low): ${count} queued transaction(s) of this account need ${queuedFees} rao of fees and tips, and ${admission.payable > 0n ? admission.payable : 0n} rao is free above the existential deposit`,
      );
    }

    const readyEnd = queue?.readyEnd ?? admission.accountNonce;
    const isFuture = signed.nonce > readyEnd;
    // Futures a ready newcomer would promote (the run right after it), which leave the future counts.
    let promoted = 0;
    let promotedBytes = 0;
    if (!isFuture && signed.nonce === readyEnd && queue) {
      for (let n = signed.nonce + 1; queue.txs.has(n); n++) {
        promoted++;
        promotedBytes += queue.txs.get(n)!.size;
      }
    }
    if (isFuture && !replaced && (queue?.futureCount ?? 0) >= limits.maxFuturePerSender) {
      throw new PoolError(1016, 'Immediately Dropped', `${IMMEDIATELY_DROPPED} (at most ${limits.maxFuturePerSender} transactions per account may wait for an earlier nonce)`);
    }

    const entry: Entry = { ...tx, fee: admission.fee, priority: signed.tip, size: tx.ext.bytes.length, importedAt: admission.blockNumber, seq: this.nextSeq++ };
    const victims = this.victimsFor(entry, { isFuture, replaced, promoted, promotedBytes, sender: signed.signer });

    for (const victim of victims) {
      this.remove(victim.ext.hash);
      victim.onStatus?.({ type: 'dropped', reason: 'evicted: the pool was full and this transaction ranked lowest (waiting for an earlier nonce, then by tip)' });
    }
    if (replaced) {
      this.remove(replaced.ext.hash);
      replaced.onStatus?.({ type: 'dropped', reason: 'replaced by a transaction with a higher tip' });
    }
    this.insert(entry, admission.accountNonce);
  }

  remove(hash: Hex): PooledTransaction | undefined {
    const entry = this.byHash.get(hash);
    if (!entry) return undefined;
    const signed = entry.ext.signed!;
    const queue = this.bySender.get(signed.signer)!;
    this.byHash.delete(hash);
    queue.txs.delete(signed.nonce);
    queue.fees -= entry.fee;
    this.bytes -= entry.size;
    if (this.futures.delete(entry)) {
      queue.futureCount--;
      queue.futureBytes -= entry.size;
      this.futureBytes -= entry.size;
    }
    this.refresh(queue);
    if (queue.txs.size === 0) this.bySender.delete(signed.signer);
    return entry;
  }

  /** The sender's next nonce counting the contiguous run of pooled transactions from `accountNonce`. */
  nextNonce(sender: string, accountNonce: number): number {
    const queue = this.bySender.get(sender);
    let n = accountNonce;
    while (queue?.txs.has(n)) n++;
    return n;
  }

  /**
   * Ready transactions for a block: each sender's in nonce order, senders interleaved round-robin,
   * in each round the higher tip first (arrival order among equals).
   */
  ready(accountNonce: (sender: string) => number): PooledTransaction[] {
    const runs: Entry[][] = [];
    for (const [sender, queue] of this.bySender) {
      const run: Entry[] = [];
      for (let n = accountNonce(sender); queue.txs.has(n); n++) run.push(queue.txs.get(n)!);
      if (run.length > 0) runs.push(run);
    }
    const out: PooledTransaction[] = [];
    for (let i = 0; ; i++) {
      const round = runs.filter((r) => i < r.length).map((r) => r[i]!);
      if (round.length === 0) break;
      round.sort((a, b) => (a.priority === b.priority ? 0 : a.priority > b.priority ? -1 : 1));
      out.push(...round);
    }
    return out;
  }

  /**
   * After a block: drops transactions whose nonce was used, whose mortal era ended, or that waited
   * for an earlier nonce longer than the longevity, and reclassifies the rest.
   */
  prune(accountNonce: (sender: string) => number, nextBlock: number): void {
    for (const [sender, queue] of [...this.bySender]) {
      const next = accountNonce(sender);
      if (next !== queue.accountNonce) {
        queue.accountNonce = next;
        this.refresh(queue);
      }
      for (const [nonce, entry] of [...queue.txs]) {
        const validity = entry.ext.signed!.validity;
        let reason: string | undefined;
        if (nonce < next) reason = `nonce ${nonce} was used by another transaction`;
        else if (validity && nextBlock > validity.death) reason = `mortal era ended at block ${validity.death}`;
        else if (nonce >= queue.readyEnd && nextBlock - entry.importedAt > this.limits.futureLongevityBlocks) {
          reason = `waited ${this.limits.futureLongevityBlocks} blocks for nonce ${queue.readyEnd} of its sender (future-transaction longevity)`;
        }
        if (reason === undefined) continue;
        this.remove(entry.ext.hash);
        entry.onStatus?.({ type: 'dropped', reason });
      }
    }
  }

  pending(): CheckedExtrinsic[] {
    return [...this.byHash.values()].map((t) => t.ext);
  }

  // ---- internals ---------------------------------------------------------------------------------

  private insert(entry: Entry, accountNonce: number): void {
    const signed = entry.ext.signed!;
    let queue = this.bySender.get(signed.signer);
    if (!queue) {
      queue = { txs: new Map(), accountNonce, readyEnd: accountNonce, fees: 0n, futureCount: 0, futureBytes: 0, tail: undefined };
      this.bySender.set(signed.signer, queue);
    }
    queue.txs.set(signed.nonce, entry);
    queue.fees += entry.fee;
    this.byHash.set(entry.ext.hash, entry);
    this.bytes += entry.size;
    this.refresh(queue);
  }

  /** Recomputes a sender's ready run, its future transactions and its tail (and the pool's sets). */
  private refresh(queue: SenderQueue): void {
    let end = queue.accountNonce;
    while (queue.txs.has(end)) end++;
    queue.readyEnd = end;
    for (const [nonce, entry] of queue.txs) {
      const future = nonce > end;
      if (future === this.futures.has(entry)) continue;
      const sign = future ? 1 : -1;
      if (future) {
        this.futures.add(entry);
        this.enqueueCandidate({ entry, future: true });
      } else {
        this.futures.delete(entry);
      }
      queue.futureCount += sign;
      queue.futureBytes += sign * entry.size;
      this.futureBytes += sign * entry.size;
    }
    const tail = end > queue.accountNonce ? queue.txs.get(end - 1) : undefined;
    if (tail !== queue.tail) {
      if (queue.tail) this.tails.delete(queue.tail);
      if (tail) {
        this.tails.add(tail);
        this.enqueueCandidate({ entry: tail, future: false });
      }
      queue.tail = tail;
    }
  }

  private isCandidate(c: Candidate): boolean {
    return c.future ? this.futures.has(c.entry) : this.tails.has(c.entry);
  }

  /** Queues a candidate; rebuilds the heap from the live sets once stale ones outnumber them. */
  private enqueueCandidate(c: Candidate): void {
    this.evictionOrder.push(c);
    const live = this.futures.size + this.tails.size;
    if (this.evictionOrder.size > 2 * live + 1024) {
      this.evictionOrder.rebuild([...[...this.futures].map((entry) => ({ entry, future: true })), ...[...this.tails].map((entry) => ({ entry, future: false }))]);
    }
  }

  /**
   * The transactions to evict so that `entry` fits, or a 1016 refusal when `entry` itself ranks lowest.
   * Candidates are every future transaction and the last of each ready run (removing it leaves no
   * other transaction without its predecessor), never the newcomer's own sender's.
   */
  private victimsFor(
    entry: Entry,
    change: { readonly isFuture: boolean; readonly replaced: Entry | undefined; readonly promoted: number; readonly promotedBytes: number; readonly sender: string },
  ): Entry[] {
    const { limits } = this;
    let total = this.byHash.size + (change.replaced ? 0 : 1);
    let bytes = this.bytes + entry.size - (change.replaced?.size ?? 0);
    const replacedFuture = change.replaced !== undefined && change.isFuture;
    let future = this.futures.size - change.promoted + (change.isFuture && !replacedFuture ? 1 : 0);
    let futureBytes = this.futureBytes - change.promotedBytes + (change.isFuture ? entry.size - (replacedFuture ? change.replaced!.size : 0) : 0);
    const overFuture = (): boolean => future > limits.maxFuture || futureBytes > limits.maxFutureBytes;
    const overTotal = (): boolean => total > limits.maxTransactions || bytes > limits.maxBytes;

    const victims: Entry[] = [];
    // Candidates taken off the heap while choosing: the newcomer's own sender's, and the victims.
    const held: Candidate[] = [];
    const restore = (): void => {
      for (const c of held) this.evictionOrder.push(c);
    };
    while (overFuture() || overTotal()) {
      const futuresOnly = overFuture();
      let pick: Candidate | undefined;
      for (let top = this.evictionOrder.peek(); top !== undefined; top = this.evictionOrder.peek()) {
        if (!this.isCandidate(top)) {
          this.evictionOrder.pop();
        } else if (top.entry.ext.signed!.signer === change.sender || victims.includes(top.entry)) {
          held.push(this.evictionOrder.pop()!);
        } else {
          pick = top;
          break;
        }
      }
      if (!pick || (futuresOnly && !pick.future) || !ranksBelow(pick.future, pick.entry, change.isFuture, entry)) {
        restore();
        const which = futuresOnly
          ? `${limits.maxFuture} transactions or ${limits.maxFutureBytes} bytes waiting for an earlier nonce`
          : `${limits.maxTransactions} transactions or ${limits.maxBytes} bytes`;
        throw new PoolError(1016, 'Immediately Dropped', `${IMMEDIATELY_DROPPED} (${which}, and none queued ranks below this one)`);
      }
      held.push(this.evictionOrder.pop()!);
      victims.push(pick.entry);
      total--;
      bytes -= pick.entry.size;
      if (pick.future) {
        future--;
        futureBytes -= pick.entry.size;
      }
    }
    // The victims' candidates go stale when they are removed; the others go back.
    restore();
    return victims;
  }
}
