/**
 * Execution-provider availability: which of CUDA, WebGPU and CPU can run here, found out for real (by
 * opening a session on a tiny probe model) and explained when not.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InferenceSession, listSupportedBackends } from 'onnxruntime-node';

import { EngineError, errorMessage } from './errors';
import { GraphBuilder, encodeModel } from './onnx-writer';

/** An onnxruntime execution provider the engine can run on. */
export type Provider = 'cuda' | 'webgpu' | 'cpu';

/** A device choice: a provider, or `auto` (CUDA, then WebGPU, then CPU). */
export type Device = 'auto' | Provider;

export const DEVICES: readonly Device[] = Object.freeze(['auto', 'cuda', 'webgpu', 'cpu']);

/** The order `auto` tries providers in. */
export const AUTO_ORDER: readonly Provider[] = Object.freeze(['cuda', 'webgpu', 'cpu']);

/** A provider that was not used, and why. */
export interface SkippedProvider {
  readonly provider: Provider;
  readonly reason: string;
}

/** The provider decision, as data: what runs, and why each provider tried before it was skipped. */
export interface ProviderSelection {
  readonly provider: Provider;
  readonly skipped: readonly SkippedProvider[];
}

export type ProbeResult = { readonly available: true } | { readonly available: false; readonly reason: string };

/** What provider selection asks of its surroundings; tests substitute it. */
export interface ProviderEnvironment {
  /** Whether a provider can open a session at all here (cached per process by the default). */
  probe(provider: Provider): Promise<ProbeResult>;
  /** GPU device nodes present on this host (Linux: /dev/dri/renderD*, /dev/nvidia*, /dev/dxg). */
  gpuDeviceNodes(): readonly string[];
  readonly platform: NodeJS.Platform;
}

/** The folder onnxruntime-node loads its native libraries (and the CUDA EP libraries) from. */
export function ortBinaryDir(): string {
  const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

/** The libraries the CUDA EP needs next to the binding; npm installs them unless `onnxruntime-node-install=skip`. */
export const CUDA_EP_LIBRARIES: readonly string[] = Object.freeze(['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']);

let probeModel: Uint8Array | undefined;

/** A one-node model (y = x + x) every provider implements. */
function probeModelBytes(): Uint8Array {
  if (probeModel === undefined) {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 4]);
    g.op('Add', [x, x], {}, 'y');
    g.output('y', 'float32', [1, 4]);
    probeModel = encodeModel(g.build({ graphName: 'provider_probe' }));
  }
  return probeModel;
}

async function trySession(provider: Provider): Promise<ProbeResult> {
  try {
    const session = await InferenceSession.create(probeModelBytes(), { executionProviders: [provider], logSeverityLevel: 4 });
    await session.release();
    return { available: true };
  } catch (err) {
    return { available: false, reason: errorMessage(err).split('\n')[0]! };
  }
}

function bundled(name: string): boolean {
  return listSupportedBackends().some((b) => b.name === name);
}

async function probeCuda(): Promise<ProbeResult> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { available: false, reason: `onnxruntime-node ships the CUDA provider for linux/x64 only (this is ${process.platform}/${process.arch})` };
  }
  const dir = ortBinaryDir();
  const missing = CUDA_EP_LIBRARIES.filter((lib) => !existsSync(join(dir, lib)));
  if (missing.length > 0) {
    // Opening a session would only fail to dlopen them (and print an onnxruntime error on stderr).
    return {
      available: false,
      reason: `the CUDA provider libraries are not installed (${missing.join(', ')} missing in ${dir}; onnxruntime-node was installed with onnxruntime-node-install=skip — see miner/engine/README.md)`,
    };
  }
  const result = await trySession('cuda');
  return result.available ? result : { available: false, reason: `the CUDA provider failed to start: ${result.reason}` };
}

async function probeWebGpu(): Promise<ProbeResult> {
  if (!bundled('webgpu')) {
    return { available: false, reason: `this onnxruntime-node build has no WebGPU provider (${process.platform}/${process.arch})` };
  }
  const result = await trySession('webgpu');
  if (result.available) return result;
  const hint = /adapter/i.test(result.reason) ? ' (WebGPU needs a Vulkan driver on Linux: a GPU driver, or Mesa >= 23 lavapipe for a software one)' : '';
  return { available: false, reason: `no usable WebGPU adapter: ${result.reason}${hint}` };
}

const probes = new Map<Provider, Promise<ProbeResult>>();

/** Whether `provider` can open a session in this process; probed once per process, then cached. */
export function probeProvider(provider: Provider): Promise<ProbeResult> {
  let result = probes.get(provider);
  if (result === undefined) {
    result = provider === 'cuda' ? probeCuda() : provider === 'webgpu' ? probeWebGpu() : trySession('cpu');
    probes.set(provider, result);
  }
  return result;
}

function listGpuDeviceNodes(): readonly string[] {
  const found: string[] = [];
  const scan = (dir: string, match: (name: string) => boolean): void => {
    try {
      for (const name of readdirSync(dir)) if (match(name)) found.push(join(dir, name));
    } catch {
      // no such folder: no such devices
    }
  };
  scan('/dev/dri', (n) => n.startsWith('renderD'));
  scan('/dev', (n) => /^nvidia\d+$/.test(n) || n === 'dxg');
  return found;
}

/** The real host. */
export const hostEnvironment: ProviderEnvironment = Object.freeze({
  probe: probeProvider,
  gpuDeviceNodes: listGpuDeviceNodes,
  platform: process.platform,
});

/** The providers a device choice tries, in order. */
export function providerCandidates(device: Device): readonly Provider[] {
  return device === 'auto' ? AUTO_ORDER : [device];
}

/**
 * Why `provider` cannot be used here (null when it can). Under `auto` on Linux, WebGPU also needs a GPU
 * device node: without one the only Vulkan adapters are software rasterizers (lavapipe), which run
 * models slower than the CPU provider; an explicit `webgpu` choice uses them anyway.
 */
export async function unavailableReason(provider: Provider, auto: boolean, env: ProviderEnvironment = hostEnvironment): Promise<string | null> {
  if (auto && provider === 'webgpu' && env.platform === 'linux' && env.gpuDeviceNodes().length === 0) {
    return 'no GPU device node (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg): any Vulkan adapter here is a software rasterizer, slower than the CPU provider (choose device webgpu to use it anyway)';
  }
  const probe = await env.probe(provider);
  return probe.available ? null : probe.reason;
}

/** The `ProviderUnavailable` error for a device choice none of whose providers can run. */
export function providerUnavailable(device: Device, skipped: readonly SkippedProvider[]): EngineError {
  const reasons = skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
  return new EngineError('ProviderUnavailable', `device '${device}' is unavailable: ${reasons}`, { device, reason: reasons, skipped });
}

/**
 * Picks the provider for a device choice without loading a model: `auto` takes the first available of
 * CUDA, WebGPU, CPU and records why each earlier one was skipped; an explicit choice that is unavailable
 * throws `ProviderUnavailable` with the reason (`details.reason`). The engine goes one step further and
 * also opens the model on the provider (see `openSession`).
 */
export async function selectProvider(device: Device, env: ProviderEnvironment = hostEnvironment): Promise<ProviderSelection> {
  const skipped: SkippedProvider[] = [];
  for (const provider of providerCandidates(device)) {
    const reason = await unavailableReason(provider, device === 'auto', env);
    if (reason === null) return { provider, skipped };
    skipped.push({ provider, reason });
  }
  throw providerUnavailable(device, skipped);
}
