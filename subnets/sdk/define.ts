/**
 * `defineSubnet`: an incentive mechanism in one typed value. A subnet creator declares the synapse (zod
 * schemas of request and response, validated on both sides), how validators generate tasks, how answers
 * are rewarded, what miners compute, and the hyperparameters the subnet is registered with. tensornet runs
 * it on both sides: miners through `minerHandlerOf`, validators through `SubnetJudge` (which adds the
 * anti-gaming layer: fresh seeds, copy detection, optimistic verification).
 */
import { z } from 'zod';
import type { Hyperparameters } from '../../chain-client';
import type { Logger } from '../../common/logger';
import type { ForwardContext } from '../../miner';
import type { InferenceEngine, ModelSpec } from '../../miner/engine';
import type { ModelRequirement } from '../../miner/handlers';
import { versionAsInt, type SynapseDefinition, type SynapseRequest, type SynapseResponse } from '../../protocol';
import { SubnetError } from './errors';
import type { TaskSeed } from './seed';

/** What a task generator may know about where it runs. */
export interface TaskContext {
  readonly netuid?: number;
  readonly block?: number;
}

/** A task as a generator returns it: what miners are asked, and what only the validator knows. */
export interface GeneratedTask<Req, Ref> {
  readonly request: Req;
  /** The hidden reference (ground truth) the reward compares against. Never sent to miners. */
  readonly reference: Ref;
}

/** A task with its identity. */
export interface SubnetTask<Req = unknown, Ref = unknown> extends GeneratedTask<Req, Ref> {
  readonly subnet: string;
  /** The seed it was generated from: the same seed regenerates the same task. */
  readonly seed: TaskSeed;
}

/**
 * How a miner's answer came back. Only `ok` answers carry a response; every other status scores 0 without
 * the reward function being asked.
 * - `timeout`: no full answer within the timeout; `unavailable`: refused or unreachable (503, connection refused…);
 * - `refused`: any other non-200 status; `invalid`: a 200 whose body fails the response schema; `error`: anything else.
 */
export type AnswerStatus = 'ok' | 'timeout' | 'unavailable' | 'refused' | 'invalid' | 'error';

/** One miner's answer to a task, as the reward function sees it. */
export interface MinerAnswer<Res> {
  readonly uid: number;
  readonly hotkey: string;
  readonly status: AnswerStatus;
  /** The validated response fields (`ok` only), null otherwise. For a streaming subnet: the answer assembled from its chunks. */
  readonly response: Res | null;
  /** Seconds from sending the request to having read the whole answer. */
  readonly latencyS: number;
  /** Streaming subnets: seconds from sending the request to having read the first chunk (absent when no chunk came, and for other subnets). */
  readonly firstChunkS?: number;
}

/** What the reward function knows besides the answers. */
export interface RewardContext {
  /** The timeout the miners were given, seconds. */
  readonly timeoutS: number;
}

/**
 * The function that answers one request on a miner. (Declared through a method type so a subnet with a
 * concrete request type still fits where any subnet is expected: parameters of methods are bivariant.)
 */
export type RequestHandler<Req, Res> = { answer(request: Req, ctx: ForwardContext): Promise<Res> }['answer'];

/** A streaming subnet's miner function: yields the answer's chunks, in order, as each is ready. */
export type StreamHandler<Req, C> = { answer(request: Req, ctx: ForwardContext): AsyncIterable<C> }['answer'];

/**
 * How a streaming subnet's answer travels: as chunks, each checked against `chunk`, that `assemble` folds
 * into the synapse's response fields (what the reward judges and what the validator API returns at the end).
 * On the wire each chunk is one line of JSON (docs/wire-protocol.md, "Streaming synapses").
 */
export interface StreamSpec<C, Res> {
  /** The schema of one chunk (checked by the miner before it is sent and by the validator as it arrives). */
  readonly chunk: z.ZodType<C>;
  /** The answer the chunks make, in order. Throwing (or returning fields that fail the response schema) makes the answer `invalid`. */
  assemble(chunks: readonly C[]): Res;
  /** Most chunks an answer may have (more: the answer is `invalid`). @default 1024 */
  readonly maxChunks?: number;
  /** Largest chunk, bytes of its JSON line. @default 64 KiB */
  readonly maxChunkBytes?: number;
}

/** What a miner's handler factory gets. */
export interface MinerSetup {
  /** The loaded model (the tier's, or `--model`): null when the subnet runs none. */
  readonly engine: InferenceEngine | null;
  /** The tier the miner runs (`--tier`), one of the subnet's `miner.tiers`. */
  readonly tier: string;
  readonly logger: Logger;
}

/** A miner quality tier: a model file and/or how the handler uses it. */
export interface MinerTier {
  readonly description: string;
  /** Absolute path of the tier's model (`--model` overrides it); absent when the tier runs the subnet's default model or none. */
  model?(): string;
}

