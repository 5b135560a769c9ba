import { TensornetError } from '../../common/errors';

/**
 * Machine-readable codes of the inference engine's errors:
 * - `ProviderUnavailable`: an explicitly chosen execution provider cannot run here (`details.reason` says why).
 * - `ModelNotFound`: the model file does not exist or cannot be read.
 * - `ModelInvalid`: the file is not a model onnxruntime can load, or its warm-up run failed.
 * - `ModelSpecMismatch`: the model's inputs/outputs differ from the declared {@link ModelSpec}
 *   (`details.tensor` names the tensor, `details.field` what differs).
 * - `InvalidInput`: a request's feeds do not fit the model (`details.input`, `details.field`); the axon maps it to HTTP 400.
 * - `Aborted`: the request's `AbortSignal` fired before its result was delivered.
 * - `EngineClosed`: the engine was closed.
 * - `InferenceFailed`: onnxruntime failed while running the model.
 * - `InvalidOptions`: an engine option is out of range.
 * - `InvalidGraph`: the ONNX writer was given an inconsistent graph (duplicate names, data that does not fit its dims).
 */
export type EngineErrorCode =
  | 'ProviderUnavailable'
  | 'ModelNotFound'
  | 'ModelInvalid'
  | 'ModelSpecMismatch'
  | 'InvalidInput'
  | 'Aborted'
  | 'EngineClosed'
  | 'InferenceFailed'
  | 'InvalidOptions'
  | 'InvalidGraph';

/** The one error type the engine throws; branch on `code`. */
export class EngineError extends TensornetError<EngineErrorCode> {}

/** The message of any thrown value (onnxruntime throws plain `Error`s, sometimes multi-line). */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.trim();
}
