/**
 * The validator loop: each step picks serving miners, asks them one task of the subnet, scores the answers
 * through the subnet's judge (reward, copy detection, verification) into moving averages; once per tempo,
 * and never before the rate limit allows, it sets weights from those scores (processed as the reference SDK
 * does) with the subnet's version key.
 */
import { getHyperparameters, metagraph as readMetagraph, setWeights, type ChainClient, type Metagraph } from '../chain-client';
import type { Keypair } from '../chain-client/wallet';
import { EventEmitter } from 'node:events';
import { silentLogger, type Logger } from '../common/logger';
import { SubnetJudge, type AnySubnet, type ScoredAnswer, type SubnetJudgeOptions, type TaskSeed } from '../subnets';
import { Dendrite, type DendriteOptions } from './dendrite';
import { ValidatorError } from './errors';
import { ScoreTable } from './scores';

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
}

export interface StepReport {
  readonly block: number;
  readonly seed: TaskSeed;
  readonly answers: readonly ScoredAnswer[];
}

export interface WeightsReport {
  readonly block: number;
  readonly uids: readonly number[];
  readonly values: readonly number[];
}

/** What a validator reports as it works (the validator API pushes these over `/v1/events`). */
export interface ValidatorEvents {
  /** The metagraph moved to a new block. */
  block: [block: number];
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
    this.table.follow(metagraph.hotkeys);
    this.logger = options.logger ?? silentLogger;
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
    if (synced.changed) this.emit('block', this.metagraph.block);
    this.table.follow(this.metagraph.hotkeys);
    const task = this.judge.newTask({ netuid: this.options.netuid, block: this.metagraph.block });
    const targets = this.pickMiners();
    const results = await this.dendrite.forward(
      targets.map((uid) => ({ ...this.metagraph.axons[uid]!, hotkey: this.metagraph.hotkeys[uid]! })),
      this.options.subnet.synapse,
      task.request,
      { timeoutS: this.options.subnet.timeoutS },
    );
    const answers = await this.judge.score(
      task,
      results.map((r, i) => ({ uid: targets[i]!, hotkey: this.metagraph.hotkeys[targets[i]!]!, status: r.status, body: r.body, latencyS: r.latencyS })),
    );
    for (const a of answers) this.table.update(a.uid, a.hotkey, a.score);
    const report = { block: this.metagraph.block, seed: task.seed, answers };
    this.emit('step', report);
    return report;
  }

  /**
   * Sets weights from the scores when a tempo has passed since the last time and the rate limit allows;
   * null when not due (or every score is still 0).
   */
  async setWeightsIfDue(): Promise<WeightsReport | null> {
    const { client, netuid } = this.options;
    const params = await getHyperparameters(client, { netuid });
    const block = this.metagraph.block;
    const lastUpdate = this.metagraph.lastUpdate[this.uid] ?? 0;
    const nextAllowed = Math.max(this.lastWeightsBlock + params.tempo, lastUpdate + Number(params.weights_rate_limit));
    if (block < nextAllowed) return null;
    const scores = this.table.snapshot();
    const uids = scores.map((_, uid) => uid).filter((uid) => scores[uid]! > 0);
    if (uids.length === 0) return null;
    const result = await setWeights(client, { signer: this.options.hotkey, netuid, uids, weights: uids.map((uid) => scores[uid]!), versionKey: this.options.subnet.versionKey });
    this.lastWeightsBlock = block;
    this.logger.info('weights set', { block, uids: result.uids.length });
    const report = { block, uids: result.uids, values: result.values };
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
