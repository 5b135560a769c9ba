/**
 * Optimistic verification: instead of sending every task to several miners (redundant computation), the
 * validator re-checks a random `fraction` of answers against a reference and penalizes a mismatch heavily:
 * the answer scores 0 and so does every answer of that miner for the next `penaltyTasks` tasks. With a
 * fraction f and penalty P, a miner cheating on a share c of tasks expects to lose about c·f·P tasks'
 * rewards per task it cheats on: cheating pays only when f·P < 1, so the default P makes even f = 5% deter.
 * Which answers are checked is drawn from the CSPRNG, so miners cannot tell.
 */
import { randomInt } from 'node:crypto';
import type { SubnetTask, VerificationSpec } from './define';

export interface VerifierOptions {
  /** Tasks a mismatching miner scores 0 for. @default 50 */
  readonly penaltyTasks?: number;
  /** Uniform [0, 1) draws deciding which answers are checked. @default the CSPRNG */
  readonly random?: () => number;
}

export type VerificationOutcome = 'unchecked' | 'passed' | 'failed' | 'uncheckable';

export class Verifier<Req, Ref, Res> {
  private readonly penaltyTasks: number;
  private readonly random: () => number;
  /** hotkey → tasks left to serve. */
  private readonly penalties = new Map<string, number>();
  private readonly counts = { checked: 0, failed: 0, uncheckable: 0, errors: 0 };
  /** The last error a check threw (for logs). */
  lastError: unknown = undefined;

  constructor(private readonly spec: VerificationSpec<Req, Ref, Res>, options: VerifierOptions = {}) {
    this.penaltyTasks = options.penaltyTasks ?? 50;
    this.random = options.random ?? (() => randomInt(0, 2 ** 47) / 2 ** 47);
    if (!(Number.isInteger(this.penaltyTasks) && this.penaltyTasks >= 0)) throw new RangeError(`penaltyTasks must be an integer ≥ 0, got ${this.penaltyTasks}`);
  }

  /** Checks the answer when drawn; a failed check starts the miner's penalty. */
  async verify(task: SubnetTask<Req, Ref>, hotkey: string, response: Res): Promise<VerificationOutcome> {
    if (this.random() >= this.spec.fraction) return 'unchecked';
    this.counts.checked++;
    let verdict: boolean | undefined;
    try {
      verdict = await this.spec.check(task, response);
    } catch (err) {
      // A check that cannot run (its reference model missing, say) proves nothing against the miner.
      this.counts.errors++;
      this.lastError = err;
      verdict = undefined;
    }
    if (verdict === undefined) {
      this.counts.uncheckable++;
      return 'uncheckable';
    }
    if (verdict) return 'passed';
    this.counts.failed++;
    if (this.penaltyTasks > 0) this.penalties.set(hotkey, this.penaltyTasks);
    return 'failed';
  }

  /** Whether the miner is serving a penalty; call once per task per miner (it counts the task down). */
  penalized(hotkey: string): boolean {
    const left = this.penalties.get(hotkey);
    if (left === undefined) return false;
    if (left <= 1) this.penalties.delete(hotkey);
    else this.penalties.set(hotkey, left - 1);
    return true;
  }

  get stats(): Readonly<{ checked: number; failed: number; uncheckable: number; errors: number }> {
    return { ...this.counts };
  }
}
