/**
 * The validator loop: each step picks serving miners, asks them one task of the subnet, scores the answers
 * through the subnet's judge (reward, copy detection, verification) into moving averages (a streaming
 * subnet's miners stream their answers; the judge scores what the chunks assembled into); once per tempo,
 * and never before the rate limit allows, it sets weights from those scores (processed as the reference SDK
 * does) with the subnet's version key.
 */
import { commitWeights, getHyperparameters, metagraph as readMetagraph, pendingWeightCommits, prepareWeights, revealWeights, setWeights, weightsCommitHash, type ChainClient, type Metagraph } from '../chain-client';
import { randomBytes } from 'node:crypto';
import type { Keypair } from '../chain-client/wallet';
import { EventEmitter } from 'node:events';
import { silentLogger, type Logger } from '../common/logger';
import { isStreamingSubnet, streamReaderOf, SubnetJudge, type AnySubnet, type RawAnswer, type ScoredAnswer, type SubnetJudgeOptions, type TaskSeed } from '../subnets';
import type { AxonTarget } from '../protocol';
import { Dendrite, type DendriteOptions } from './dendrite';
import { ValidatorError } from './errors';
import { ScoreTable } from './scores';
import { loadState, saveState, type PendingReveal } from './state';

export interface ValidatorOptions {
  readonly client: ChainClient;
  readonly netuid: number;
  readonly hotkey: Keypair;
  readonly subnet: AnySubnet;
  /** Miners asked per step. @default 16 (all when fewer serve) */
  readonly sampleSize?: number;
  /** Moving-average weight of a new score. @default 0.1 */
  readonly alpha?: number;
  /** Pause between steps, ms. @default 1000 */
  readonly stepIntervalMs?: number;
  /** Uniform [0, 1) draws choosing which miners a step asks. @default Math.random */
  readonly random?: () => number;
  /** Where task seeds come from. @default fresh CSPRNG seeds */
  readonly seeds?: () => TaskSeed;
  readonly judge?: SubnetJudgeOptions;
  readonly dendrite?: Omit<DendriteOptions, 'hotkey'>;
  readonly logger?: Logger;
  /** Where scores, the last weights block and a pending commit persist (atomically); absent: in memory only. */
  readonly statePath?: string;
}

export interface StepReport {
  readonly block: number;
  readonly seed: TaskSeed;
  readonly answers: readonly ScoredAnswer[];
}

export interface WeightsReport {
  readonly block: number;
  /** `set`: set_weights; `committed`: the hash is on chain, the reveal is pending; `revealed`: a commit was revealed. */
  readonly action: 'set' | 'committed' | 'revealed';
  readonly uids: readonly number[];
  readonly values: readonly number[];
}

/** What a validator reports as it works (the validator API pushes these over `/v1/events`). */
export interface ValidatorEvents {
  /** The metagraph moved to a new block. */
  block: [block: number];
  /** The subnet's epoch ran at `block` (seen once the metagraph reached it; the tempo is known after the first weights check). */
  epoch: [block: number];
  /** A step was scored (the moving averages are updated). */
  step: [report: StepReport];
  /** Weights were set on chain. */
  weights: [report: WeightsReport];
}

export class Validator extends EventEmitter<ValidatorEvents> {
  readonly judge: SubnetJudge<AnySubnet['synapse'], unknown>;
  readonly dendrite: Dendrite;
  private readonly table: ScoreTable;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private lastWeightsBlock = -Infinity;
  private pendingReveal: PendingReveal | null = null;
  /** The subnet's tempo as last read, for epoch detection (null until the first weights check). */
  private tempo: number | null = null;
  private lastSeenBlock: number | null = null;
  private readonly logger: Logger;

  private constructor(
    private readonly options: ValidatorOptions,
    readonly metagraph: Metagraph,
    readonly uid: number,
  ) {
    super();
    this.judge = new SubnetJudge(options.subnet, { ...options.judge, ...(options.seeds === undefined ? {} : { seeds: options.seeds }) });
    this.dendrite = new Dendrite({ ...options.dendrite, hotkey: options.hotkey });
    this.table = new ScoreTable(options.alpha ?? 0.1);
    this.logger = options.logger ?? silentLogger;
    const saved = options.statePath === undefined ? null : loadState(options.statePath, { netuid: options.netuid, hotkey: options.hotkey.address });
    if (saved !== null) {
      this.table.restore(saved.scores, saved.hotkeys);
      this.lastWeightsBlock = saved.lastWeightsBlock ?? -Infinity;
      this.pendingReveal = saved.pendingReveal;
    }
    this.table.follow(metagraph.hotkeys);
  }

  /** The commit waiting for its reveal, if any. */
  get pending(): PendingReveal | null {
    return this.pendingReveal;
  }

