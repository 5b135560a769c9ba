/**
 * onnxruntime sessions: open a model on the chosen provider (falling back under `auto` when a provider
 * cannot run this particular model), read its inputs/outputs, and warm it up.
 */
import { InferenceSession } from 'onnxruntime-node';

import type { Logger } from '../../common/logger';
import { isTensorDtype } from './dtypes';
import { EngineError, errorMessage } from './errors';
import { hostEnvironment, providerCandidates, providerUnavailable, unavailableReason, type Device, type Provider, type ProviderEnvironment, type ProviderSelection, type SkippedProvider } from './providers';
import type { ModelSpec, TensorSpec } from './spec';
import { zerosTensor } from './tensors';

/** onnxruntime thread settings. */
export interface SessionSettings {
  /** Threads one operator may use. @default 0 (onnxruntime's default: one per physical core) */
  readonly intraOpNumThreads?: number;
  /** Threads running independent operators in parallel (used only in parallel execution mode). @default 0 (onnxruntime's default) */
  readonly interOpNumThreads?: number;
}

/** Opens `bytes` on `provider` (no fallback: onnxruntime itself still assigns nodes a GPU provider lacks to CPU). */
export async function createSession(bytes: Uint8Array, provider: Provider, settings: SessionSettings): Promise<InferenceSession> {
  return InferenceSession.create(bytes, sessionOptions(provider, settings));
}

/** The onnxruntime session options of a provider and thread settings. */
export function sessionOptions(provider: Provider, settings: SessionSettings): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 4 };
  if (settings.intraOpNumThreads !== undefined) options.intraOpNumThreads = settings.intraOpNumThreads;
  if (settings.interOpNumThreads !== undefined) options.interOpNumThreads = settings.interOpNumThreads;
  return options;
}

function describe(side: 'input' | 'output', metadata: readonly InferenceSession.ValueMetadata[], source: string): TensorSpec[] {
  return metadata.map((m) => {
    if (!m.isTensor) throw new EngineError('ModelInvalid', `${source}: ${side} '${m.name}' is not a tensor (sequences and maps are not supported)`, { path: source, tensor: m.name });
    if (!isTensorDtype(m.type)) throw new EngineError('ModelInvalid', `${source}: ${side} '${m.name}' has unsupported dtype ${m.type}`, { path: source, tensor: m.name });
    return { name: m.name, dtype: m.type, shape: [...m.shape] };
  });
}

/** The inputs and outputs of an open session, as a {@link ModelSpec} (dynamic dims are strings, `''` when unnamed). */
export function describeSession(session: InferenceSession, source: string): ModelSpec {
  return { inputs: describe('input', session.inputMetadata, source), outputs: describe('output', session.outputMetadata, source) };
}

/**
 * One run on zeros of each input's dtype, every dynamic dim set to 1, so the first real request does not
 * pay for kernel selection, shader compilation and arena growth. A failure is `ModelInvalid`.
 */
export async function warmUp(session: Pick<InferenceSession, 'run'>, inputs: readonly TensorSpec[], source: string): Promise<void> {
  const feeds = Object.fromEntries(inputs.map((i) => [i.name, zerosTensor(i.dtype, i.shape.map((d) => (typeof d === 'number' ? d : 1)))]));
  try {
    await session.run(feeds);
  } catch (err) {
    throw new EngineError('ModelInvalid', `${source}: the warm-up run (zeros, dynamic dims = 1) failed: ${errorMessage(err)}`, { path: source }, { cause: err });
  }
}

function modelInvalid(source: string, err: unknown): EngineError {
  return new EngineError('ModelInvalid', `${source}: onnxruntime cannot load the model: ${errorMessage(err)}`, { path: source }, { cause: err });
}

/** What {@link openSession} needs. */
export interface OpenSessionOptions {
  readonly device: Device;
  readonly settings: SessionSettings;
  /** Where the bytes came from, for messages. */
  readonly source: string;
  readonly logger: Logger;
  /** @default hostEnvironment */
  readonly environment?: ProviderEnvironment;
}

/**
 * Opens a model for a device choice. Each candidate provider (CUDA, WebGPU, CPU under `auto`; the one
 * chosen otherwise) must first be available here, then must open this model; a provider that fails the
 * model while the CPU provider opens it is skipped with that reason. Bytes the CPU provider cannot open
 * are `ModelInvalid`; an explicit choice that cannot run is `ProviderUnavailable`. Logs the decision.
 */
export async function openSession(bytes: Uint8Array, options: OpenSessionOptions): Promise<{ session: InferenceSession; selection: ProviderSelection }> {
  const { device, settings, source, logger } = options;
  const env = options.environment ?? hostEnvironment;
  const skipped: SkippedProvider[] = [];
  for (const provider of providerCandidates(device)) {
    const reason = await unavailableReason(provider, device === 'auto', env);
    if (reason !== null) {
      skipped.push({ provider, reason });
      continue;
    }
    try {
      const session = await createSession(bytes, provider, settings);
      const selection: ProviderSelection = { provider, skipped };
      logger.info('inference provider selected', { device, provider, skipped, model: source });
      return { session, selection };
    } catch (err) {
      if (provider === 'cpu') throw modelInvalid(source, err);
      // The provider is there but failed this model: find out whether the model itself is at fault.
      try {
        const cpu = await createSession(bytes, 'cpu', { intraOpNumThreads: 1 });
        await cpu.release();
      } catch (cpuErr) {
        throw modelInvalid(source, cpuErr);
      }
      skipped.push({ provider, reason: `cannot run this model: ${errorMessage(err).split('\n')[0]}` });
    }
  }
  throw providerUnavailable(device, skipped);
}