/** Copy detection settings: how two responses are compared. */
export interface CopyDetectionSpec<Res> {
  /**
   * What identifies an answer: a vector of numbers (compared within `tolerance`) or a string (compared
   * exactly). Pick what only the same computation reproduces (e.g. full-precision scores, not just the label).
   */
  fingerprint(response: Res): readonly number[] | string;
  /** Two vectors are near-identical when every element differs by at most `tolerance` (absolute). @default 1e-6 */
  readonly tolerance?: number;
}

/** Optimistic verification: re-run a random fraction of answers against a reference and penalize mismatches. */
export interface VerificationSpec<Req, Ref, Res> {
  /** Fraction of `ok` answers checked, in (0, 1]. */
  readonly fraction: number;
  /**
   * True when the answer is what an honest miner would have returned; `undefined` when the answer cannot be
   * checked (counted, never penalized).
   */
  check(task: SubnetTask<Req, Ref>, response: Res): Promise<boolean | undefined> | boolean | undefined;
}

/** What every subnet declares, streaming or not. */
export interface SubnetSpecBase<D extends SynapseDefinition, Ref> {
  /** The mechanism's name: lowercase letters, digits and dashes (`--subnet NAME`, `--mechanism NAME`). */
  readonly name: string;
  /** Semantic version `MAJOR.MINOR.PATCH`; its integer form is the weights version key. */
  readonly version: string;
  readonly description: string;
  readonly synapse: D;
  /** The timeout validators give miners, seconds (for a streaming subnet: the whole stream). */
  readonly timeoutS: number;
  /** A task from `rng` (deterministic: the same rng stream gives the same task). */
  generateTask(rng: () => number, ctx: TaskContext): GeneratedTask<SynapseRequest<D>, Ref>;
  /** One score in [0, 1] per answer, in order. Answers that are not `ok` are scored 0 by the SDK before this is called. */
  reward(task: SubnetTask<SynapseRequest<D>, Ref>, answers: readonly MinerAnswer<SynapseResponse<D>>[], ctx: RewardContext): number[];
  /** Copy detection; `false` turns it off (e.g. when honest answers are legitimately identical). */
  readonly copyDetection: CopyDetectionSpec<SynapseResponse<D>> | false;
  readonly verification?: VerificationSpec<SynapseRequest<D>, Ref, SynapseResponse<D>>;
  /** Hyperparameters set when the subnet is created (`weights_version` defaults to the version key). */
  readonly hyperparameters?: Partial<Hyperparameters>;
}

/** What a subnet's miner side declares besides its handler. */
export interface MinerSpecBase {
  readonly model: ModelRequirement;
  readonly modelSpec?: ModelSpec;
  /** Quality tiers; the first is the default. */
  readonly tiers: Readonly<Record<string, MinerTier>>;
}

/** What `defineSubnet` takes. */
export interface SubnetSpec<D extends SynapseDefinition, Ref> extends SubnetSpecBase<D, Ref> {
  readonly miner: MinerSpecBase & {
    /** Builds the function that answers one request. */
    createHandler(setup: MinerSetup): RequestHandler<SynapseRequest<D>, SynapseResponse<D>>;
  };
}

/** What `defineStreamingSubnet` takes: the synapse is declared `streaming: true` and the miner yields chunks. */
export interface StreamingSubnetSpec<D extends SynapseDefinition, Ref, C> extends SubnetSpecBase<D, Ref> {
  readonly stream: StreamSpec<C, SynapseResponse<D>>;
  readonly miner: MinerSpecBase & {
    /** Builds the function that streams the answer to one request. */
    createHandler(setup: MinerSetup): StreamHandler<SynapseRequest<D>, C>;
  };
}

/** What `defineSubnet` and `defineStreamingSubnet` add. */
interface DefinedSubnet {
  /** `versionAsInt(version)`: the `version_key` of its weights. */
  readonly versionKey: number;
  /** The name of the default tier. */
  readonly defaultTier: string;
  /** Marks values made by `defineSubnet` (mechanism modules are checked for it). */
  readonly kind: 'tensornet.subnet';
}

/** A defined subnet. */
export interface Subnet<D extends SynapseDefinition = SynapseDefinition, Ref = unknown> extends SubnetSpec<D, Ref>, DefinedSubnet {
  /** Not a streaming subnet. */
  readonly stream?: undefined;
}

/** A defined streaming subnet. */
export interface StreamingSubnet<D extends SynapseDefinition = SynapseDefinition, Ref = unknown, C = unknown> extends StreamingSubnetSpec<D, Ref, C>, DefinedSubnet {}

/** Any subnet, whatever its synapse and reference types, streaming or not. */
export type AnySubnet = Subnet<SynapseDefinition, unknown> | StreamingSubnet<SynapseDefinition, unknown, unknown>;

/** Whether a subnet streams its answers. */
export function isStreamingSubnet<D extends SynapseDefinition, Ref, C>(subnet: Subnet<D, Ref> | StreamingSubnet<D, Ref, C>): subnet is StreamingSubnet<D, Ref, C> {
  return subnet.stream !== undefined;
}

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const VERSION = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Declares a subnet.
 * @throws SubnetError `InvalidSubnetDefinition`
 */
