/**
 * `tensornet validator`, started: the wallet's hotkey, the chain, the mechanism, then the loop (steps,
 * weights every tempo, state saved atomically), until SIGINT/SIGTERM (a second one exits at once).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChainClientError, connect, redactUrl, resolveNetwork } from '../../../chain-client';
import { Wallet, WalletError } from '../../../chain-client/wallet';
import { loadMechanism, SubnetError } from '../../../subnets';
import { ApiKeyError, ApiKeyStore, createValidatorApi, defaultApiKeyFile, Validator, ValidatorError, type ValidatorApi } from '../../../validator';
import type { CliIo } from '../../io';
import { listenError, unlockKey, usage } from '../../keys';
import { untilStopped } from '../../until-stopped';
import { createLogger } from '../../logging';
import type { ValidatorArgs } from './options';

export interface ValidatorCommandHooks {
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  /** Aborting it stops the validator as the first SIGINT would. */
  readonly signal?: AbortSignal;
  readonly onStarted?: (validator: Validator) => void;
}

/** The default state file of a validator. */
export function defaultStateFile(wallet: string, hotkey: string, netuid: number, home = homedir()): string {
  return join(home, '.tensornet', 'validators', wallet, hotkey, `netuid${netuid}`, 'state.json');
}

function check(args: ValidatorArgs): asserts args is ValidatorArgs & { netuid: number; subnet: string } {
  if (args.netuid === undefined) throw usage('--netuid is required (the subnet to validate)');
  if (args.subnet === undefined) throw usage('--subnet is required (its mechanism: digits, ocr or a module path)');
  if (!(Number.isInteger(args['api-port']) && args['api-port'] >= 0 && args['api-port'] <= 65535)) throw usage(`--api-port must be an integer in [0, 65535] (got ${args['api-port']})`);
  if (!(Number.isInteger(args['top-k']) && args['top-k'] >= 1)) throw usage(`--top-k must be a positive integer (got ${args['top-k']})`);
  if (!(Number.isInteger(args.netuid) && args.netuid >= 1 && args.netuid <= 65535)) throw usage(`--netuid must be an integer in [1, 65535] (got ${args.netuid})`);
  if (!(Number.isInteger(args['sample-size']) && args['sample-size'] >= 1)) throw usage(`--sample-size must be a positive integer (got ${args['sample-size']})`);
  if (!(args.alpha > 0 && args.alpha <= 1)) throw usage(`--alpha must be in (0, 1] (got ${args.alpha})`);
  if (!(Number.isFinite(args['step-interval-ms']) && args['step-interval-ms'] >= 0)) throw usage(`--step-interval-ms must be a number >= 0 (got ${args['step-interval-ms']})`);
}

export async function validatorHandler(args: ValidatorArgs, io: CliIo, hooks: ValidatorCommandHooks = {}): Promise<void> {
  check(args);
  const env = hooks.env ?? process.env;
  const log = createLogger(args['log-level']);
  const vlog = log.child('validator');
  let subnet;
  try {
    subnet = loadMechanism(args.subnet);
  } catch (err) {
    throw err instanceof SubnetError ? usage(`--subnet: ${err.message}`, err) : err;
  }
  let wallet: Wallet;
  try {
    wallet = new Wallet({ name: args.wallet, hotkey: args.hotkey, path: args['wallet-path'], env });
  } catch (err) {
    throw err instanceof WalletError ? usage(`wallet: ${err.message}`, err) : err;
  }
  const hotkey = await unlockKey(wallet, 'hotkey');
  const network = resolveNetwork(args.network, env);
  let client;
  try {
    client = await connect({ network: network.url, env });
  } catch (err) {
    if (err instanceof ChainClientError) throw usage(`cannot reach the chain at ${redactUrl(network.url)}: ${err.message} (check --network)`, err);
    throw err;
  }
  const statePath = args['state-file'] === undefined ? defaultStateFile(wallet.name, wallet.hotkeyName, args.netuid, hooks.home) : resolve(args['state-file']);
  let validator: Validator;
  try {
    validator = await Validator.create({
      client,
      netuid: args.netuid,
      hotkey,
      subnet,
      sampleSize: args['sample-size'],
      alpha: args.alpha,
      stepIntervalMs: args['step-interval-ms'],
      statePath,
      logger: vlog,
      ...(args['external-ip'] === undefined ? {} : { dendrite: { externalIp: args['external-ip'] } }),
    });
  } catch (err) {
    await client.close();
    if (err instanceof ValidatorError) throw usage(err.message, err);
    throw err;
  }
  let api: ValidatorApi | null = null;
  if (args.api) {
    const keyFile = args['api-keys'] === undefined ? defaultApiKeyFile(hooks.home) : resolve(args['api-keys']);
    try {
      api = await createValidatorApi({ validators: [validator], keys: ApiKeyStore.open(keyFile), host: args['api-host'], port: args['api-port'], topK: args['top-k'], logger: log.child('api') });
    } catch (err) {
      await validator.stop();
      await client.close();
      if (err instanceof ApiKeyError) throw usage(`--api-keys ${keyFile}: ${err.message}`, err);
      throw listenError(err, 'the validator API', args['api-host'], args['api-port'], '--api-port');
    }
  }
  validator.on('weights', (report) => io.writeStderr(`tensornet validator: weights ${report.action} at block ${report.block} (${report.uids.length} uids)\n`));
  validator.run();
  vlog.info('validating', { netuid: args.netuid, subnet: subnet.name, uid: validator.uid, network: network.name, statePath });
  io.writeStderr(`tensornet validator: uid ${validator.uid} validating subnet ${args.netuid} (${subnet.name} ${subnet.version}); state in ${statePath}; API ${api === null ? 'off' : api.url}\n`);
  await untilStopped({
    io,
    command: 'tensornet validator',
    signal: hooks.signal,
    onListening: () => hooks.onStarted?.(validator),
    stop: async () => {
      await api?.close();
      await validator.stop();
      await client.close();
    },
  });
}