  private save(): void {
    if (this.options.statePath === undefined) return;
    saveState(this.options.statePath, {
      netuid: this.options.netuid,
      hotkey: this.options.hotkey.address,
      scores: this.table.snapshot(),
      hotkeys: this.table.owners(),
      lastWeightsBlock: Number.isFinite(this.lastWeightsBlock) ? this.lastWeightsBlock : null,
      pendingReveal: this.pendingReveal,
    });
  }

  /**
   * Reads the metagraph and checks the hotkey holds a uid on the subnet (it does not start the loop: `run`).
   * @throws ValidatorError `SubNetworkDoesNotExist`, `HotKeyNotRegisteredInNetwork`
   */
  static async create(options: ValidatorOptions): Promise<Validator> {
    const graph = await readMetagraph(options.client, { netuid: options.netuid });
    const uid = graph.hotkeys.indexOf(options.hotkey.address);
    if (uid < 0) {
      throw new ValidatorError('HotKeyNotRegisteredInNetwork', `hotkey ${options.hotkey.address} is not registered on subnet ${options.netuid}: register it (tensornet neuron register) and stake to it before validating`, { netuid: options.netuid, hotkey: options.hotkey.address });
    }
    return new Validator(options, graph, uid);
  }

  get netuid(): number {
    return this.options.netuid;
  }

  /** The chain client it reads and writes the chain with (the validator API reads chain-wide views through it). */
  get client(): ChainClient {
    return this.options.client;
  }

  get subnet(): AnySubnet {
    return this.options.subnet;
  }

  /** Moving-average scores by uid. */
  get scores(): number[] {
    return this.table.snapshot();
  }

  /** One round: sync, pick miners, ask one task, score. */
  async step(): Promise<StepReport> {
    const synced = await this.metagraph.sync();
    if (synced.changed) {
      this.emit('block', this.metagraph.block);
      this.reportEpochs(this.metagraph.block);
    }
    this.table.follow(this.metagraph.hotkeys);
    const task = this.judge.newTask({ netuid: this.options.netuid, block: this.metagraph.block });
    const targets = this.pickMiners();
    const axons: AxonTarget[] = targets.map((uid) => ({ ...this.metagraph.axons[uid]!, hotkey: this.metagraph.hotkeys[uid]! }));
    const subnet = this.options.subnet;
    const timeoutS = subnet.timeoutS;
    let raw: RawAnswer[];
    if (isStreamingSubnet(subnet)) {
      const reader = streamReaderOf(subnet);
      const results = await this.dendrite.forwardStream(axons, subnet.synapse, task.request, { timeoutS, decoder: reader.decoder, assemble: reader.assemble });
      raw = results.map((r, i) => ({
        uid: targets[i]!, hotkey: axons[i]!.hotkey, status: r.status, body: r.body, latencyS: r.latencyS, ...(r.firstChunkS === null ? {} : { firstChunkS: r.firstChunkS }),
      }));
    } else {
      const results = await this.dendrite.forward(axons, subnet.synapse, task.request, { timeoutS });
      raw = results.map((r, i) => ({ uid: targets[i]!, hotkey: axons[i]!.hotkey, status: r.status, body: r.body, latencyS: r.latencyS }));
    }
    const answers = await this.judge.score(task, raw);
    for (const a of answers) this.table.update(a.uid, a.hotkey, a.score);
    this.save();
    const report = { block: this.metagraph.block, seed: task.seed, answers };
    this.emit('step', report);
    return report;
  }

