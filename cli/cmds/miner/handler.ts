/**
 * `tensornet miner`, started (loaded lazily by index.ts, with onnxruntime, express and @polkadot/api): keys, model, metrics, chain connection and the axon, in that order (a
 * missing hotkey or model is reported before anything connects), each part closed again when a later
 * one fails. Returns a handle whose `stop()` is the graceful shutdown the signals trigger.
 */
import {
  ChainClientError, DispatchFailedError, connect, getNetworks, getUid, redactUrl, resolveNetwork, type ChainClient,
} from '../../../chain-client';
import { Wallet, WalletError, type Keypair } from '../../../chain-client/wallet';
import { Miner, MinerError } from '../../../miner';
import { EngineError, InferenceEngine, type Provider } from '../../../miner/engine';
import { attachHandler, HandlerError, type HandlerRegistry } from '../../../miner/handlers';
import { createMinerRegistry, loadMechanism, SubnetError } from '../../../subnets';
import { CliError } from '../../errors';
import { listenError, message, unlockKey, usage } from '../../keys';
import { untilStopped } from '../../until-stopped';
import type { CliIo } from '../../io';
import { createLogger, type ComponentLogger } from '../../logging';
import { createAxonMetrics, createEngineMetrics, createMetricsRegistry, createMetricsServer, type MetricsServer } from '../../metrics';
import { defaultNonceFile, minerConfig, type MinerConfig } from './config';
import type { MinerArgs } from './options';

/** A running miner. */
export interface RunningMiner {
  readonly subnet: string;
  readonly netuid: number;
  readonly hotkey: string;
  readonly uid: number;
  /** The axon's bound port. */
  readonly port: number;
  /** What the chain lists. */
  readonly externalIp: string;
  readonly externalPort: number;
  /** `http://host:port/metrics`, or null with `--no-metrics`. */
  readonly metricsUrl: string | null;
  /** The execution provider the model runs on, or null without a model. */
  readonly provider: Provider | null;
  /**
   * Graceful shutdown: the axon refuses new requests (503) and lets in-flight ones finish, then the engine,
   * the metrics server and the chain client close. Idempotent; errors while closing are logged, not thrown.
   */
  stop(): Promise<void>;
}

/** What `startMiner` takes besides the flags (tests substitute them). */
export interface MinerModules {
  /** @default createMinerRegistry() (the built-in handlers and subnets) */
  readonly registry?: HandlerRegistry;
  /** Read for wallet defaults, BT_PW_ passwords and the network default. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the default nonce file goes (`<home>/.tensornet/miners/…`). @default os.homedir() */
  readonly home?: string;
}

/** The one-line user error an expected failure of the start stands for; other errors pass unchanged (internal). */
function startError(err: unknown, config: MinerConfig): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof HandlerError) return usage(err.message, err);
  if (err instanceof EngineError) {
    switch (err.code) {
      case 'ModelNotFound':
      case 'ModelInvalid':
      case 'ModelSpecMismatch':
        return new CliError('InputUnreadable', `--model ${config.model}: ${err.message}`, {}, { cause: err });
      case 'ProviderUnavailable':
        return usage(`--device ${config.engine.device}: ${err.message}`, err);
      case 'InvalidOptions':
        return usage(err.message, err);
      default:
        return err;
    }
  }
  if (err instanceof WalletError) return usage(`wallet: ${err.message}`, err);
  if (err instanceof MinerError) return usage(err.message, err);
  if (err instanceof DispatchFailedError) return usage(`netuid ${config.netuid}: ${err.message}`, err);
  if (err instanceof ChainClientError && (err.code === 'InvalidNetwork' || err.code === 'ConnectionFailed' || err.code === 'RequestTimeout')) {
    return usage(`cannot reach the chain: ${err.message} (check --network)`, err);
  }
  return err;
}

/**
 * Starts the miner.
 * @throws CliError `UsageError` / `InputUnreadable` for every expected user error (one line, exit 2); anything else is a bug
 */
