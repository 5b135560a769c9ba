/**
 * The runtime a conformance run targets, known when the tests are declared (jest declares tests
 * synchronously), so a scenario the runtime cannot run is declared skipped, by name, with the calls it
 * lacks. localnet's metadata is a file of this repository; a real node's is fetched by a short child
 * process (`state_getMetadata`), since a test file cannot wait for a socket while declaring tests.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { runtimeFromMetadata, type RuntimeView } from '../../chain-client';

const ROOT = join(__dirname, '..', '..');
/** Subtensor's signed extensions carry no data; declared so the registry does not warn about them. */
const SIGNED_EXTENSIONS = { SubtensorSignedExtension: { extrinsic: {}, payload: {} }, CommitmentsSignedExtension: { extrinsic: {}, payload: {} } };

function viewOf(bytes: Uint8Array | `0x${string}`): RuntimeView {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata, undefined, SIGNED_EXTENSIONS);
  return runtimeFromMetadata(registry, metadata);
}

/** The runtime localnet serves (spec 219). */
export function localnetRuntime(): RuntimeView {
  return viewOf(readFileSync(join(ROOT, 'localnet', 'metadata', 'subtensor-spec219-finney.scale')));
}

const FETCH_METADATA = `
const { WsProvider } = require('@polkadot/api');
const provider = new WsProvider(process.argv[1], false);
provider.connect()
  .then(() => provider.isReady)
  .then(() => provider.send('state_getMetadata', []))
  .then((hex) => { process.stdout.write(hex); return provider.disconnect(); })
  .then(() => process.exit(0), (err) => { process.stderr.write(String(err && err.message || err)); process.exit(1); });
`;

/**
 * The runtime of the node at `url`, read in a child process.
 * @throws Error naming the URL when the node does not answer within `timeoutMs`
 */
export function nodeRuntime(url: string, timeoutMs = 60_000): RuntimeView {
  let hex: string;
  try {
    hex = execFileSync(process.execPath, ['-e', FETCH_METADATA, url], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`could not read the runtime metadata of ${url}: ${stderr || (err as Error).message}`);
  }
  return viewOf(hex.trim() as `0x${string}`);
}

/** `Pallet.call` names of `needs` the runtime lacks. */
export function missingCalls(runtime: RuntimeView, needs: readonly string[]): string[] {
  return needs.filter((need) => {
    const [pallet, call] = need.split('.') as [string, string];
    return runtime.findCall(pallet, call) === undefined;
  });
}
