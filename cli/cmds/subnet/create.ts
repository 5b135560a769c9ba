/**
 * `tensornet subnet create --mechanism <name|path>`: registers a network for a mechanism, in this order:
 * mechanism and hyperparameters checked (nothing is paid for a mistake found there), the owner's coldkey
 * unlocked, the chain reached, the lock cost shown (and checked against the balance and `--max-lock-cost`),
 * `register_network` (with the identity where the runtime takes one there, else `set_subnet_identity`
 * after it, else none), then the mechanism's hyperparameters: owner-settable ones signed by the owner,
 * root-only ones only when the owner's coldkey is the chain's sudo key (otherwise skipped, with why).
 */
import { u8aEq } from '@polkadot/util';
import {
  Balance, getBalance, getHyperparameters, getNetworkLockCost, HYPERPARAMETERS, OperationError, readStorage, redactUrl, registerNetwork, registerNetworkCall,
  setHyperparameter, setSubnetIdentity, storageItem, UnsupportedRuntimeError, type ChainClient, type HyperparameterName, type Hyperparameters, type SubnetIdentity,
} from '../../../chain-client';
import type { Keypair } from '../../../chain-client/wallet';
import type { AnySubnet } from '../../../subnets';
import { CliError } from '../../errors';
import type { CliIo } from '../../io';
import type { SubnetCreateArgs } from './options';
import { connectTo, isUnreachable, mechanismOrFail, messageOf, toJson, unlockColdkey, usage } from './shared';

type HyperparameterValue = number | bigint | boolean;

/** One hyperparameter of the mechanism, checked against the runtime's table. */
interface PlannedHyperparameter {
  readonly name: HyperparameterName;
  readonly value: HyperparameterValue;
  readonly origin: 'owner' | 'root';
  readonly setter: string;
}

/** How the identity went. */
export interface IdentityOutcome {
  readonly identity: SubnetIdentity;
  /** The call that set it, or null when it was not set. */
  readonly via: 'register_network_with_identity' | 'set_subnet_identity' | null;
  /** Why it was not set (null when it was). */
  readonly skipped: string | null;
}

/** The hyperparameters after creation. */
export interface HyperparameterOutcome {
  /** Set by this command. */
  readonly set: Readonly<Record<string, HyperparameterValue>>;
  /** Already at the mechanism's value. */
  readonly unchanged: Readonly<Record<string, HyperparameterValue>>;
  /** Not set, and why (root-only without the sudo key, a setter the runtime lacks). */
  readonly skipped: readonly { readonly name: string; readonly value: HyperparameterValue; readonly reason: string }[];
  /** Submitted and refused by the chain. */
  readonly failed: readonly { readonly name: string; readonly value: HyperparameterValue; readonly reason: string }[];
}

/** What `subnet create` did. */
export interface CreateResult {
  readonly netuid: number;
  readonly mechanism: { readonly name: string; readonly version: string; readonly versionKey: number };
  readonly network: { readonly name: string; readonly url: string };
  readonly owner: string;
  readonly ownerIsSudo: boolean;
  /** What the registration locked (the quote shown before it may have decayed by a few blocks). */
  readonly locked: Balance;
  readonly blockHash: string;
  readonly identity: IdentityOutcome;
  readonly hyperparameters: HyperparameterOutcome;
}