export async function startMiner(args: MinerArgs, io: CliIo, modules: MinerModules = {}): Promise<RunningMiner> {
  const config = minerConfig(...withMechanism(args, modules.registry));
  const env = modules.env ?? process.env;
  const log: ComponentLogger = createLogger(config.logLevel);
  const minerLog = log.child('miner');
  const closers: Array<{ readonly what: string; readonly close: () => Promise<void> }> = [];
  const closeAll = async (): Promise<void> => {
    for (const { what, close } of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        minerLog.error('closing failed', { what, error: message(err) });
      }
    }
  };

  try {
    let wallet: Wallet;
    try {
      wallet = new Wallet({ name: config.wallet.name, hotkey: config.wallet.hotkey, path: config.wallet.path, env });
    } catch (err) {
      throw err instanceof WalletError ? usage(`wallet: ${err.message}`, err) : err;
    }
    const hotkey = await unlockKey(wallet, 'hotkey');

    const registry = config.metrics === null ? null : createMetricsRegistry();
    let engine: InferenceEngine | null = null;
    if (config.model !== null) {
      engine = await InferenceEngine.load(config.model, {
        device: config.engine.device,
        ...(config.engine.threads !== undefined ? { intraOpNumThreads: config.engine.threads } : {}),
        maxBatch: config.engine.maxBatch,
        maxDelayMs: config.engine.maxDelayMs,
        watch: config.engine.watch,
        ...(config.handler.modelSpec ? { spec: config.handler.modelSpec } : {}),
        logger: log.child('engine'),
        metrics: registry === null ? null : createEngineMetrics(registry, { maxBatch: config.engine.maxBatch }),
      });
      const loaded = engine;
      closers.push({ what: 'inference engine', close: () => loaded.close() });
    }

    let metricsServer: MetricsServer | null = null;
    if (config.metrics !== null && registry !== null) {
      const { host, port } = config.metrics;
      try {
        metricsServer = await createMetricsServer({ registry, host, port, logger: log.child('metrics') });
      } catch (err) {
        throw listenError(err, 'the metrics server', host, port, '--metrics-port');
      }
      const server = metricsServer;
      closers.push({ what: 'metrics server', close: () => server.close() });
    }

    const network = resolveNetwork(config.network, env);
    const client: ChainClient = await connect({ network: network.url, env });
    closers.push({ what: 'chain client', close: () => client.close() });
    minerLog.info('connected to the chain', { network: network.name, url: redactUrl(network.url) });

    // The coldkey is unlocked only when a registration will actually be paid for.
    let coldkey: Keypair | undefined;
    if (config.register && (await getNetworks(client)).includes(config.netuid) && (await getUid(client, { netuid: config.netuid, hotkey: hotkey.address })) === undefined) {
      coldkey = await unlockKey(wallet, 'coldkey');
    }

    const nonceFile = config.axon.nonceFile ?? defaultNonceFile(wallet.name, wallet.hotkeyName, config.netuid, modules.home);
    const { host, port } = config.axon;
    const externalPort = config.axon.externalPort ?? (port !== 0 ? port : undefined);
    let miner: Miner;
    try {
      miner = await Miner.start(
        {
          client,
          netuid: config.netuid,
          hotkey,
          ...(coldkey ? { coldkey } : {}),
          register: config.register,
          externalIp: config.axon.externalIp,
          // The external port is passed whenever it is known before binding: the axon reads its bound port
          // from the live server, which no longer answers once stop() closes it (see the report on miner/axon).
          ...(externalPort !== undefined ? { externalPort } : {}),
          logger: minerLog,
          axon: {
            host,
            port,
            nonceFile,
            allowUnregistered: config.axon.allowUnregistered,
            requireValidatorPermit: config.axon.requireValidatorPermit,
            minStake: config.axon.minStake,
            maxConcurrent: config.axon.maxConcurrent,
            logger: log.child('axon'),
            metrics: registry === null ? null : createAxonMetrics(registry),
          },
        },
        (axon) => attachHandler(config.handler, axon, { engine, tier: config.tier, logger: log.child(config.handler.subnet) }),
      );
    } catch (err) {
      throw listenError(err, 'the axon', host, port, '--port');
    }
    closers.push({ what: 'miner', close: () => miner.stop() });

    const running = {
      subnet: config.handler.subnet,
      netuid: config.netuid,
      hotkey: hotkey.address,
      uid: miner.uid,
      port: miner.axon.port,
      externalIp: miner.axon.externalIp,
      externalPort: miner.axon.externalPort,
      metricsUrl: metricsServer?.url ?? null,
      provider: engine?.provider ?? null,
    };
    minerLog.info('miner serving', { ...running, host, synapses: miner.axon.synapses, nonceFile, model: config.model });
    io.writeStderr(
      `tensornet miner: subnet ${running.subnet} on netuid ${running.netuid} as uid ${running.uid} (${running.hotkey}); axon ${host}:${running.port}, ` +
        `announced ${running.externalIp}:${running.externalPort}; ${engine ? `model on ${engine.provider}` : 'no model'}; ` +
        `metrics ${running.metricsUrl ?? 'off'}\n`,
    );
    let stopping: Promise<void> | undefined;
    return Object.freeze({
      ...running,
      stop: () =>
        (stopping ??= (async () => {
          minerLog.info('stopping: refusing new requests, finishing in-flight ones');
          await closeAll();
          minerLog.info('miner stopped');
        })()),
    });
  } catch (err) {
    await closeAll();
    throw startError(err, config);
  }
}

/**
 * The flags and registry a miner starts from: `--subnet` names a built-in handler, or is the path of a
 * mechanism module (as `tensornet subnet init` writes), whose handler joins the built-in ones.
 */
function withMechanism(args: MinerArgs, registry: HandlerRegistry | undefined): [MinerArgs, HandlerRegistry] {
  const isPath = args.subnet.includes('/') || args.subnet.includes('\\') || args.subnet.endsWith('.js');
  if (!isPath) return [args, registry ?? createMinerRegistry()];
  try {
    const mechanism = loadMechanism(args.subnet);
    return [{ ...args, subnet: mechanism.name }, registry ?? createMinerRegistry([mechanism])];
  } catch (err) {
    throw err instanceof SubnetError ? usage(`--subnet: ${err.message}`, err) : err;
  }
}

/** Hooks for driving the command in-process (tests): stop it without a real signal, see it start. */
export interface MinerCommandHooks extends MinerModules {
  /** Aborting it stops the miner as the first SIGINT would. */
  readonly signal?: AbortSignal;
  /** Called once the miner serves. */
  readonly onStarted?: (miner: RunningMiner) => void;
}

/**
 * Runs the miner until SIGINT, SIGTERM or `hooks.signal`, then stops it gracefully; resolves once it
 * stopped. A second signal exits the process at once.
 */
export async function minerHandler(args: MinerArgs, io: CliIo, hooks: MinerCommandHooks = {}): Promise<void> {
  const miner = await startMiner(args, io, hooks);
  await untilStopped({ io, command: 'tensornet miner', stopping: ': finishing in-flight requests', signal: hooks.signal, onListening: () => hooks.onStarted?.(miner), stop: () => miner.stop() });
  io.writeStderr('tensornet miner: stopped\n');
}
