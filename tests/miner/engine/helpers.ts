/** Test helpers for the inference engine suites: temp model files, a recording metrics sink, tensors. */
import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tensor } from 'onnxruntime-node';

import type { EngineMetrics, Provider, ReloadEvent, InferenceEngine } from '../../../miner/engine';

/** A temp folder, removed by `cleanup()`. */
export async function tempDir(): Promise<{ dir: string; file: (name: string) => string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tensornet-engine-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a model file. */
export async function writeModel(path: string, bytes: Uint8Array): Promise<string> {
  await writeFile(path, bytes);
  return path;
}

/** Replaces a file the way editors and deploy tools do: write a sibling, rename it over the target. */
export async function replaceAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

/** An {@link EngineMetrics} that records every call. */
export function recordingMetrics(): EngineMetrics & { batchSizes: number[]; queueDepths: number[]; inferences: number[]; providers: Provider[]; reloads: boolean[] } {
  const r = { batchSizes: [] as number[], queueDepths: [] as number[], inferences: [] as number[], providers: [] as Provider[], reloads: [] as boolean[] };
  return {
    ...r,
    batchSize: (rows) => r.batchSizes.push(rows),
    queueDepth: (n) => r.queueDepths.push(n),
    inference: (s) => r.inferences.push(s),
    provider: (p) => r.providers.push(p),
    reload: (ok) => r.reloads.push(ok),
  };
}

/** A float32 tensor [rows, ...rowShape] of deterministic pseudo-random values; `salt` varies the values. */
export function floatRows(rows: number, rowShape: readonly number[], salt = 0): Tensor {
  const size = rows * rowShape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.sin(i * 0.731 + salt * 12.9898) * 0.5 + 0.5;
  return new Tensor('float32', data, [rows, ...rowShape]);
}

/** The next reload event of an engine. */
export function nextReload(engine: InferenceEngine, timeoutMs = 10_000): Promise<ReloadEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no reload event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = engine.onReload((event) => {
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

/** Rejection of a promise (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Readonly<Record<string, unknown>> }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection, the promise resolved');
}

/** A logger that keeps every entry. */
export function recordingLogger(): { entries: Array<{ level: string; message: string; context?: Readonly<Record<string, unknown>> }> } & import('../../../common/logger').Logger {
  const entries: Array<{ level: string; message: string; context?: Readonly<Record<string, unknown>> }> = [];
  const at = (level: string) => (message: string, context?: Readonly<Record<string, unknown>>): void => {
    entries.push({ level, message, context });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
