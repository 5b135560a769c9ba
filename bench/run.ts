/**
 * Benchmark entry point: `node dist/bench/run.js [name…]` (`npm run bench -- consensus`). With no name
 * every registered benchmark runs; an unknown name exits with status 2. Benchmarks report, they never
 * assert. The process re-executes itself with `--expose-gc` when needed, so memory figures can be
 * taken after explicit collections whatever the `bench` script passes to node.
 */
import { spawnSync } from 'node:child_process';
import { consensusBenchmark } from './consensus';
import { localnetBenchmark } from './localnet';
import { chainClientBenchmark } from './chain-client';
import { minerBenchmark } from './miner';
import { validatorBenchmark } from './validator';

/** A named benchmark that prints its own report to stdout. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): void | Promise<void>;
}

const BENCHMARKS: readonly Benchmark[] = [consensusBenchmark, localnetBenchmark, chainClientBenchmark, minerBenchmark, validatorBenchmark];

async function main(argv: readonly string[]): Promise<number> {
  const known = new Map(BENCHMARKS.map((b) => [b.name, b]));
  const unknown = argv.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.map((u) => `"${u}"`).join(', ')}; available: ${[...known.keys()].join(', ')}\n`);
    return 2;
  }
  if (typeof globalThis.gc !== 'function') {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, ...argv], { stdio: 'inherit' });
    return child.status ?? 1;
  }
  const selected = argv.length === 0 ? BENCHMARKS : argv.map((name) => known.get(name)!);
  for (const b of selected) await b.run();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
