/**
 * Running a request through the engine from a handler: the engine's refusals of the request become the
 * axon's (a request the model cannot take is the caller's fault, 400; a closed engine is 503), anything
 * else stays an internal error (500, logged with an id).
 */
import { AxonRefusal } from '../axon';
import { EngineError, type Feeds, type InferenceEngine, type Results } from '../engine';

/** The axon refusal an engine error stands for, or the error itself when it is not the caller's doing. */
export function engineRefusal(err: unknown, synapse: string): unknown {
  if (!(err instanceof EngineError)) return err;
  if (err.code === 'InvalidInput') return new AxonRefusal('InvalidBody', `${synapse}: ${err.message}`);
  if (err.code === 'EngineClosed') return new AxonRefusal('ShuttingDown', 'Service unavailable: the model is closed (the miner is shutting down)');
  return err;
}

/**
 * Builds the feeds with `build` (whose `InvalidInput` errors are refusals too) and runs them through the
 * engine's batcher, abandoned when `signal` fires.
 * @throws AxonRefusal `InvalidBody` (400), `ShuttingDown` (503); EngineError `Aborted`, `InferenceFailed`
 */
export async function runModel(engine: InferenceEngine, synapse: string, build: () => Feeds, signal: AbortSignal): Promise<Results> {
  try {
    return await engine.run(build(), { signal });
  } catch (err) {
    throw engineRefusal(err, synapse);
  }
}
