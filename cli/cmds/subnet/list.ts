/**
 * `tensornet subnet list`: the mechanisms tensornet knows (built in, plus `--mechanism` modules) and the
 * subnets on chain, side by side: an on-chain subnet whose identity names a known mechanism is shown with
 * it. Without a reachable chain the mechanisms are listed alone, with one line saying so.
 */
import type { Codec } from '@polkadot/types/types';
import { u8aToString } from '@polkadot/util';
import { Balance, getNetworkLockCost, getNetworks, readStorage, redactUrl, resolveNetwork, storageItem, type ChainClient } from '../../../chain-client';
import { BUILTIN_SUBNETS, type AnySubnet } from '../../../subnets';
import type { CliIo } from '../../io';
import type { SubnetListArgs } from './options';
import { connectTo, isUnreachable, mechanismOrFail, messageOf, table, toJson, usage } from './shared';

/** A mechanism as listed. */
export interface MechanismEntry {
  readonly name: string;
  readonly version: string;
  readonly versionKey: number;
  readonly description: string;
  /** The miner tiers, the default first. */
  readonly tiers: readonly string[];
  readonly model: 'required' | 'optional' | 'none';
  /** `built in`, or the module path given to `--mechanism`. */
  readonly source: string;
}

/** A subnet on chain, as listed; null where the runtime has no such storage item. */
export interface ChainSubnetEntry {
  readonly netuid: number;
  /** The owner's coldkey; null when none is stored (the root network). */
  readonly owner: string | null;
  readonly tempo: number | null;
  /** Registered neurons. */
  readonly n: number | null;
  readonly maxUids: number | null;
  /** What the owner locked to create it. */
  readonly locked: Balance | null;
  /** The current burn to register a neuron. */
  readonly burn: Balance | null;
  readonly registeredAt: bigint | null;
  readonly weightsVersion: bigint | null;
  /** The identity's subnet name, when it has one. */
  readonly identity: string | null;
  /** The known mechanism of that name, with whether the chain's weights version is the mechanism's version key. */
  readonly mechanism: { readonly name: string; readonly versionMatches: boolean } | null;
}

/** The chain's side of the listing. */
export type ChainListing =
  | { readonly reachable: true; readonly network: string; readonly url: string; readonly block: number; readonly specVersion: number; readonly lockCost: Balance; readonly subnets: readonly ChainSubnetEntry[] }
  | { readonly reachable: false; readonly network: string; readonly url: string; readonly error: string };

export interface SubnetListing {
  readonly mechanisms: readonly MechanismEntry[];
  readonly chain: ChainListing;
}

function mechanismEntry(subnet: AnySubnet, source: string): MechanismEntry {
  return { name: subnet.name, version: subnet.version, versionKey: subnet.versionKey, description: subnet.description, tiers: Object.keys(subnet.miner.tiers), model: subnet.miner.model, source };
}

/** The per-subnet storage items listed, by column. */
const ITEMS = {
  owner: 'SubnetOwner',
  tempo: 'Tempo',
  n: 'SubnetworkN',
  maxUids: 'MaxAllowedUids',
  locked: 'SubnetLocked',
  burn: 'Burn',
  registeredAt: 'NetworkRegisteredAt',
  weightsVersion: 'WeightsVersionKey',
  identity: 'SubnetIdentities',
} as const;
type Column = keyof typeof ITEMS;

/** Text of a `Bytes` field in a codec's JSON (`0x…` hex). */
function text(hex: unknown): string {
  return typeof hex === 'string' ? u8aToString(Buffer.from(hex.replace(/^0x/, ''), 'hex')) : '';
}

/** Every subnet's row, read at the best block in one batched storage query. */
async function readChainSubnets(client: ChainClient, mechanisms: ReadonlyMap<string, MechanismEntry>): Promise<{ block: number; subnets: ChainSubnetEntry[] }> {
  const header = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
  const at = header.hash.toHex();
  const netuids = (await getNetworks(client)).sort((a, b) => a - b);
  const columns = (Object.keys(ITEMS) as Column[]).filter((column) => client.runtime.hasStorage('SubtensorModule', ITEMS[column]));
  const items = new Map(columns.map((column) => [column, storageItem(client, 'SubtensorModule', ITEMS[column])]));
  const keys = netuids.flatMap((netuid) => columns.map((column) => items.get(column)!.key(netuid)));
  const { values } = await readStorage(client, keys, at);
  const read = (column: Column, netuid: number): Codec | null => {
    const item = items.get(column);
    return item === undefined ? null : item.decode(values.get(item.key(netuid)) ?? null);
  };
  const u16 = (codec: Codec | null): number | null => (codec === null ? null : Number(codec.toString()));
  const u64 = (codec: Codec | null): bigint | null => (codec === null ? null : BigInt(codec.toString()));
  const subnets = netuids.map((netuid): ChainSubnetEntry => {
    const owner = read('owner', netuid);
    const identityJson = read('identity', netuid)?.toJSON() as { subnetName?: unknown } | null | undefined;
    const identity = identityJson ? text(identityJson.subnetName) : null;
    const weightsVersion = u64(read('weightsVersion', netuid));
    const known = identity === null ? undefined : mechanisms.get(identity);
    const locked = u64(read('locked', netuid));
    const burn = u64(read('burn', netuid));
    return {
      netuid,
      owner: owner === null || owner.toU8a().every((b) => b === 0) ? null : owner.toString(),
      tempo: u16(read('tempo', netuid)),
      n: u16(read('n', netuid)),
      maxUids: u16(read('maxUids', netuid)),
      locked: locked === null ? null : Balance.fromRao(locked),
      burn: burn === null ? null : Balance.fromRao(burn),
      registeredAt: u64(read('registeredAt', netuid)),
      weightsVersion,
      identity,
      mechanism: known === undefined ? null : { name: known.name, versionMatches: weightsVersion === BigInt(known.versionKey) },
    };
  });
  return { block: header.number.toNumber(), subnets };
}

