/**
 * Miner handlers by subnet name (`tensornet miner --subnet NAME`). Built in: `tensor` (generic ONNX
 * inference). A subnet adds its handler to the registry with `register`.
 */
import { HandlerRegistry } from './registry';
import { tensorHandler } from './tensor';

export { HandlerError, type HandlerErrorCode } from './errors';
export type { HandlerContext, HandlerTier, MinerHandler, ModelRequirement } from './handler';
export { HandlerRegistry, attachHandler, checkModelChoice, chooseModel, chooseTier } from './registry';
export { engineRefusal, runModel } from './run-model';
export {
  TensorInference, btTensorOf, feedsOf, outputsOf, tensorHandler,
  type TensorInferenceRequest, type TensorInferenceResponse,
} from './tensor';

/** The handlers tensornet ships. */
export const BUILTIN_HANDLERS = Object.freeze([tensorHandler]);

/** A registry holding the built-in handlers. */
export function createHandlerRegistry(): HandlerRegistry {
  return new HandlerRegistry(BUILTIN_HANDLERS);
}