  /**
   * Sets weights from the scores when a tempo has passed since the last time and the rate limit allows — or,
   * where the subnet uses commit-reveal, commits them, and reveals a pending commit once its window opens.
   * Null when there is nothing to do yet (or every score is still 0).
   */
  async setWeightsIfDue(): Promise<WeightsReport | null> {
    const { client, netuid } = this.options;
    const params = await getHyperparameters(client, { netuid });
    this.tempo = params.tempo;
    const block = this.metagraph.block;
    if (params.commit_reveal_weights_enabled && this.pendingReveal !== null) return this.revealIfDue(block);
    const lastUpdate = this.metagraph.lastUpdate[this.uid] ?? 0;
    const nextAllowed = Math.max(this.lastWeightsBlock + params.tempo, lastUpdate + Number(params.weights_rate_limit));
    if (block < nextAllowed) return null;
    const scores = this.table.snapshot();
    const uids = scores.map((_, uid) => uid).filter((uid) => scores[uid]! > 0);
    if (uids.length === 0) return null;
    const weights = uids.map((uid) => scores[uid]!);
    const versionKey = this.options.subnet.versionKey;
    if (!params.commit_reveal_weights_enabled) {
      const result = await setWeights(client, { signer: this.options.hotkey, netuid, uids, weights, versionKey });
      return this.weightsDone({ block, action: 'set', uids: result.uids, values: result.values });
    }
    // Commit: the salt and the processed weights are saved before the commit is sent, so a crash at any
    // point leaves what the reveal needs on disk.
    const prepared = await prepareWeights(client, netuid, { uids, weights });
    const saltBytes = randomBytes(16);
    const salt = Array.from({ length: 8 }, (_, i) => saltBytes.readUInt16LE(i * 2));
    const commitHash = weightsCommitHash({ hotkey: this.options.hotkey.address, netuid, uids: prepared.uids, values: prepared.values, salt, versionKey });
    this.pendingReveal = { uids: prepared.uids, values: prepared.values, salt, versionKey: BigInt(versionKey), commitHash, commitBlock: null, firstRevealBlock: null, lastRevealBlock: null };
    this.save();
    const result = await commitWeights(client, { signer: this.options.hotkey, netuid, uids: prepared.uids, weights: prepared.values, raw: true, salt, versionKey });
    const { commit } = result;
    this.pendingReveal = { uids: commit.uids, values: commit.values, salt: commit.salt, versionKey: commit.versionKey, commitHash: commit.commitHash, commitBlock: commit.commitBlock, firstRevealBlock: commit.firstRevealBlock, lastRevealBlock: commit.lastRevealBlock };
    return this.weightsDone({ block, action: 'committed', uids: commit.uids, values: commit.values });
  }

  private async revealIfDue(block: number): Promise<WeightsReport | null> {
    const { client, netuid } = this.options;
    let pending = this.pendingReveal!;
    if (pending.firstRevealBlock === null) {
      // Saved before the commit was known to be included: the chain says whether it was.
      const onChain = (await pendingWeightCommits(client, { netuid, hotkey: this.options.hotkey.address })).find((c) => c.commitHash === pending.commitHash);
      if (onChain === undefined) {
        this.logger.warn('a saved commit never reached the chain; committing afresh', { commitHash: pending.commitHash });
        this.pendingReveal = null;
        this.save();
        return null;
      }
      pending = { ...pending, commitBlock: onChain.commitBlock, firstRevealBlock: onChain.firstRevealBlock, lastRevealBlock: onChain.lastRevealBlock };
      this.pendingReveal = pending;
      this.save();
    }
    // A reveal lands in the next block at the earliest.
    if (block + 1 < pending.firstRevealBlock!) return null;
    if (block + 1 > pending.lastRevealBlock!) {
      this.logger.warn('the reveal window of a commit passed; committing afresh', { lastRevealBlock: pending.lastRevealBlock });
      this.pendingReveal = null;
      this.save();
      return null;
    }
    await revealWeights(client, { signer: this.options.hotkey, commit: { netuid, uids: pending.uids, values: pending.values, salt: pending.salt, versionKey: pending.versionKey } });
    this.pendingReveal = null;
    return this.weightsDone({ block, action: 'revealed', uids: pending.uids, values: pending.values });
  }

  /** Emits `epoch` for each block since the last one seen at which the subnet's epoch ran (subtensor's schedule). */
  private reportEpochs(block: number): void {
    const previous = this.lastSeenBlock;
    this.lastSeenBlock = block;
    if (previous === null || this.tempo === null || this.tempo === 0) return;
    const period = this.tempo + 1;
    const netuid = this.options.netuid;
    for (let b = Math.max(previous + 1, block - 10 * period); b <= block; b++) {
      if ((b + netuid + 1) % period === 0) this.emit('epoch', b);
    }
  }

  private weightsDone(report: WeightsReport): WeightsReport {
    if (report.action !== 'revealed') this.lastWeightsBlock = report.block;
    this.save();
    this.logger.info(`weights ${report.action}`, { block: report.block, uids: report.uids.length });
    this.emit('weights', report);
    return report;
  }

  /** Runs steps (and weight setting) until `stop()`; a failing step is logged and the loop goes on. */
  run(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          await this.step();
          await this.setWeightsIfDue();
        } catch (err) {
          this.logger.warn('validator step failed', { err: err instanceof Error ? err.message : String(err) });
        }
        if (!this.running) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.stepIntervalMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.dendrite.close();
    await this.metagraph.close();
  }

  private pickMiners(): number[] {
    const serving = this.metagraph.uids.filter((uid) => uid !== this.uid && this.metagraph.axons[uid]?.isServing === true);
    const size = this.options.sampleSize ?? 16;
    if (serving.length <= size) return serving;
    const random = this.options.random ?? Math.random;
    const pool = [...serving];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, size).sort((a, b) => a - b);
  }
}