/** What `subnet list` shows. @throws CliError `UsageError` for a bad `--mechanism` or `--network` */
export async function subnetList(args: SubnetListArgs, env: Readonly<Record<string, string | undefined>> = process.env): Promise<SubnetListing> {
  if (!(Number.isFinite(args.timeout) && args.timeout > 0)) throw usage(`--timeout must be a number of seconds > 0 (got ${args.timeout})`);
  const mechanisms = [...BUILTIN_SUBNETS.values()].map((subnet) => mechanismEntry(subnet, 'built in'));
  for (const path of args.mechanism ?? []) {
    const subnet = mechanismOrFail(path);
    if (!mechanisms.some((m) => m.name === subnet.name)) mechanisms.push(mechanismEntry(subnet, path));
  }
  let resolved;
  try {
    resolved = resolveNetwork(args.network, env);
  } catch (err) {
    throw usage(`--network: ${messageOf(err)}`, err);
  }
  const where = { network: resolved.name, url: redactUrl(resolved.url) };
  let client: ChainClient;
  try {
    client = await connectTo(args.network, env, args.timeout * 1000);
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    return { mechanisms, chain: { reachable: false, ...where, error: err.message } };
  }
  try {
    const byName = new Map(mechanisms.map((m) => [m.name, m]));
    const [{ block, subnets }, lockCost] = await Promise.all([readChainSubnets(client, byName), getNetworkLockCost(client)]);
    return { mechanisms, chain: { reachable: true, ...where, block, specVersion: client.runtime.identity.specVersion, lockCost, subnets } };
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    return { mechanisms, chain: { reachable: false, ...where, error: err.message } };
  } finally {
    await client.close();
  }
}

const orDash = (value: { toString(): string } | null): string => (value === null ? '-' : value.toString());

/** The listing as text: the mechanisms, then the chain's subnets (or one line saying the chain was not reachable). */
export function describeListing(listing: SubnetListing): string {
  const mechanisms = listing.mechanisms.map((m) => [m.name, m.version, m.tiers.join(', '), m.model === 'none' ? 'no model' : `model ${m.model}`, m.source, m.description]);
  let out = `mechanisms (${listing.mechanisms.length}):\n${table(['name', 'version', 'tiers', 'model', 'source', 'description'], mechanisms)}`;
  const { chain } = listing;
  if (!chain.reachable) return `${out}chain ${chain.network} (${chain.url}): not reachable: ${chain.error}\n`;
  out += `subnets on ${chain.network} (${chain.url}, spec ${chain.specVersion}, block #${chain.block}; a new subnet locks ${chain.lockCost.toString()}):\n`;
  const rows = chain.subnets.map((s) => [
    String(s.netuid),
    s.mechanism === null ? '-' : `${s.mechanism.name}${s.mechanism.versionMatches ? '' : ' (other version)'}`,
    s.identity ?? '-',
    orDash(s.owner),
    orDash(s.tempo),
    s.n === null ? '-' : `${s.n}/${orDash(s.maxUids)}`,
    orDash(s.locked),
    orDash(s.burn),
  ]);
  return out + table(['netuid', 'mechanism', 'identity', 'owner', 'tempo', 'n/max', 'locked', 'burn'], rows);
}

/** The listing as one JSON object; amounts in rao (strings). */
export function listingJson(listing: SubnetListing): string {
  const rao = (b: Balance | null): string | null => (b === null ? null : b.rao.toString());
  const { chain } = listing;
  return toJson({
    mechanisms: listing.mechanisms,
    chain: chain.reachable ? { ...chain, lockCost: rao(chain.lockCost), subnets: chain.subnets.map((s) => ({ ...s, locked: rao(s.locked), burn: rao(s.burn) })) } : chain,
  });
}

export async function subnetListHandler(args: SubnetListArgs, io: CliIo): Promise<void> {
  const listing = await subnetList(args);
  io.writeStdout(args.json ? `${listingJson(listing)}\n` : describeListing(listing));
}