/** What `subnetCreate` takes besides the flags. */
export interface CreateModules {
  /** Read for wallet defaults, BT_PW_ passwords and the network default. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The mechanism's hyperparameters, each checked to be one the chain client knows with a value of its
 * type, before anything is paid. (A JavaScript mechanism is not type-checked by tensornet.)
 * @throws CliError `UsageError`
 */
export function planHyperparameters(mechanism: AnySubnet): PlannedHyperparameter[] {
  const table: Readonly<Record<string, { readonly kind: 'u16' | 'u64' | 'bool'; readonly origin: 'owner' | 'root'; readonly setter: string }>> = HYPERPARAMETERS;
  const planned: PlannedHyperparameter[] = [];
  for (const [name, value] of Object.entries(mechanism.hyperparameters ?? {}) as [string, unknown][]) {
    if (value === undefined) continue;
    const spec = table[name];
    if (spec === undefined) throw usage(`mechanism ${mechanism.name}: unknown hyperparameter "${name}" (known: ${Object.keys(table).join(', ')})`);
    const ok =
      spec.kind === 'bool' ? typeof value === 'boolean'
      : spec.kind === 'u16' ? typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535
      : typeof value === 'bigint' && value >= 0n && value < 1n << 64n;
    if (!ok) {
      const expected = spec.kind === 'bool' ? 'a boolean' : spec.kind === 'u16' ? 'an integer in [0, 65535] (a number)' : 'a u64 written as a BigInt (e.g. 100n)';
      throw usage(`mechanism ${mechanism.name}: hyperparameter ${name} must be ${expected}, got ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}`);
    }
    planned.push({ name: name as HyperparameterName, value: value as HyperparameterValue, origin: spec.origin, setter: spec.setter });
  }
  return planned;
}

/** Whether `who` is the chain's sudo key (`Sudo.Key`); false where the runtime has no Sudo pallet. */
export async function isSudoKey(client: ChainClient, who: Keypair): Promise<boolean> {
  if (!client.runtime.hasStorage('Sudo', 'Key')) return false;
  const item = storageItem(client, 'Sudo', 'Key');
  const head = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
  const { values } = await readStorage(client, [item.key()], head.hash.toHex());
  // An optional storage item decodes to its value (null when absent), not to an Option.
  const key = item.decode(values.get(item.key()) ?? null);
  return key !== null && u8aEq(key.toU8a(), who.publicKey);
}

/** What the registration locked (`SubnetLocked`): the quote decays block by block until inclusion. Falls back to the quote. */
async function lockedAmount(client: ChainClient, netuid: number, blockHash: string, quoted: Balance): Promise<Balance> {
  if (!client.runtime.hasStorage('SubtensorModule', 'SubnetLocked')) return quoted;
  const item = storageItem(client, 'SubtensorModule', 'SubnetLocked');
  const { values } = await readStorage(client, [item.key(netuid)], blockHash);
  const locked = item.decode(values.get(item.key(netuid)) ?? null);
  return locked === null ? quoted : Balance.fromRao(BigInt(locked.toString()));
}

/** How this runtime takes an identity: with the registration, after it, or not at all (and why). */
function identityRoute(client: ChainClient, identity: SubnetIdentity): { readonly via: IdentityOutcome['via']; readonly skipped: string | null } {
  try {
    registerNetworkCall(client.api.registry, client.runtime, identity);
    return { via: 'register_network_with_identity', skipped: null };
  } catch (err) {
    if (!(err instanceof UnsupportedRuntimeError)) throw err;
  }
  if (client.runtime.findCall('SubtensorModule', 'set_subnet_identity')) return { via: 'set_subnet_identity', skipped: null };
  return { via: null, skipped: `the runtime (spec ${client.runtime.identity.specVersion}) has no subnet identities` };
}

/** A chain-side failure as one line, prefixed with what was being done. */
function chainFailure(what: string, err: unknown, network: string): unknown {
  if (err instanceof CliError) return err;
  if (err instanceof OperationError && err.code !== 'EventMissing') return usage(`${what}: ${err.message}`, err);
  if (err instanceof UnsupportedRuntimeError) return usage(`${what}: ${err.message}`, err);
  if (isUnreachable(err)) return usage(`cannot reach the chain at ${redactUrl(network)}: ${err.message} (check --network)`, err);
  return err;
}

/** The TAO amount of `--max-lock-cost`. @throws CliError `UsageError` */
function maxLockCost(text: string | undefined): Balance | undefined {
  if (text === undefined) return undefined;
  try {
    return Balance.fromTao(text);
  } catch (err) {
    throw usage(`--max-lock-cost ${text} is not a TAO amount (digits, up to 9 decimals)`, err);
  }
}

async function applyHyperparameters(client: ChainClient, netuid: number, owner: Keypair, ownerIsSudo: boolean, planned: readonly PlannedHyperparameter[]): Promise<HyperparameterOutcome> {
  const current: Partial<Hyperparameters> = await getHyperparameters(client, { netuid });
  const set: Record<string, HyperparameterValue> = {};
  const unchanged: Record<string, HyperparameterValue> = {};
  const skipped: { name: string; value: HyperparameterValue; reason: string }[] = [];
  const failed: { name: string; value: HyperparameterValue; reason: string }[] = [];
  for (const { name, value, origin, setter } of planned) {
    if (current[name] === value) {
      unchanged[name] = value;
    } else if (!client.runtime.findCall('AdminUtils', setter)) {
      skipped.push({ name, value, reason: `the runtime has no AdminUtils.${setter}` });
    } else if (origin === 'root' && !ownerIsSudo) {
      skipped.push({ name, value, reason: `root-only (AdminUtils.${setter} needs the sudo key) and ${owner.address} is not the sudo key` });
    } else {
      try {
        await setHyperparameter(client, { signer: owner, netuid, name, value, sudo: origin === 'root' });
        set[name] = value;
      } catch (err) {
        if (!(err instanceof OperationError) || err.code === 'EventMissing') throw err;
        failed.push({ name, value, reason: err.message });
      }
    }
  }
  return { set, unchanged, skipped, failed };
}

/**
 * Creates the subnet. Progress (the lock cost before paying it) goes to stderr; the result is returned.
 * @throws CliError `UsageError` for every expected failure (one line, exit 2); anything else is a bug
 */
export async function subnetCreate(args: SubnetCreateArgs, io: CliIo, modules: CreateModules = {}): Promise<CreateResult> {
  const env = modules.env ?? process.env;
  const mechanism = mechanismOrFail(args.mechanism);
  const planned = planHyperparameters(mechanism);
  const limit = maxLockCost(args['max-lock-cost']);
  const owner = await unlockColdkey({ name: args.wallet, path: args['wallet-path'], env });
  const network = args.network;
  let client: ChainClient;
  try {
    client = await connectTo(args.network, env);
  } catch (err) {
    throw chainFailure('connecting', err, network);
  }
  try {
    const [lockCost, balance, ownerIsSudo] = await Promise.all([getNetworkLockCost(client), getBalance(client, { address: owner.address }), isSudoKey(client, owner)]);
    if (limit !== undefined && lockCost.rao > limit.rao) throw usage(`the lock cost ${lockCost.toString()} is above --max-lock-cost ${limit.toString()}: nothing was registered`);
    if (balance.free.rao < lockCost.rao) throw usage(`not enough balance for the lock: it costs ${lockCost.toString()} and ${owner.address} holds ${balance.free.toString()} free`);
    io.writeStderr(`tensornet subnet create: ${mechanism.name} ${mechanism.version} on ${client.network.name} (${redactUrl(client.network.url)}): lock cost ${lockCost.toString()}, paid by ${owner.address} (holds ${balance.free.toString()} free)\n`);

    const identity: SubnetIdentity = { subnetName: mechanism.name, githubRepo: args['github-repo'], subnetContact: args.contact };
    const route = identityRoute(client, identity);
    let registered;
    try {
      registered = await registerNetwork(client, { signer: owner, ...(route.via === 'register_network_with_identity' ? { identity } : {}) });
    } catch (err) {
      throw chainFailure('register_network', err, network);
    }
    const { netuid } = registered;
    const locked = await lockedAmount(client, netuid, registered.blockHash, registered.lockCost);
    io.writeStderr(`tensornet subnet create: registered netuid ${netuid} in block ${registered.blockHash}\n`);

    let identityOutcome: IdentityOutcome = { identity, via: route.via, skipped: route.skipped };
    if (route.via === 'set_subnet_identity') {
      try {
        await setSubnetIdentity(client, { signer: owner, netuid, ...identity });
      } catch (err) {
        if (!(err instanceof OperationError || err instanceof UnsupportedRuntimeError)) throw err;
        identityOutcome = { identity, via: null, skipped: `set_subnet_identity failed: ${messageOf(err)}` };
      }
    }
    const hyperparameters = await applyHyperparameters(client, netuid, owner, ownerIsSudo, planned);
    return Object.freeze({
      netuid,
      mechanism: { name: mechanism.name, version: mechanism.version, versionKey: mechanism.versionKey },
      network: { name: client.network.name, url: redactUrl(client.network.url) },
      owner: owner.address,
      ownerIsSudo,
      locked,
      blockHash: registered.blockHash,
      identity: identityOutcome,
      hyperparameters,
    });
  } catch (err) {
    throw chainFailure('creating the subnet', err, network);
  } finally {
    await client.close();
  }
}

const formatValue = (v: HyperparameterValue): string => String(v);
const pairs = (record: Readonly<Record<string, HyperparameterValue>>): string => Object.entries(record).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ') || 'none';

/** The result as text (stdout). */
export function describeCreate(result: CreateResult): string {
  const { identity, hyperparameters: h } = result;
  const lines = [
    `created netuid ${result.netuid}: mechanism ${result.mechanism.name} ${result.mechanism.version} on ${result.network.name} (${result.network.url}), owner ${result.owner}, locked ${result.locked.toString()}, block ${result.blockHash}`,
    identity.via !== null ? `identity: subnet_name "${identity.identity.subnetName}" (${identity.via})` : `identity: not set: ${identity.skipped}`,
    `hyperparameters set: ${pairs(h.set)}`,
  ];
  if (Object.keys(h.unchanged).length > 0) lines.push(`hyperparameters already at the mechanism's value: ${pairs(h.unchanged)}`);
  for (const s of h.skipped) lines.push(`skipped ${s.name}=${formatValue(s.value)}: ${s.reason}`);
  for (const f of h.failed) lines.push(`FAILED ${f.name}=${formatValue(f.value)}: ${f.reason}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** The result as one JSON object (stdout with `--json`); amounts in rao, as strings. */
export function createJson(result: CreateResult): string {
  return toJson({ ...result, locked: { rao: result.locked.rao, tao: result.locked.tao } });
}

export async function subnetCreateHandler(args: SubnetCreateArgs, io: CliIo, modules: CreateModules = {}): Promise<void> {
  const result = await subnetCreate(args, io, modules);
  io.writeStdout(args.json ? `${createJson(result)}\n` : describeCreate(result));
  const { failed } = result.hyperparameters;
  if (failed.length > 0) {
    throw usage(`netuid ${result.netuid} was created, but the chain refused ${failed.length} hyperparameter${failed.length === 1 ? '' : 's'}: ${failed.map((f) => `${f.name} (${f.reason})`).join('; ')}`);
  }
}
