/**
 * `tensornet validator`, started: the wallet's hotkey, the chain, the mechanism, then the loop (steps,
 * weights every tempo, state saved atomically), until SIGINT/SIGTERM (a second one exits at once).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChainClientError, connect, redactUrl, resolveNetwork } from '../../../chain-client';
import { Wallet, WalletError } from '../../../chain-client/wallet';
import { loadMechanism, SubnetError } from '../../../subnets';
import { Validator, ValidatorError } from '../../../validator';
import type { CliIo } from '../../io';
import { unlockKey, usage } from '../../keys';
import { createLogger } from '../../logging';
import type { ValidatorArgs } from './options';

/** Exit status of a forced stop (second signal): 128 + SIGINT, as shells report it. */
const FORCED_EXIT = 130;

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

function check(args: ValidatorArgs): void {
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
  validator.on('weights', (report) => io.writeStderr(`tensornet validator: weights ${report.action} at block ${report.block} (${report.uids.length} uids)\n`));
  validator.run();
  vlog.info('validating', { netuid: args.netuid, subnet: subnet.name, uid: validator.uid, network: network.name, statePath });
  io.writeStderr(`tensornet validator: uid ${validator.uid} validating subnet ${args.netuid} (${subnet.name} ${subnet.version}); state in ${statePath}\n`);
  hooks.onStarted?.(validator);

  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolvePromise, reject) => {
      let stopping = false;
      const stop = (why: string): void => {
        if (stopping) {
          io.writeStderr(`tensornet validator: ${why} again, exiting without waiting\n`);
          process.exit(FORCED_EXIT);
        }
        stopping = true;
        io.writeStderr(`tensornet validator: stopping on ${why} (Ctrl+C again to force)\n`);
        validator
          .stop()
          .then(() => client.close())
          .then(resolvePromise, reject);
      };
      onSignal = (signal) => stop(signal);
      onAbort = () => stop('abort');
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      if (hooks.signal?.aborted) stop('abort');
      else hooks.signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (onAbort) hooks.signal?.removeEventListener('abort', onAbort);
  }
}


