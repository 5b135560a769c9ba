/**
 * Routing an app's request to miners: rank the subnet's serving miners by the validator's moving-average
 * score (the chain's incentive breaks ties, so a validator that has scored nothing yet still follows the
 * consensus), ask the best, and on any failure ask the next, down to the k-th. A streaming subnet's
 * request (`routeStream`) falls back the same way until its first chunk was forwarded to the client.
 */
import type { AxonTarget, SynapseRequest } from '../../protocol';
import { isStreamingSubnet, streamReaderOf } from '../../subnets';
import type { QueryStatus } from '../dendrite';
import type { Validator } from '../validator';
import { ApiError } from './errors';

/** What routing reads of a validator. */
export type RoutingView = Pick<Validator, 'uid' | 'metagraph' | 'scores' | 'dendrite' | 'subnet'>;

export interface RankedMiner {
  readonly uid: number;
  readonly hotkey: string;
  /** The validator's moving-average score. */
  readonly score: number;
  readonly incentive: number;
  readonly target: AxonTarget;
}

/** One miner asked. */
export interface Attempt {
  readonly uid: number;
  readonly hotkey: string;
  readonly score: number;
  readonly status: QueryStatus;
  /** The dendrite's status code: 200, or the mapped failure (408 timeout, 503 unreachable, the miner's refusal…). */
  readonly code: number;
  readonly message: string;
  readonly latencyS: number;
}

export type RouteOutcome =
  | { readonly ok: true; readonly response: Readonly<Record<string, unknown>>; readonly miner: Attempt; readonly tried: readonly Attempt[] }
  | { readonly ok: false; readonly error: ApiError; readonly tried: readonly Attempt[] };

export interface RouteOptions {
  /** Miners asked at most, best first. */
  readonly topK: number;
  /** Seconds each miner gets. @default the subnet's timeoutS */
  readonly timeoutS?: number;
  /** The client went away: ask no further miner. */
  readonly signal?: AbortSignal;
}

/** Serving miners (the validator itself left out), best first: score, then incentive, then uid. */
export function rankMiners(view: Pick<RoutingView, 'uid' | 'metagraph' | 'scores'>): RankedMiner[] {
  const graph = view.metagraph;
  const scores = view.scores;
  const ranked: RankedMiner[] = [];
  for (const uid of graph.uids) {
    const axon = graph.axons[uid];
    if (uid === view.uid || axon === undefined || !axon.isServing) continue;
    const hotkey = graph.hotkeys[uid]!;
    ranked.push({ uid, hotkey, score: scores[uid] ?? 0, incentive: graph.incentive[uid] ?? 0, target: { ip: axon.ip, port: axon.port, hotkey } });
  }
  return ranked.sort((a, b) => b.score - a.score || b.incentive - a.incentive || a.uid - b.uid);
}

