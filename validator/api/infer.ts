/**
 * One inference request routed for the API, streaming subnets and the others alike: what the JSON route,
 * the SSE route and the inference WebSocket share. A streaming subnet's chunks go to the sink as they come
 * (fallback down the ranking only until the first one); another subnet's answer comes whole.
 */
import { isStreamingSubnet } from '../../subnets';
import type { ApiError } from './errors';
import { routeRequest, routeStream, type RoutingView, type StreamAttempt, type StreamSink } from './routing';

export interface InferResult {
  readonly response: Readonly<Record<string, unknown>>;
  readonly miner: { readonly uid: number; readonly hotkey: string; readonly latencyS: number; readonly score: number; readonly firstChunkS?: number | null };
  readonly tried: readonly StreamAttempt[] | readonly Omit<StreamAttempt, 'firstChunkS' | 'chunks'>[];
}

export type InferOutcome =
  | { readonly ok: true; readonly result: InferResult }
  /** `started`: chunks were forwarded before the failure. */
  | { readonly ok: false; readonly started: boolean; readonly error: ApiError };

export async function inferRequest(view: RoutingView, input: Readonly<Record<string, unknown>>, options: { readonly topK: number; readonly signal: AbortSignal }, sink?: StreamSink): Promise<InferOutcome> {
  if (isStreamingSubnet(view.subnet)) {
    const outcome = await routeStream(view, input, options, sink);
    if (!outcome.ok) return { ok: false, started: outcome.started, error: outcome.error };
    const { uid, hotkey, latencyS, score, firstChunkS } = outcome.miner;
    return { ok: true, result: { response: outcome.response, miner: { uid, hotkey, latencyS, score, firstChunkS }, tried: outcome.tried } };
  }
  const outcome = await routeRequest(view, input, options);
  if (!outcome.ok) return { ok: false, started: false, error: outcome.error };
  const { uid, hotkey, latencyS, score } = outcome.miner;
  return { ok: true, result: { response: outcome.response, miner: { uid, hotkey, latencyS, score }, tried: outcome.tried } };
}