export function defineSubnet<D extends SynapseDefinition, Ref>(spec: SubnetSpec<D, Ref>): Subnet<D, Ref> {
  checkSpec(spec);
  if (spec.synapse.streaming) invalidSpec(spec, `synapse ${spec.synapse.name} streams: declare the subnet with defineStreamingSubnet`);
  if ((spec as { stream?: unknown }).stream !== undefined) invalidSpec(spec, 'a `stream` is given: declare a streaming synapse and use defineStreamingSubnet');
  return finish(spec) as Subnet<D, Ref>;
}

/**
 * Declares a streaming subnet: its synapse is defined with `streaming: true`, its miner yields chunks, and
 * `stream.assemble` folds them into the response the reward judges.
 * @throws SubnetError `InvalidSubnetDefinition`
 */
export function defineStreamingSubnet<D extends SynapseDefinition, Ref, C>(spec: StreamingSubnetSpec<D, Ref, C>): StreamingSubnet<D, Ref, C> {
  checkSpec(spec);
  if (!spec.synapse.streaming) invalidSpec(spec, `synapse ${spec.synapse.name} does not stream: define it with streaming: true`);
  const { maxChunks = DEFAULT_MAX_CHUNKS, maxChunkBytes = DEFAULT_MAX_CHUNK_BYTES } = spec.stream;
  if (!(Number.isInteger(maxChunks) && maxChunks >= 1)) invalidSpec(spec, `stream.maxChunks must be a positive integer, got ${maxChunks}`);
  if (!(Number.isInteger(maxChunkBytes) && maxChunkBytes >= 2)) invalidSpec(spec, `stream.maxChunkBytes must be an integer ≥ 2, got ${maxChunkBytes}`);
  return finish({ ...spec, stream: Object.freeze({ ...spec.stream, maxChunks, maxChunkBytes }) }) as StreamingSubnet<D, Ref, C>;
}

/** @default chunks per streamed answer */
export const DEFAULT_MAX_CHUNKS = 1024;
/** @default bytes per chunk (its JSON line) */
export const DEFAULT_MAX_CHUNK_BYTES = 64 * 1024;

function invalidSpec(spec: { readonly name: string }, reason: string): never {
  throw new SubnetError('InvalidSubnetDefinition', `subnet ${spec.name}: ${reason}`, { subnet: spec.name });
}

function checkSpec<D extends SynapseDefinition, Ref>(spec: SubnetSpecBase<D, Ref> & { readonly miner: MinerSpecBase }): void {
  const invalid = (reason: string): never => invalidSpec(spec, reason);
  if (!NAME.test(spec.name)) invalid('the name must be 1-32 lowercase letters, digits or dashes, starting with a letter');
  if (!VERSION.test(spec.version)) invalid(`version "${spec.version}" is not MAJOR.MINOR.PATCH (at most 3 digits each: the weights version key packs them)`);
  if (!(Number.isFinite(spec.timeoutS) && spec.timeoutS > 0 && spec.timeoutS <= 600)) invalid(`timeoutS must be in (0, 600], got ${spec.timeoutS}`);
  const tiers = Object.keys(spec.miner.tiers);
  if (tiers.length === 0) invalid('miner.tiers declares no tier');
  for (const tier of tiers) if (!NAME.test(tier)) invalid(`tier "${tier}" must be lowercase letters, digits or dashes`);
  if (spec.miner.model === 'none' && spec.miner.modelSpec !== undefined) invalid('miner.modelSpec is given but the miner runs no model');
  if (spec.verification !== undefined) {
    const { fraction } = spec.verification;
    if (!(fraction > 0 && fraction <= 1)) invalid(`verification.fraction must be in (0, 1], got ${fraction}`);
  }
  if (spec.copyDetection !== false) {
    const tolerance = spec.copyDetection.tolerance ?? 1e-6;
    if (!(tolerance >= 0 && Number.isFinite(tolerance))) invalid(`copyDetection.tolerance must be a finite number ≥ 0, got ${tolerance}`);
  }
}

function finish<S extends SubnetSpecBase<SynapseDefinition, unknown> & { readonly miner: MinerSpecBase }>(spec: S): S & DefinedSubnet {
  const versionKey = versionAsInt(spec.version);
  return Object.freeze({
    ...spec,
    hyperparameters: Object.freeze({ weights_version: BigInt(versionKey), ...spec.hyperparameters }),
    versionKey,
    defaultTier: Object.keys(spec.miner.tiers)[0]!,
    kind: 'tensornet.subnet' as const,
  });
}

/** Whether a value was made by `defineSubnet`. */
export function isSubnet(value: unknown): value is AnySubnet {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'tensornet.subnet';
}

/** The response fields of a JSON synapse body, validated; null when they fail the schema (an `invalid` answer). */
export function parseResponse<D extends SynapseDefinition>(synapse: D, body: Readonly<Record<string, unknown>>): SynapseResponse<D> | null {
  const fields = Object.keys(synapse.response.shape);
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (body[field] !== undefined) picked[field] = body[field];
  const parsed = (synapse.response as z.ZodType).safeParse(picked);
  return parsed.success ? (parsed.data as SynapseResponse<D>) : null;
}
