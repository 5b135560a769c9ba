/**
 * Bounded, metadata-checked single storage reads for operations and pre-flight checks.
 */
import type { Codec } from '@polkadot/types/types';
import type { ChainClient } from '../connect';
import { RequestTimeoutError, UnsupportedRuntimeError } from '../errors';
import { redactUrl } from '../network';

type StorageFn = ((...args: unknown[]) => Promise<Codec>) & { at?: unknown };

/**
 * Reads `pallet.item(...args)` at the best block (metadata names, e.g. `SubtensorModule`, `LastUpdate`),
 * bounded by the client's timeout.
 * @throws UnsupportedRuntimeError when the runtime has no such item; RequestTimeoutError
 */
export async function queryItem(client: ChainClient, pallet: string, item: string, ...args: unknown[]): Promise<Codec> {
  const runtime = client.runtime;
  if (!runtime.hasStorage(pallet, item)) throw new UnsupportedRuntimeError(`${pallet}.${item}`, runtime.identity.specVersion, 'the runtime has no such storage item');
  const section = pallet.charAt(0).toLowerCase() + pallet.slice(1);
  const method = item.charAt(0).toLowerCase() + item.slice(1);
  const fn = (client.api.query as unknown as Record<string, Record<string, StorageFn | undefined> | undefined>)[section]?.[method];
  if (!fn) throw new UnsupportedRuntimeError(`${pallet}.${item}`, runtime.identity.specVersion, 'the API exposes no such storage item');
  return client.request(`query ${pallet}.${item}`, () => fn(...args));
}

/** An integer storage value as a bigint. */
export async function queryBigInt(client: ChainClient, pallet: string, item: string, ...args: unknown[]): Promise<bigint> {
  return BigInt((await queryItem(client, pallet, item, ...args)).toString());
}

/** An integer storage value (≤ 2^53) as a number. */
export async function queryNumber(client: ChainClient, pallet: string, item: string, ...args: unknown[]): Promise<number> {
  return Number((await queryItem(client, pallet, item, ...args)).toString());
}

/** A boolean storage value. */
export async function queryBool(client: ChainClient, pallet: string, item: string, ...args: unknown[]): Promise<boolean> {
  return (await queryItem(client, pallet, item, ...args)).toJSON() === true;
}

/** A `Vec` of integers or booleans as JSON values. */
export async function queryJsonArray<T extends number | boolean | string>(client: ChainClient, pallet: string, item: string, ...args: unknown[]): Promise<T[]> {
  const json = (await queryItem(client, pallet, item, ...args)).toJSON();
  return Array.isArray(json) ? (json as T[]) : [];
}

/**
 * The least stake a hotkey needs to set weights (and child keys): `StakeThreshold`, named
 * `WeightsMinStake` on older runtimes (spec 143).
 */
export async function weightsStakeThreshold(client: ChainClient): Promise<bigint> {
  return queryBigInt(client, 'SubtensorModule', client.runtime.hasStorage('SubtensorModule', 'StakeThreshold') ? 'StakeThreshold' : 'WeightsMinStake');
}

/** The uid of `hotkey` on `netuid`, or undefined when it is not registered there. */
export async function uidOf(client: ChainClient, netuid: number, hotkey: string): Promise<number | undefined> {
  const json = (await queryItem(client, 'SubtensorModule', 'Uids', netuid, hotkey)).toJSON();
  return typeof json === 'number' ? json : undefined;
}

/** The number of the best block. */
export async function bestBlockNumber(client: ChainClient): Promise<number> {
  const header = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
  return header.number.toNumber();
}

/** The netuids of the existing subnets (root included), ascending. */
export async function networks(client: ChainClient): Promise<number[]> {
  const runtime = client.runtime;
  if (!runtime.hasStorage('SubtensorModule', 'NetworksAdded')) throw new UnsupportedRuntimeError('SubtensorModule.NetworksAdded', runtime.identity.specVersion, 'the runtime has no such storage item');
  const entries = await client.request('query SubtensorModule.NetworksAdded', (api) =>
    (api.query as unknown as Record<string, Record<string, { entries(): Promise<Array<[{ args: Codec[] }, Codec]>> }>>)['subtensorModule']!['networksAdded']!.entries(),
  );
  return entries
    .filter(([, added]) => added.toJSON() === true)
    .map(([key]) => Number(key.args[0]!.toString()))
    .sort((a, b) => a - b);
}

/**
 * Resolves with the best block number once it reaches `target`, polling every `pollMs`; bounded by `timeoutMs`.
 * @throws RequestTimeoutError
 */
export async function waitForBlock(client: ChainClient, target: number, options: { readonly timeoutMs: number; readonly pollMs?: number }): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const best = await bestBlockNumber(client);
    if (best >= target) return best;
    if (Date.now() >= deadline) throw new RequestTimeoutError(`waiting for block ${target}`, options.timeoutMs, redactUrl(client.network.url));
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 1000, Math.max(1, deadline - Date.now()))));
  }
}
