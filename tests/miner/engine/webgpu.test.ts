/** @jest-environment ./tests/miner/engine/ort-environment.js */
/**
 * The WebGPU provider against the CPU provider. On a host without a GPU this runs on a software Vulkan
 * driver (Mesa lavapipe; .ci/run installs it). Without any WebGPU adapter the suite is skipped with the
 * reason, unless TENSORNET_REQUIRE_WEBGPU=1, which turns the missing adapter into a failure.
 *
 * Tolerance: |webgpu - cpu| <= 1e-6 + 1e-5 * |cpu| per element (WebGPU shaders accumulate in another
 * order, and may fuse multiply-adds, so results differ in the last bits; measured on lavapipe: at most
 * 1e-7 absolute on softmax probabilities).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InferenceEngine, mlpModel, scaleModel, textLineModel, type ReferenceModel, type Results } from '../../../miner/engine';
import { floatRows, tempDir, writeModel } from './helpers';

const ATOL = 1e-6;
const RTOL = 1e-5;

/**
 * Whether onnxruntime can open a WebGPU session here, asked in a child process: jest decides what to
 * skip synchronously, and a failing Dawn adapter search prints to stderr, which stays in the child.
 */
function webgpuAdapter(): { available: boolean; reason: string } {
  const folder = mkdtempSync(join(tmpdir(), 'tensornet-webgpu-probe-'));
  try {
    const model = join(folder, 'probe.onnx');
    writeFileSync(model, scaleModel({ factor: 2 }).bytes);
    const script = `require(process.argv[1]).InferenceSession.create(process.argv[2], { executionProviders: ['webgpu'] })
      .then((s) => s.release()).then(() => console.log('ok'), (e) => console.log(String(e && e.message).split('\\n')[0]));`;
    const out = execFileSync(process.execPath, ['-e', script, require.resolve('onnxruntime-node'), model], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
    return out === 'ok' ? { available: true, reason: '' } : { available: false, reason: out || 'the probe printed nothing' };
  } catch (err) {
    return { available: false, reason: `the probe process failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const adapter = webgpuAdapter();
const required = process.env.TENSORNET_REQUIRE_WEBGPU === '1';

if (!adapter.available && required) {
  test('error: TENSORNET_REQUIRE_WEBGPU=1 but no WebGPU adapter is available', () => {
    throw new Error(`WebGPU is required here but unavailable: ${adapter.reason}`);
  });
} else if (!adapter.available) {
  console.warn(`WebGPU tests skipped: no WebGPU adapter (${adapter.reason}). Install a Vulkan driver (Debian: mesa-vulkan-drivers >= 23, e.g. from bookworm-backports, and libvulkan1).`);
  test.skip('behavior: the WebGPU provider computes what the CPU provider computes (no adapter here)', () => undefined);
} else {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.cleanup());

  function expectClose(gpu: Results, cpu: Results): void {
    for (const [name, expected] of Object.entries(cpu)) {
      const actual = gpu[name]!;
      expect(actual.dims).toEqual(expected.dims);
      const a = actual.data as Float32Array;
      const e = expected.data as Float32Array;
      for (let i = 0; i < e.length; i++) {
        const diff = Math.abs(a[i]! - e[i]!);
        if (diff > ATOL + RTOL * Math.abs(e[i]!)) throw new Error(`${name}[${i}]: webgpu ${a[i]} vs cpu ${e[i]} (|diff| ${diff})`);
      }
    }
  }

  const cases: Array<[string, ReferenceModel, readonly number[]]> = [
    ['mlp', mlpModel({ inputSize: 16, hidden: [32, 16], outputSize: 5, seed: 21 }), [16]],
    ['conv', textLineModel({ features: 2, classes: 5, seed: 8 }), [3, 48, 320]],
  ];

  test.each(cases)('behavior: the WebGPU provider computes what the CPU provider computes (%s, batched requests)', async (name, model, rowShape) => {
    const path = await writeModel(dir.file(`${name}.onnx`), model.bytes);
    const gpu = await InferenceEngine.load(path, { device: 'webgpu', watch: false, spec: model.spec });
    const cpu = await InferenceEngine.load(path, { device: 'cpu', watch: false, spec: model.spec });
    expect(gpu.selection).toEqual({ provider: 'webgpu', skipped: [] });
    const inputName = model.spec.inputs[0]!.name;
    const feeds = [1, 2, 1].map((rows, i) => ({ [inputName]: floatRows(rows, rowShape, i + 1) }));
    const [gpuResults, cpuResults] = await Promise.all([Promise.all(feeds.map((f) => gpu.run(f))), Promise.all(feeds.map((f) => cpu.run(f)))]);
    gpuResults.forEach((r, i) => expectClose(r, cpuResults[i]!));
    await Promise.all([gpu.close(), cpu.close()]);
  });
}
