/**
 * Answer-copying detection. A miner that relays another miner's answer returns the same output, later
 * (it has to wait for the original). Over a sliding window of shared tasks, for each ordered pair of miners
 * the detector counts tasks where both answered with near-identical fingerprints and the second arrived
 * after the first; once that happened on at least `minEvidence` tasks and on at least `minShare` of the
 * tasks both answered, the later miner is marked the copy of the earlier one and is scored as a copy (0)
 * while the mark stands. A mark lapses when the pair stops matching (the window slides past the evidence).
 *
 * Honest miners running the very same model on the same inputs also match exactly; the later one is then
 * treated as the copy — a duplicate of an existing answer adds nothing to the network. Fingerprints should
 * be full-precision outputs (scores, confidences), which independent models do not reproduce.
 */
import type { CopyDetectionSpec } from './define';

/** One answer as the detector sees it. */
export interface CopyObservation<Res> {
  readonly uid: number;
  readonly hotkey: string;
  readonly response: Res;
  readonly latencyS: number;
}

export interface CopyDetectorOptions {
  /** Tasks remembered per pair. @default 10 */
  readonly window?: number;
  /** Matching tasks needed before a miner is marked a copy. @default 3 */
  readonly minEvidence?: number;
  /** Share of the pair's shared tasks that must match. @default 0.6 */
  readonly minShare?: number;
}

/** Why a miner is scored as a copy. */
export interface CopyMark {
  readonly copier: number;
  readonly original: number;
  /** Matching tasks in the window. */
  readonly evidence: number;
  /** Tasks in the window both answered. */
  readonly shared: number;
}

type Fingerprint = readonly number[] | string;

interface PairHistory {
  /** One entry per shared task: 1 when `later` matched `earlier` and arrived after it, 0 otherwise. */
  readonly outcomes: number[];
  hotkeys: string;
}

export class CopyDetector<Res> {
  private readonly window: number;
  private readonly minEvidence: number;
  private readonly minShare: number;
  private readonly tolerance: number;
  /** Key `copier>original` → history. */
  private readonly pairs = new Map<string, PairHistory>();

  constructor(private readonly spec: CopyDetectionSpec<Res>, options: CopyDetectorOptions = {}) {
    this.window = options.window ?? 10;
    this.minEvidence = options.minEvidence ?? 3;
    this.minShare = options.minShare ?? 0.6;
    this.tolerance = spec.tolerance ?? 1e-6;
    if (!(Number.isInteger(this.window) && this.window >= 1)) throw new RangeError(`window must be a positive integer, got ${this.window}`);
    if (!(Number.isInteger(this.minEvidence) && this.minEvidence >= 1 && this.minEvidence <= this.window)) throw new RangeError(`minEvidence must be an integer in [1, window], got ${this.minEvidence}`);
    if (!(this.minShare > 0 && this.minShare <= 1)) throw new RangeError(`minShare must be in (0, 1], got ${this.minShare}`);
  }

  /**
   * Records one task's answers (only answers that carry a response) and returns the miners scored as copies
   * after it, by copier uid. A miner's history is forgotten when its uid changes hotkey.
   */
  observe(answers: readonly CopyObservation<Res>[]): Map<number, CopyMark> {
    const prints = answers.map((a) => ({ ...a, print: this.spec.fingerprint(a.response) }));
    for (const a of prints) {
      for (const b of prints) {
        if (a.uid === b.uid) continue;
        // b copies a: the same output, strictly later.
        const copied = b.latencyS > a.latencyS && this.matches(a.print, b.print);
        const history = this.history(b.uid, a.uid, `${b.hotkey}>${a.hotkey}`);
        history.outcomes.push(copied ? 1 : 0);
        if (history.outcomes.length > this.window) history.outcomes.shift();
      }
    }
    return this.marks();
  }

  /** The miners currently scored as copies. */
  marks(): Map<number, CopyMark> {
    const marks = new Map<number, CopyMark>();
    for (const [key, history] of this.pairs) {
      const evidence = history.outcomes.reduce((s, x) => s + x, 0);
      const shared = history.outcomes.length;
      if (evidence < this.minEvidence || evidence / shared < this.minShare) continue;
      const [copier, original] = key.split('>').map(Number) as [number, number];
      const current = marks.get(copier);
      if (current === undefined || evidence > current.evidence) marks.set(copier, { copier, original, evidence, shared });
    }
    return marks;
  }

  private history(copier: number, original: number, hotkeys: string): PairHistory {
    const key = `${copier}>${original}`;
    let history = this.pairs.get(key);
    if (history === undefined || history.hotkeys !== hotkeys) {
      history = { outcomes: [], hotkeys };
      this.pairs.set(key, history);
    }
    return history;
  }

  private matches(a: Fingerprint, b: Fingerprint): boolean {
    if (typeof a === 'string' || typeof b === 'string') return a === b;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (!(Math.abs(x - y) <= this.tolerance) && !(Number.isNaN(x) && Number.isNaN(y))) return false;
    }
    return true;
  }
}