/** Asks the top-k miners in order until one answers; every failure is a typed outcome, never a throw. */
export async function routeRequest(view: RoutingView, input: Readonly<Record<string, unknown>>, options: RouteOptions): Promise<RouteOutcome> {
  const synapse = view.subnet.synapse;
  const candidates = rankMiners(view).slice(0, options.topK);
  const tried: Attempt[] = [];
  for (const miner of candidates) {
    if (options.signal?.aborted) break;
    const result = await view.dendrite.query(miner.target, synapse, input as SynapseRequest<typeof synapse>, {
      timeoutS: options.timeoutS ?? view.subnet.timeoutS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const attempt: Attempt = { uid: miner.uid, hotkey: miner.hotkey, score: miner.score, status: result.status, code: result.code, message: result.message, latencyS: result.latencyS };
    tried.push(attempt);
    if (result.status === 'ok' && result.response !== null) return { ok: true, response: result.response, miner: attempt, tried };
  }
  return { ok: false, error: failureOf(view.metagraph.netuid, tried), tried };
}

function failureOf(netuid: number, tried: readonly Attempt[]): ApiError {
  const details = { tried };
  if (tried.length === 0) return new ApiError('NoMinersServing', `no miner of subnet ${netuid} serves an axon`, details);
  if (tried.every((a) => a.status === 'timeout')) return new ApiError('AllMinersTimedOut', `all ${tried.length} miners asked timed out`, details);
  // The request passed the schema but every miner judged its content invalid: the client's to fix.
  if (tried.every((a) => a.status === 'refused' && a.code === 400)) return new ApiError('RequestRejected', `every miner refused the request: ${tried[0]!.message}`, details);
  return new ApiError('AllMinersFailed', `all ${tried.length} miners asked failed (${tried.map((a) => `uid ${a.uid}: ${a.status} ${a.code}`).join('; ')})`, details);
}

/** One miner asked for a stream. */
export interface StreamAttempt extends Attempt {
  /** Seconds until its first chunk; null when none came. */
  readonly firstChunkS: number | null;
  /** Chunks it sent (all of them forwarded when it was the one streaming to the client). */
  readonly chunks: number;
}

/** Where a routed stream goes: `start` once, just before the first chunk is forwarded; then every chunk in order. */
export interface StreamSink {
  start(miner: RankedMiner): void | Promise<void>;
  /** Awaited before the next chunk is read on (a slow client holds the stream back, within the miner's deadline). */
  chunk(chunk: unknown, index: number): void | Promise<void>;
}

export type StreamRouteOutcome =
  | { readonly ok: true; readonly response: Readonly<Record<string, unknown>>; readonly miner: StreamAttempt; readonly tried: readonly StreamAttempt[] }
  /** `started`: chunks were already forwarded, the error comes after them (`StreamInterrupted`). */
  | { readonly ok: false; readonly started: boolean; readonly error: ApiError; readonly tried: readonly StreamAttempt[] };

/**
 * Routes a request of a streaming subnet: asks the top-k miners in order, each streaming its answer. Falling
 * back down the ranking is allowed only until a chunk was forwarded to `sink`: after that, a failure of the
 * answering miner ends the route with `StreamInterrupted` (the client already holds part of its answer).
 * Without a sink the chunks are only assembled, and every failure may fall back.
 */
export async function routeStream(view: RoutingView, input: Readonly<Record<string, unknown>>, options: RouteOptions, sink?: StreamSink): Promise<StreamRouteOutcome> {
  const subnet = view.subnet;
  if (!isStreamingSubnet(subnet)) throw new TypeError(`subnet ${subnet.name} does not stream: use routeRequest`);
  const reader = streamReaderOf(subnet);
  const candidates = rankMiners(view).slice(0, options.topK);
  const tried: StreamAttempt[] = [];
  for (const miner of candidates) {
    if (options.signal?.aborted) break;
    const call = view.dendrite.stream(miner.target, subnet.synapse, input as SynapseRequest<typeof subnet.synapse>, {
      timeoutS: options.timeoutS ?? subnet.timeoutS,
      decoder: reader.decoder(),
      assemble: reader.assemble,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    let forwarded = 0;
    if (sink !== undefined) {
      for await (const chunk of call) {
        if (forwarded === 0) await sink.start(miner);
        await sink.chunk(chunk, forwarded);
        forwarded++;
      }
    }
    const result = await call.result;
    const attempt: StreamAttempt = {
      uid: miner.uid, hotkey: miner.hotkey, score: miner.score, status: result.status, code: result.code, message: result.message, latencyS: result.latencyS,
      firstChunkS: result.firstChunkS, chunks: result.chunks.length,
    };
    tried.push(attempt);
    if (result.status === 'ok' && result.response !== null) return { ok: true, response: result.response, miner: attempt, tried };
    if (forwarded > 0) {
      const error = new ApiError('StreamInterrupted', `uid ${miner.uid} failed after ${forwarded} chunks were forwarded (${result.status} ${result.code}: ${result.message}); no fallback once streaming started`, { tried });
      return { ok: false, started: true, error, tried };
    }
  }
  return { ok: false, started: false, error: failureOf(view.metagraph.netuid, tried), tried };
}
