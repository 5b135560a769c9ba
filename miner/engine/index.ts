/**
 * The miner's ONNX inference engine. See README.md in this folder.
 */
export { InferenceEngine, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS, DEFAULT_RELOAD_DEBOUNCE_MS } from './engine';
export type { EngineOptions, RunOptions, ReloadEvent, ReloadListener } from './engine';
export { EngineError } from './errors';
export type { EngineErrorCode } from './errors';
export type { EngineMetrics } from './metrics';
export type { ModelIdentity } from './model-instance';
export { checkFeeds } from './feeds';
export type { Feeds, Results } from './feeds';
export { checkModelAgainstSpec, hasDynamicBatchDim } from './spec';
export type { ModelSpec, TensorSpec } from './spec';
export { TENSOR_DTYPES, isTensorDtype } from './dtypes';
export type { TensorDtype } from './dtypes';
export { tensorFromArray, zerosTensor, toFloat16Bits } from './tensors';
export type { NestedArray, TensorElement } from './tensors';
export { AUTO_ORDER, CUDA_EP_LIBRARIES, DEVICES, hostEnvironment, ortBinaryDir, probeProvider, selectProvider } from './providers';
export type { Device, Provider, ProviderSelection, SkippedProvider, ProbeResult, ProviderEnvironment } from './providers';
export { openSession } from './session';
export type { SessionSettings, OpenSessionOptions } from './session';
export { GraphBuilder, buildModelProto, encodeModel, DEFAULT_OPSET, DEFAULT_IR_VERSION } from './onnx-writer';
export type { AttributeValue, Dim, InitializerData, InitializerDef, ModelDef, NodeDef, ValueInfo } from './onnx-writer';
export { mlpModel, textLineModel, scaleModel, pairModel, embeddingModel } from './reference-models';
export type { ReferenceModel, MlpModelOptions, TextLineModelOptions, ScaleModelOptions, PairModelOptions, EmbeddingModelOptions } from './reference-models';
export { mulberry32 } from './prng';
