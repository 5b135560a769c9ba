/**
 * `tensornet localnet`: runs the embedded subtensor node until interrupted.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  applyGenesisSubnets,
  DevGenesisExposedError,
  genesisConfigOf,
  parseGenesisFile,
  parseRpcCors,
  RPC_METHODS_POLICIES,
  RpcAccessError,
  startLocalnet,
  subtensorItems as st,
  type CorsPolicy,
  type GenesisFile,
  type LocalnetOptions,
  type RpcMethodsPolicy,
} from '../../../localnet';
import { CliError } from '../../errors';
import { withSettings } from '../../config';
import { createLogger, type LogLevel } from '../../logging';
import type { CliIo } from '../../io';

export interface LocalnetArgs {
  readonly 'data-dir'?: string;
  readonly tmp: boolean;
  readonly port: number;
  readonly host: string;
  readonly 'block-time'?: number;
  readonly dev: boolean;
  readonly genesis?: string;
  readonly 'log-level': LogLevel;
  readonly 'rpc-methods': RpcMethodsPolicy;
  readonly 'rpc-cors'?: string;
  readonly 'unsafe-dev-genesis-on-network': boolean;
}

/** `--dev`: block time, root and new-subnet tempo; subnets can be registered right away. */
export const DEV_BLOCK_TIME_MS = 250;
export const DEV_TEMPO = 10;

const CHAIN_FILE = 'chain.json';

