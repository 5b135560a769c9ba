/**
 * `tensornet subnet hyperparameters get|set`, running. `set` signs with the wallet's coldkey: an
 * owner-settable hyperparameter directly (the subnet owner), or through `Sudo.sudo` when that coldkey is
 * the chain's sudo key and not the owner; a root-only one only through `Sudo.sudo`, so only by the sudo
 * key (refused before anything is sent otherwise) — the distinction `subnet create` makes.
 */
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import {
  DispatchFailedError, getHyperparameters, getNetworks, HYPERPARAMETERS, readStorage, setHyperparameter, storageItem, type ChainClient, type HyperparameterName, type Hyperparameters,
} from '../../../chain-client';
import type { CliIo } from '../../io';
import { usage } from '../../keys';
import type { HyperparametersGetArgs, HyperparametersSetArgs } from '../weights/options';
import { chainFailure, netuidOf, unlock, withChain } from '../weights/shared';
import { isSudoKey } from './create';
import { table, toJson } from './shared';

type Env = Readonly<Record<string, string | undefined>>;
type Kind = 'u16' | 'u64' | 'bool';
type Value = number | bigint | boolean;
const SPECS: Readonly<Record<string, { readonly kind: Kind; readonly origin: 'owner' | 'root'; readonly setter: string }>> = HYPERPARAMETERS;

async function requireSubnet(client: ChainClient, netuid: number): Promise<void> {
  if (!(await getNetworks(client)).includes(netuid)) throw usage(`subnet ${netuid} does not exist (tensornet subnet list shows the subnets)`);
}

export async function hyperparametersGet(args: HyperparametersGetArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const netuid = netuidOf(args.netuid);
  const values = await withChain(args, env, async (client) => {
    await requireSubnet(client, netuid);
    return getHyperparameters(client, { netuid });
  });
  const rows = Object.entries(values as Partial<Hyperparameters>) as [HyperparameterName, Value][];
  if (args.json) {
    io.writeStdout(`${toJson({ netuid, hyperparameters: Object.fromEntries(rows) })}\n`);
    return;
  }
  const body = rows.map(([name, value]) => [name, String(value), SPECS[name]!.kind, SPECS[name]!.origin === 'root' ? 'root (sudo)' : 'owner']);
  io.writeStdout(`subnet ${netuid}: ${rows.length} hyperparameters\n${table(['NAME', 'VALUE', 'TYPE', 'SET BY'], body)}`);
}

/** `--value` as the hyperparameter's kind. @throws CliError `UsageError` */
export function parseValue(name: string, kind: Kind, text: string): Value {
  const t = text.trim();
  if (kind === 'bool') {
    if (t === 'true' || t === 'false') return t === 'true';
    throw usage(`--value for ${name} must be true or false (got "${text}")`);
  }
  if (!/^\d+$/.test(t)) throw usage(`--value for ${name} must be a non-negative integer (${kind}; got "${text}")`);
  const n = BigInt(t);
  if (kind === 'u16') {
    if (n > 65535n) throw usage(`--value for ${name} must be at most 65535 (u16; got ${t})`);
    return Number(n);
  }
  if (n >= 1n << 64n) throw usage(`--value for ${name} must be below 2^64 (u64; got ${t})`);
  return n;
}

/** The subnet's owner coldkey (`SubnetOwner`), or null where the runtime has no such item. */
async function subnetOwner(client: ChainClient, netuid: number): Promise<string | null> {
  if (!client.runtime.hasStorage('SubtensorModule', 'SubnetOwner')) return null;
  const item = storageItem(client, 'SubtensorModule', 'SubnetOwner');
  const head = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
  const { values } = await readStorage(client, [item.key(netuid)], head.hash.toHex());
  const owner = item.decode(values.get(item.key(netuid)) ?? null);
  return owner === null ? null : encodeAddress(u8aToHex(owner.toU8a()), 42);
}

export async function hyperparametersSet(args: HyperparametersSetArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const netuid = netuidOf(args.netuid);
  const spec = SPECS[args.name];
  if (spec === undefined) throw usage(`unknown hyperparameter "${args.name}" (known: ${Object.keys(SPECS).join(', ')})`);
  const name = args.name as HyperparameterName;
  const value = parseValue(name, spec.kind, args.value);
  const signer = await unlock(args, env, 'coldkey');
  const network = args.network;
  const outcome = await withChain(args, env, async (client) => {
    await requireSubnet(client, netuid);
    client.runtime.requireCall('AdminUtils', spec.setter);
    const [before, owner, sudoKey] = await Promise.all([getHyperparameters(client, { netuid }), subnetOwner(client, netuid), isSudoKey(client, signer)]);
    if (spec.origin === 'root' && !sudoKey) throw usage(`${name} is root-only (AdminUtils.${spec.setter} needs the sudo key) and ${signer.address} is not the sudo key`);
    // An owner-settable one takes root too: the sudo key that does not own the subnet goes through Sudo.sudo.
    const viaSudo = spec.origin === 'root' || (sudoKey && owner !== signer.address);
    try {
      const sent = await setHyperparameter(client, { signer, netuid, name, value, sudo: viaSudo });
      return { sent, before: (before as Partial<Hyperparameters>)[name], viaSudo };
    } catch (err) {
      if (err instanceof DispatchFailedError && err.error === 'BadOrigin' && owner !== null) {
        throw usage(`${err.message} — netuid ${netuid} is owned by ${owner} and ${signer.address} is neither it nor the sudo key (pick the owner's wallet with --wallet)`, err);
      }
      throw chainFailure(err, network);
    }
  });
  if (args.json) {
    io.writeStdout(`${toJson({ netuid, name, before: outcome.before ?? null, value, signer: signer.address, viaSudo: outcome.viaSudo, blockHash: outcome.sent.blockHash, blockNumber: outcome.sent.blockNumber })}\n`);
  } else {
    io.writeStdout(`set ${name} of netuid ${netuid}: ${String(outcome.before)} → ${String(value)} (AdminUtils.${spec.setter}${outcome.viaSudo ? ' through Sudo.sudo' : ''}, signed by ${signer.address}) in block #${outcome.sent.blockNumber}\n`);
  }
}
