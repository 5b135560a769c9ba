/**
 * Pins the direction of the dependencies between top-level folders, read from every relative import of
 * every source file (TypeScript's own import scanner: `import`, `export … from`, `import()`, `require`):
 *
 * - the folder graph has no cycle;
 * - the chain stack points one way: common ← consensus ← root-network ← localnet ← simulate;
 * - chain-client, protocol, miner, subnets and validator never import localnet or simulate;
 * - only cli and bench import cli or bench;
 * - an import that crosses into another folder names that folder (or one of its sub-folders) whose
 *   `index.ts` is the public surface, never a file inside it. `common/` has no index (each module is one
 *   primitive: errors, logger, random) and is imported module by module. The pure layers' internals that
 *   localnet and root-network build on (fixed-point arithmetic, registration and pruning math) are the
 *   listed exceptions; a new deep import fails here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
/** Top-level folders that are not source. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'bin', 'tests', 'docs']);

/** Deep imports of the pure layers' internals that their indexes do not export (file → target, repo-relative, no extension). */
const DEEP_IMPORT_EXCEPTIONS: ReadonlySet<string> = new Set([
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/drain',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/emission',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/errors',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/fixed/bigint',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/fixed/transcendental',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/root',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> consensus/types',
  'localnet/runtime/pallets/subtensor/coinbase.ts -> root-network/emission',
  'localnet/runtime/pallets/subtensor/common.ts -> consensus/fixed/bigint',
  'localnet/runtime/pallets/subtensor/epoch.ts -> consensus/types',
  'localnet/runtime/pallets/subtensor/epoch.ts -> consensus/yuma',
  'localnet/runtime/pallets/subtensor/networks.ts -> consensus/subnet-pruning',
  'localnet/runtime/pallets/subtensor/networks.ts -> root-network/errors',
  'localnet/runtime/pallets/subtensor/networks.ts -> root-network/lock-cost',
  'localnet/runtime/pallets/subtensor/networks.ts -> root-network/membership',
  'localnet/runtime/pallets/subtensor/registration.ts -> consensus/registration',
  'localnet/runtime/pallets/subtensor/rpc.ts -> consensus/fixed/bigint',
  'localnet/runtime/pallets/subtensor/weights.ts -> consensus/fixed/bigint',
  'root-network/emission.ts -> consensus/emission',
  'root-network/emission.ts -> consensus/fixed/bigint',
  'root-network/emission.ts -> consensus/root',
  'root-network/pruning.ts -> consensus/subnet-pruning',
]);

/** The chain stack, lowest first: a folder here imports only folders before it. */
const CHAIN_STACK = ['common', 'consensus', 'root-network', 'localnet', 'simulate'];
/** Folders that run on a real chain through the chain client and must never reach into the embedded node. */
const NEVER_LOCALNET = ['chain-client', 'protocol', 'miner', 'subnets', 'validator'];
/** Entry points: nothing but themselves imports them. */
const ENTRY_POINTS = ['cli', 'bench'];

interface Edge {
  readonly file: string;
  readonly from: string;
  readonly target: string;
  readonly to: string;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const topOf = (repoPath: string): string => repoPath.split('/')[0]!;
const repoRelative = (path: string): string => relative(ROOT, path).split(sep).join('/');

function crossFolderEdges(): Edge[] {
  const folders = readdirSync(ROOT).filter((name) => !name.startsWith('.') && !NOT_SOURCE.has(name) && statSync(join(ROOT, name)).isDirectory());
  const edges: Edge[] = [];
  for (const folder of folders) {
    for (const path of sourceFiles(join(ROOT, folder))) {
      const file = repoRelative(path);
      for (const imported of ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles) {
        if (!imported.fileName.startsWith('.')) continue;
        const target = repoRelative(resolve(dirname(path), imported.fileName));
        const to = topOf(target);
        if (to !== folder) edges.push({ file, from: folder, target, to });
      }
    }
  }
  return edges;
}

const edges = crossFolderEdges();
const show = (e: Edge): string => `${e.file} -> ${e.target}`;

describe('dependency direction between top-level folders', () => {
  test('the scan sees the imports it is meant to judge', () => {
    expect(edges.some((e) => e.from === 'localnet' && e.to === 'root-network')).toBe(true);
    expect(edges.some((e) => e.from === 'simulate' && e.to === 'localnet')).toBe(true);
    expect(edges.some((e) => e.from === 'cli' && e.to === 'chain-client')).toBe(true);
  });

  test('the folder graph has no cycle', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  test('the chain stack points one way: common <- consensus <- root-network <- localnet <- simulate', () => {
    const rank = (folder: string): number => CHAIN_STACK.indexOf(folder);
    const upward = edges.filter((e) => rank(e.from) >= 0 && rank(e.to) >= 0 && rank(e.to) > rank(e.from));
    expect(upward.map(show)).toEqual([]);
  });

  test('chain-client, protocol, miner, subnets and validator never import localnet or simulate', () => {
    const bad = edges.filter((e) => NEVER_LOCALNET.includes(e.from) && (e.to === 'localnet' || e.to === 'simulate'));
    expect(bad.map(show)).toEqual([]);
  });

  test('only the entry points (cli, bench) import the entry points', () => {
    const bad = edges.filter((e) => ENTRY_POINTS.includes(e.to) && !ENTRY_POINTS.includes(e.from));
    expect(bad.map(show)).toEqual([]);
  });

  test("an import into another folder names a folder whose index.ts is its public surface (common/ excepted)", () => {
    const deep = edges.filter((e) => e.to !== 'common' && !existsSync(join(ROOT, e.target, 'index.ts')) && !DEEP_IMPORT_EXCEPTIONS.has(show(e)));
    expect(deep.map(show)).toEqual([]);
  });
});