interface StoredChainSpec {
  readonly genesis: unknown;
  readonly dev: boolean;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError('InputUnreadable', `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError('InputUnreadable', `${what} ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * The chain spec a data dir was created with (genesis document and --dev) is stored in it, so a restart
 * rebuilds the same genesis; starting it with a different one is refused instead of forking silently.
 */
function resolveSpec(dataDir: string | undefined, requested: StoredChainSpec): StoredChainSpec {
  if (!dataDir) return requested;
  const file = join(dataDir, CHAIN_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(requested, null, 2)}\n`, { mode: 0o600 });
    return requested;
  }
  const stored = readJson(file, 'chain spec') as StoredChainSpec;
  if (JSON.stringify(stored) !== JSON.stringify(requested) && (requested.genesis !== null || requested.dev !== stored.dev)) {
    throw new CliError('UsageError', `${dataDir} holds a chain created with a different genesis or --dev setting; use another --data-dir or --tmp`);
  }
  return stored;
}

export async function localnetHandler(args: LocalnetArgs, io: CliIo): Promise<void> {
  if (args['data-dir'] && args.tmp) throw new CliError('UsageError', '--data-dir and --tmp exclude each other');
  let rpcCors: CorsPolicy | undefined;
  try {
    rpcCors = args['rpc-cors'] === undefined ? undefined : parseRpcCors(args['rpc-cors']);
  } catch (err) {
    if (err instanceof RpcAccessError) throw new CliError('UsageError', err.message);
    throw err;
  }
  const requestedGenesis = args.genesis ? readJson(args.genesis, 'genesis file') : null;
  const tmpDir = args.tmp ? mkdtempSync(join(tmpdir(), 'tensornet-localnet-')) : undefined;
  const dataDir = tmpDir ?? args['data-dir'] ?? join(homedir(), '.tensornet', 'localnet');
  const spec = resolveSpec(dataDir, { genesis: requestedGenesis, dev: args.dev });
  let genesis: GenesisFile | undefined;
  try {
    genesis = spec.genesis === null ? undefined : parseGenesisFile(spec.genesis);
  } catch (err) {
    throw new CliError('InputUnreadable', (err as Error).message);
  }
  await cryptoWaitReady();
  const log = createLogger(args['log-level']);
  const options: LocalnetOptions = {
    logger: log.child('rpc'),
    host: args.host,
    port: args.port,
    dataDir,
    blockTimeMs: args['block-time'] ?? (spec.dev ? DEV_BLOCK_TIME_MS : 12_000),
    rpcMethods: args['rpc-methods'],
    ...(rpcCors ? { rpcCors } : {}),
    allowDevGenesisOnNetwork: args['unsafe-dev-genesis-on-network'],
    ...(genesis ? { genesis: genesisConfigOf(genesis) } : {}),
    ...(spec.dev ? { runtimeConfig: { newSubnetTempo: DEV_TEMPO } } : {}),
    extendGenesis: (state, runtime) => {
      if (spec.dev) {
        st().Tempo.set(state, 0, DEV_TEMPO);
        st().NetworkRateLimit.set(state, 0n);
      }
      if (genesis) applyGenesisSubnets(genesis, state, runtime);
    },
  };
  let net;
  try {
    net = await startLocalnet(options);
  } catch (err) {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError('UsageError', `port ${args.port} on ${args.host} is in use (pick another with --port)`);
    if (err instanceof DevGenesisExposedError) throw new CliError('UsageError', err.message);
    throw err;
  }
  const chainLog = log.child('chain');
  net.chain.on('newBlock', (block) => chainLog.info('imported block', { number: block.number, hash: block.hash, extrinsics: block.extrinsics.length }));
  const { snapshotBlock, replayedBlocks } = net.chain.resumed;
  const resumed = replayedBlocks > 0 || snapshotBlock !== null ? ` (resumed${snapshotBlock !== null ? ` from snapshot #${snapshotBlock}` : ''}, ${replayedBlocks} blocks replayed)` : '';
  io.writeStderr(`tensornet localnet: ${net.url} (also HTTP ${net.httpUrl}, ${net.denyUnsafe ? 'safe RPC methods only' : 'unsafe RPC methods such as dev_newBlock served'}), genesis ${net.chain.genesisHash}, best block #${net.chain.bestBlock().number}${resumed}, data ${tmpDir ? `${tmpDir} (temporary)` : dataDir}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) process.exit(130);
      stopping = true;
      io.writeStderr('tensornet localnet: stopping (Ctrl+C again to force)\n');
      void net.close().then(() => {
        if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function localnetCommand(io: CliIo): CommandModule<object, LocalnetArgs> {
  return {
    command: 'localnet',
    describe: 'Run the embedded subtensor node (Substrate JSON-RPC over WebSocket and HTTP)',
    builder: (y) =>
      withSettings(y, io, { keys: ['log-level'], describe: { 'log-level': 'JSON log lines on stderr (blocks at info, RPC at debug)' } }).options({
        'data-dir': { type: 'string', requiresArg: true, description: 'Where blocks are kept (resumes from it) [default: ~/.tensornet/localnet]' },
        tmp: { type: 'boolean', default: false, description: 'Use a fresh temporary data dir, removed on exit' },
        port: { type: 'number', default: 9944, description: 'JSON-RPC port (0 picks a free one)' },
        host: { type: 'string', default: '127.0.0.1', description: 'Interface to bind' },
        'block-time': { type: 'number', requiresArg: true, description: 'ms between blocks; 0 = only on dev_newBlock [default: 12000, 250 with --dev]' },
        dev: { type: 'boolean', default: false, description: `${DEV_BLOCK_TIME_MS} ms blocks, tempo ${DEV_TEMPO} for root and new subnets, no subnet registration rate limit` },
        genesis: { type: 'string', requiresArg: true, description: 'Genesis file: balances, subnets, hyperparameters, neurons, stake (see localnet/chain/genesis-file.ts)' },
        'rpc-methods': {
          choices: RPC_METHODS_POLICIES,
          default: 'auto' as RpcMethodsPolicy,
          description: 'Serve the unsafe RPC methods (dev_newBlock, state_queryStorage, system_peers): unsafe = yes, safe = no, auto = only when --host is loopback',
        },
        'rpc-cors': {
          type: 'string',
          requiresArg: true,
          description: 'Browser origins allowed to call over HTTP and WebSocket: all, or a comma list such as http://localhost:3000,https://polkadot.js.org (:* = any port) [default: http(s) pages on localhost, 127.0.0.1, [::1]]',
        },
        'unsafe-dev-genesis-on-network': {
          type: 'boolean',
          default: false,
          description: 'Listen on a non-loopback --host although the sudo key is a public dev key (//Alice in the default genesis)',
        },
      }),
    handler: (args) => localnetHandler(args, io),
  };
}
