/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { AUTO_ORDER, EngineError, InferenceEngine, openSession, selectProvider, probeProvider, scaleModel, type ProbeResult, type Provider, type ProviderEnvironment } from '../../../miner/engine';
import { silentLogger } from '../../../common/logger';
import { rejection, tempDir, writeModel } from './helpers';

/** A host where each provider's availability is given. */
function fakeHost(available: Partial<Record<Provider, string | true>>, gpuNodes: string[] = ['/dev/dri/renderD128']): ProviderEnvironment & { probed: Provider[] } {
  const probed: Provider[] = [];
  return {
    probed,
    platform: 'linux',
    gpuDeviceNodes: () => gpuNodes,
    probe: async (p): Promise<ProbeResult> => {
      probed.push(p);
      const a = available[p];
      return a === true ? { available: true } : { available: false, reason: a ?? `${p} missing` };
    },
  };
}

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

test('behavior: explicit cpu loads and runs on the CPU provider with nothing skipped', async () => {
  const path = await writeModel(dir.file('cpu.onnx'), scaleModel({ factor: 2 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false });
  expect(engine.provider).toBe('cpu');
  expect(engine.selection).toEqual({ provider: 'cpu', skipped: [] });
  await engine.close();
});

test('error: explicit cuda fails loudly with ProviderUnavailable and the reason (here: the CUDA EP libraries are not installed)', async () => {
  const path = await writeModel(dir.file('cuda.onnx'), scaleModel({ factor: 2 }).bytes);
  const probe = await probeProvider('cuda');
  expect(probe.available).toBe(false); // this project installs onnxruntime-node with onnxruntime-node-install=skip
  const err = await rejection(InferenceEngine.load(path, { device: 'cuda', watch: false }));
  expect(err).toBeInstanceOf(EngineError);
  expect(err.code).toBe('ProviderUnavailable');
  expect(err.details).toMatchObject({ device: 'cuda' });
  expect(String(err.details!.reason)).toContain('libonnxruntime_providers_cuda.so');
  expect(err.message).toContain('not installed');
});

test('behavior: auto picks the first available of cuda, webgpu, cpu here and says why each one before it was skipped', async () => {
  const path = await writeModel(dir.file('auto.onnx'), scaleModel({ factor: 2 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'auto', watch: false });
  const { provider, skipped } = engine.selection;
  // Skipped providers are exactly those before the chosen one, in order, each with a reason.
  expect(skipped.map((s) => s.provider)).toEqual(AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(provider)));
  for (const s of skipped) expect(s.reason.length).toBeGreaterThan(10);
  expect(skipped[0]).toMatchObject({ provider: 'cuda', reason: expect.stringContaining('not installed') });
  expect(engine.provider).toBe(provider);
  await engine.close();
});

test('behavior: the auto order and reasons, on hosts described by a fake environment', async () => {
  expect(await selectProvider('auto', fakeHost({ cuda: true, webgpu: true, cpu: true }))).toEqual({ provider: 'cuda', skipped: [] });
  expect(await selectProvider('auto', fakeHost({ cuda: 'no driver', webgpu: true, cpu: true }))).toEqual({ provider: 'webgpu', skipped: [{ provider: 'cuda', reason: 'no driver' }] });
  // Without a GPU device node, auto does not even probe WebGPU (only a software rasterizer could answer).
  const noGpu = fakeHost({ cuda: 'no driver', webgpu: true, cpu: true }, []);
  const selection = await selectProvider('auto', noGpu);
  expect(selection.provider).toBe('cpu');
  expect(selection.skipped[1]).toMatchObject({ provider: 'webgpu', reason: expect.stringContaining('software rasterizer') });
  expect(noGpu.probed).toEqual(['cuda', 'cpu']);
  // An explicit webgpu choice uses the software adapter anyway.
  expect(await selectProvider('webgpu', fakeHost({ webgpu: true }, []))).toEqual({ provider: 'webgpu', skipped: [] });
  const err = await rejection(selectProvider('webgpu', fakeHost({ webgpu: 'no adapter' })));
  expect(err).toMatchObject({ code: 'ProviderUnavailable', details: { device: 'webgpu', reason: 'webgpu: no adapter' } });
});

test('behavior: under auto, a provider that is present but cannot open this model is skipped with that reason', async () => {
  // The fake host claims CUDA works; opening the real model on it then fails (its libraries are absent here),
  // while the CPU provider opens the model, so the model is fine and CUDA is skipped. (onnxruntime's
  // process-wide logger prints the failed library load to stderr; that output is expected.)
  const host = fakeHost({ cuda: true, webgpu: 'no adapter', cpu: true });
  const { session, selection } = await openSession(scaleModel({ factor: 2 }).bytes, { device: 'auto', settings: {}, source: 'test', logger: silentLogger, environment: host });
  expect(selection.provider).toBe('cpu');
  expect(selection.skipped[0]).toMatchObject({ provider: 'cuda', reason: expect.stringContaining('cannot run this model') });
  await session.release();
  // Bytes the CPU provider cannot open either are the model's fault: ModelInvalid, not a skipped provider.
  const err = await rejection(openSession(new Uint8Array([8, 1, 2, 3]), { device: 'auto', settings: {}, source: 'junk', logger: silentLogger, environment: host }));
  expect(err.code).toBe('ModelInvalid');
});

test('behavior: thread settings are passed to onnxruntime; an invalid count is refused before loading', async () => {
  const path = await writeModel(dir.file('threads.onnx'), scaleModel({ factor: 2 }).bytes);
  const engine = await InferenceEngine.load(path, { device: 'cpu', watch: false, intraOpNumThreads: 1, interOpNumThreads: 1 });
  await engine.close();
  const err = await rejection(InferenceEngine.load(path, { device: 'cpu', watch: false, intraOpNumThreads: -1 }));
  expect(err).toMatchObject({ code: 'InvalidOptions', details: { option: 'intraOpNumThreads' } });
});
