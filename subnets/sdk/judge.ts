/**
 * The validator side of a subnet: draws tasks from fresh seeds and turns miners' raw answers into scores,
 * applying the SDK's anti-gaming rules in order — schema check (an answer failing it is `invalid`, 0), the
 * subnet's reward, copy detection (a copy scores 0), optimistic verification (a mismatch, and the miner's
 * penalty period, score 0).
 */
import type { SynapseDefinition, SynapseRequest, SynapseResponse } from '../../protocol';
import { CopyDetector, type CopyDetectorOptions, type CopyMark } from './copy-detector';
import { parseResponse, type AnswerStatus, type MinerAnswer, type SubnetSpecBase, type SubnetTask, type TaskContext } from './define';
import { SubnetError } from './errors';
import { TaskSeeds, rngFromSeed, type TaskSeed } from './seed';
import { Verifier, type VerificationOutcome, type VerifierOptions } from './verifier';

/** A miner's answer as the transport delivered it: the response body is not yet validated. */
export interface RawAnswer {
  readonly uid: number;
  readonly hotkey: string;
  /** `ok` when the miner answered 200 with a body; the judge downgrades it to `invalid` when the body fails the schema. */
  readonly status: AnswerStatus;
  /** The JSON body of a 200 answer; for a streaming subnet, the answer its chunks assembled into. */
  readonly body: Readonly<Record<string, unknown>> | null;
  readonly latencyS: number;
  /** Streaming subnets: seconds until the first chunk was read (absent when none came). */
  readonly firstChunkS?: number;
}

/** A scored answer. */
export interface ScoredAnswer {
  readonly uid: number;
  readonly hotkey: string;
  /** The status after validation. */
  readonly status: AnswerStatus;
  readonly latencyS: number;
  /** Streaming subnets: seconds until the first chunk (absent when none came). */
  readonly firstChunkS?: number;
  /** What the subnet's reward gave (0 for non-`ok` answers). */
  readonly reward: number;
  /** The score after anti-gaming: the value to feed the moving average. */
  readonly score: number;
  /** Set when the miner is scored as a copy. */
  readonly copyOf?: CopyMark;
  readonly verification: VerificationOutcome | 'penalized';
}

export interface SubnetJudgeOptions {
  /** Where task seeds come from (each is still checked never to repeat). @default fresh CSPRNG seeds */
  readonly seeds?: () => TaskSeed;
  readonly copyDetection?: CopyDetectorOptions;
  readonly verification?: VerifierOptions;
}

/** Generates a subnet task from a seed (deterministic). */
export function taskFromSeed<D extends SynapseDefinition, Ref>(subnet: SubnetSpecBase<D, Ref>, seed: TaskSeed, ctx: TaskContext = {}): SubnetTask<SynapseRequest<D>, Ref> {
  const generated = subnet.generateTask(rngFromSeed(seed), ctx);
  const request = subnet.synapse.request.parse(generated.request) as SynapseRequest<D>;
  return Object.freeze({ subnet: subnet.name, seed, request, reference: generated.reference });
}

export class SubnetJudge<D extends SynapseDefinition, Ref> {
  private readonly seeds = new TaskSeeds();
  private readonly copies: CopyDetector<SynapseResponse<D>> | null;
  private readonly verifier: Verifier<SynapseRequest<D>, Ref, SynapseResponse<D>> | null;
  private readonly seedSource: (() => TaskSeed) | undefined;

  constructor(readonly subnet: SubnetSpecBase<D, Ref>, options: SubnetJudgeOptions = {}) {
    this.seedSource = options.seeds;
    this.copies = subnet.copyDetection === false ? null : new CopyDetector(subnet.copyDetection, options.copyDetection);
    this.verifier = subnet.verification === undefined ? null : new Verifier(subnet.verification, options.verification);
  }

  /** A new task from a fresh, never-reused seed. */
  newTask(ctx: TaskContext = {}): SubnetTask<SynapseRequest<D>, Ref> {
    const seed = this.seedSource === undefined ? this.seeds.next() : this.seeds.claim(this.seedSource());
    return taskFromSeed(this.subnet, seed, ctx);
  }

  /** Scores one task's answers (one per queried miner, in any order; the result keeps the order). */
  async score(task: SubnetTask<SynapseRequest<D>, Ref>, raw: readonly RawAnswer[]): Promise<ScoredAnswer[]> {
    const answers: MinerAnswer<SynapseResponse<D>>[] = raw.map((a) => {
      const response = a.status === 'ok' && a.body !== null ? parseResponse(this.subnet.synapse, a.body) : null;
      const status: AnswerStatus = a.status === 'ok' && response === null ? 'invalid' : a.status;
      return { uid: a.uid, hotkey: a.hotkey, status, response, latencyS: a.latencyS, ...(a.firstChunkS === undefined ? {} : { firstChunkS: a.firstChunkS }) };
    });
    const rewards = this.rewards(task, answers);
    const marks = this.copies?.observe(answers.flatMap((a) => (a.response === null ? [] : [{ uid: a.uid, hotkey: a.hotkey, response: a.response, latencyS: a.latencyS }]))) ?? new Map<number, CopyMark>();
    const scored: ScoredAnswer[] = [];
    for (const [i, answer] of answers.entries()) {
      const reward = rewards[i]!;
      let verification: ScoredAnswer['verification'] = 'unchecked';
      if (this.verifier !== null && answer.response !== null) {
        verification = await this.verifier.verify(task, answer.hotkey, answer.response);
      }
      if (this.verifier !== null && verification !== 'failed' && this.verifier.penalized(answer.hotkey)) verification = 'penalized';
      const copyOf = marks.get(answer.uid);
      const score = verification === 'failed' || verification === 'penalized' || copyOf !== undefined ? 0 : reward;
      scored.push({ uid: answer.uid, hotkey: answer.hotkey, status: answer.status, latencyS: answer.latencyS, ...(answer.firstChunkS === undefined ? {} : { firstChunkS: answer.firstChunkS }), reward, score, verification, ...(copyOf === undefined ? {} : { copyOf }) });
    }
    return scored;
  }

  /** Verification counters (checked, failed, uncheckable). */
  get verificationStats(): Readonly<{ checked: number; failed: number; uncheckable: number; errors: number }> | null {
    return this.verifier?.stats ?? null;
  }

  private rewards(task: SubnetTask<SynapseRequest<D>, Ref>, answers: readonly MinerAnswer<SynapseResponse<D>>[]): number[] {
    const ok = answers.filter((a) => a.status === 'ok');
    const given = ok.length === 0 ? [] : this.subnet.reward(task, ok, { timeoutS: this.subnet.timeoutS });
    if (!Array.isArray(given) || given.length !== ok.length) {
      throw new SubnetError('InvalidReward', `subnet ${this.subnet.name}: reward returned ${Array.isArray(given) ? given.length : typeof given} scores for ${ok.length} answers`, { subnet: this.subnet.name });
    }
    given.forEach((r, i) => {
      if (!(typeof r === 'number' && r >= 0 && r <= 1)) {
        throw new SubnetError('InvalidReward', `subnet ${this.subnet.name}: reward gave ${String(r)} for uid ${ok[i]!.uid}; scores must be in [0, 1]`, { subnet: this.subnet.name, uid: ok[i]!.uid });
      }
    });
    const byAnswer = new Map(ok.map((a, i) => [a, given[i]!]));
    return answers.map((a) => byAnswer.get(a) ?? 0);
  }
}
