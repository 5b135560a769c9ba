/**
 * The check of `tensornet miner`'s flags into one frozen config: every user mistake found here is a
 * one-line `CliError` before anything is loaded or connected.
 */
import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chainAcceptsIp as chainAcceptsIpOnChain } from '../../../chain-client';
import type { Device } from '../../../miner/engine';
import { checkModelChoice, chooseModel, chooseTier, HandlerError, type HandlerRegistry, type MinerHandler } from '../../../miner/handlers';
import { CliError } from '../../errors';
import type { LogLevel } from '../../logging';
import type { MinerArgs } from './options';

/** Everything `startMiner` needs, checked. */
export interface MinerConfig {
  readonly netuid: number;
  readonly handler: MinerHandler;
  /** The tier run (`--tier`, or the handler's first); null for handlers without tiers. */
  readonly tier: string | null;
  readonly wallet: { readonly name: string | undefined; readonly hotkey: string | undefined; readonly path: string | undefined };
  readonly model: string | null;
  readonly engine: { readonly device: Device; readonly threads: number | undefined; readonly maxBatch: number; readonly maxDelayMs: number; readonly watch: boolean };
  readonly network: string | undefined;
  readonly register: boolean;
  readonly axon: {
    readonly host: string;
    readonly port: number;
    readonly externalIp: string;
    readonly externalPort: number | undefined;
    readonly requireValidatorPermit: boolean;
    readonly minStake: number;
    readonly allowUnregistered: boolean;
    readonly maxConcurrent: number;
    /** null: the default path, known once the wallet names are resolved ({@link defaultNonceFile}). */
    readonly nonceFile: string | null;
  };
  readonly metrics: { readonly host: string; readonly port: number } | null;
  readonly logLevel: LogLevel;
}

function usage(message: string): CliError {
  return new CliError('UsageError', message);
}

function integer(flag: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min && value <= max)) throw usage(`--${flag} must be an integer in [${min}, ${max}] (got ${value})`);
}

/**
 * Whether the chain accepts `ip` in `serve_axon`: the rule of chain-client/operations/serve.ts (and the
 * subtensor pallet): not unspecified (0.0.0.0, ::), not 127.0.0.1 or ::1, not the IPv4 broadcast address.
 */
export function chainAcceptsIp(ip: string): boolean {
  return isIP(ip) !== 0 && chainAcceptsIpOnChain(ip);
}

/**
 * The address announced on chain: `--external-ip`, or `--host` when it is an address the chain accepts.
 * The chain refuses 0.0.0.0 and 127.0.0.1 on every network, localnet included, so a miner bound to all
 * interfaces or to loopback must say where validators reach it.
 */
export function announcedIp(host: string, externalIp: string | undefined): string {
  if (externalIp !== undefined) {
    if (isIP(externalIp) === 0) throw usage(`--external-ip ${externalIp} is not an IPv4 or IPv6 address (the chain stores addresses, not names)`);
    if (!chainAcceptsIp(externalIp)) throw usage(`--external-ip ${externalIp} is refused by the chain (0.0.0.0, ::, 127.0.0.1, ::1 and 255.255.255.255 are); announce the address validators reach this machine at`);
    return externalIp;
  }
  if (chainAcceptsIp(host)) return host;
  throw usage(`--external-ip is required: the chain refuses to announce --host ${host} (0.0.0.0, ::, 127.0.0.1 and ::1 are refused); pass the public address validators reach this machine at, e.g. --external-ip 203.0.113.7`);
}

/** Checks the flags. @throws CliError `UsageError` */
export function minerConfig(args: MinerArgs, registry: HandlerRegistry): MinerConfig {
  let handler: MinerHandler;
  let tier: string | null;
  let model: string | undefined;
  try {
    handler = registry.get(args.subnet);
    tier = chooseTier(handler, args.tier);
    model = chooseModel(handler, tier, args.model);
    checkModelChoice(handler, model !== undefined);
  } catch (err) {
    if (err instanceof HandlerError) throw new CliError('UsageError', err.message, err.details as Record<string, unknown>, { cause: err });
    throw err;
  }
  integer('netuid', args.netuid, 0, 65535);
  integer('port', args.port, 0, 65535);
  integer('external-port', args['external-port'], 1, 65535);
  integer('metrics-port', args['metrics-port'], 0, 65535);
  integer('threads', args.threads, 0);
  integer('max-batch', args['max-batch'], 1);
  integer('max-concurrent', args['max-concurrent'], 1);
  if (!(Number.isFinite(args['max-delay-ms']) && args['max-delay-ms'] >= 0)) throw usage(`--max-delay-ms must be a number >= 0 (got ${args['max-delay-ms']})`);
  if (!(Number.isFinite(args['min-stake']) && args['min-stake'] >= 0)) throw usage(`--min-stake must be a number of TAO >= 0 (got ${args['min-stake']})`);
  const externalIp = announcedIp(args.host, args['external-ip']);
  return Object.freeze({
    netuid: args.netuid,
    handler,
    tier,
    wallet: Object.freeze({ name: args.wallet, hotkey: args.hotkey, path: args['wallet-path'] }),
    model: model === undefined ? null : resolve(model),
    engine: Object.freeze({ device: args.device, threads: args.threads, maxBatch: args['max-batch'], maxDelayMs: args['max-delay-ms'], watch: args.watch }),
    network: args.network,
    register: args.register,
    axon: Object.freeze({
      host: args.host,
      port: args.port,
      externalIp,
      externalPort: args['external-port'],
      requireValidatorPermit: args['require-permit'],
      minStake: args['min-stake'],
      allowUnregistered: args['allow-unregistered'],
      maxConcurrent: args['max-concurrent'],
      nonceFile: args['nonce-file'] === undefined ? null : resolve(args['nonce-file']),
    }),
    metrics: args.metrics ? Object.freeze({ host: args['metrics-host'], port: args['metrics-port'] }) : null,
    logLevel: args['log-level'],
  });
}

/** `~/.tensornet/miners/<wallet>/<hotkey>/netuid<N>/nonces`, its folder created (0700). */
export function defaultNonceFile(wallet: string, hotkey: string, netuid: number, home = homedir()): string {
  const file = join(home, '.tensornet', 'miners', wallet, hotkey, `netuid${netuid}`, 'nonces');
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return file;
}
