/**
 * `tensornet root register|weights`, running: the wallet's hotkey takes a root seat (`root_register`,
 * the coldkey signs) and sets root weights over subnets (`set_root_weights`, the coldkey signs); `root run`
 * does so each root tempo from a validator API's measures, with `tensornet up`'s rule (`../up/root-weights`).
 */
import { rootRegister, setRootWeights, type ChainClient } from '../../../chain-client';
import type { CliIo } from '../../io';
import { usage } from '../../keys';
import { toJson } from '../subnet/shared';
import { untilStopped } from '../../until-stopped';
import { rootWeights, type SubnetMeasure } from '../up/root-weights';
import type { CommonArgs, RootRunArgs, RootWeightsArgs } from '../weights/options';
import { chainFailure, hotkeyAddress, numberList, unlock, withChain } from '../weights/shared';

type Env = Readonly<Record<string, string | undefined>>;

export async function rootRegisterCmd(args: CommonArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const hotkey = await hotkeyAddress(args, env);
  const coldkey = await unlock(args, env, 'coldkey');
  const result = await withChain(args, env, (client) => rootRegister(client, { signer: coldkey, hotkey }));
  if (args.json) io.writeStdout(`${toJson({ hotkey, coldkey: coldkey.address, uid: result.uid, blockHash: result.blockHash, blockNumber: result.blockNumber })}\n`);
  else io.writeStdout(`registered ${hotkey} on the root network as uid ${result.uid} in block #${result.blockNumber} (${result.blockHash})\n`);
}

export async function rootWeightsCmd(args: RootWeightsArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const netuids = numberList('netuids', args.netuids, { integers: true, max: 65535 });
  const weights = numberList('weights', args.weights);
  if (netuids.length !== weights.length) throw usage(`--netuids has ${netuids.length} entries and --weights ${weights.length}: give one weight per subnet`);
  if (new Set(netuids).size !== netuids.length) throw usage('--netuids lists a subnet twice');
  const hotkey = await hotkeyAddress(args, env);
  const coldkey = await unlock(args, env, 'coldkey');
  const sent = await withChain(args, env, (client) => setRootWeights(client, { signer: coldkey, hotkey, netuids, weights }));
  if (args.json) io.writeStdout(`${toJson({ hotkey, netuids: sent.netuids, values: sent.values, blockHash: sent.blockHash, blockNumber: sent.blockNumber })}\n`);
  else io.writeStdout(`set root weights of ${hotkey} in block #${sent.blockNumber} (${sent.blockHash})\n  netuids ${sent.netuids.join(',')}\n  values  ${sent.values.join(',')} (u16)\n`);
}

/** One round of `root run`: the measures read, the weights computed and, unless all are 0, the block they were set in. */
export interface RootRound {
  readonly block: number;
  readonly netuids: readonly number[];
  readonly weights: readonly number[];
  /** Where `set_root_weights` landed; absent when nothing is measured yet (every weight 0) or the round failed. */
  readonly setIn?: { readonly blockNumber: number; readonly blockHash: string };
  /** The round's failure as one line. */
  readonly error?: string;
}

export interface RootRunHooks {
  /** Aborting it stops the loop as the first SIGINT would. */
  readonly signal?: AbortSignal;
  readonly onRound?: (round: RootRound) => void;
  /** How often the best block is polled [default 500 ms]. */
  readonly pollMs?: number;
}

async function apiGet<T>(base: string, key: string, path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  } catch (err) {
    throw usage(`cannot reach the validator API at ${base}: ${(err as Error).message} (check --validator-api)`, err);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (body.error?.message !== undefined) message = `${body.error.code ?? 'error'}: ${body.error.message}`;
    } catch {
      // not JSON: the raw text
    }
    throw usage(`validator API GET ${path}: HTTP ${res.status} ${message}`);
  }
  return JSON.parse(text) as T;
}

/** Per-subnet measures from a validator API: each served subnet's miner scores and successful infer requests. */
export async function measuresFromApi(base: string, key: string): Promise<SubnetMeasure[]> {
  const { subnets } = await apiGet<{ subnets: Array<{ netuid: number }> }>(base, key, '/v1/subnets');
  const served = subnets.map((s) => s.netuid).filter((n) => n !== 0).sort((a, b) => a - b);
  return Promise.all(
    served.map(async (netuid) => {
      const [scores, stats] = await Promise.all([
        apiGet<{ scores: Array<{ score: number }> }>(base, key, `/v1/subnets/${netuid}/scores`),
        apiGet<{ successes: number }>(base, key, `/v1/subnets/${netuid}/stats`),
      ]);
      return { netuid, scores: scores.scores.map((s) => s.score), served: stats.successes };
    }),
  );
}

async function bestBlock(client: ChainClient): Promise<number> {
  return (await client.api.rpc.chain.getHeader()).number.toNumber();
}

export async function rootRunCmd(args: RootRunArgs, io: CliIo, env: Env = process.env, hooks: RootRunHooks = {}): Promise<void> {
  const interval = args['interval-blocks'];
  if (interval !== undefined && !(Number.isInteger(interval) && interval > 0)) throw usage(`--interval-blocks must be a positive integer (got ${interval})`);
  let base: string;
  try {
    base = new URL(args['validator-api']).toString().replace(/\/+$/, '');
  } catch (err) {
    throw usage(`--validator-api must be a URL such as http://127.0.0.1:8092 (got ${JSON.stringify(args['validator-api'])})`, err);
  }
  const key = args['api-key'];
  const hotkey = await hotkeyAddress(args, env);
  const coldkey = await unlock(args, env, 'coldkey');
  await withChain(args, env, async (client) => {
    const every = interval ?? Number((await client.api.query.subtensorModule!.tempo!(0)).toString());
    if (!(every > 0)) throw usage('the root network has tempo 0: pass --interval-blocks');
    await measuresFromApi(base, key); // a wrong URL or key fails now, as one line
    const round = async (block: number): Promise<RootRound> => {
      let measured: SubnetMeasure[] = [];
      let weights: number[] = [];
      try {
        measured = await measuresFromApi(base, key);
        weights = rootWeights(measured);
        const netuids = measured.map((m) => m.netuid);
        if (weights.every((w) => w === 0)) return { block, netuids, weights };
        const sent = await setRootWeights(client, { signer: coldkey, hotkey, netuids, weights });
        return { block, netuids, weights, setIn: { blockNumber: sent.blockNumber, blockHash: sent.blockHash } };
      } catch (err) {
        const failure = chainFailure(err, args.network);
        return { block, netuids: measured.map((m) => m.netuid), weights, error: failure instanceof Error ? failure.message : String(failure) };
      }
    };
    const report = (r: RootRound): void => {
      hooks.onRound?.(r);
      if (args.json) io.writeStdout(`${toJson(r)}\n`);
      else if (r.error !== undefined) io.writeStderr(`tensornet root run: block #${r.block}: ${r.error}\n`);
      else if (r.setIn === undefined) io.writeStdout(`block #${r.block}: nothing measured yet (every subnet's quality is 0), root weights not set\n`);
      else io.writeStdout(`block #${r.block}: set root weights in block #${r.setIn.blockNumber}: ${r.netuids.map((n, i) => `${n}=${r.weights[i]!.toFixed(4)}`).join(' ')}\n`);
    };
    let stopped = false;
    let wake = (): void => undefined;
    const loop = (async () => {
      let next = 0;
      while (!stopped) {
        try {
          const best = await bestBlock(client);
          if (best >= next) {
            next = best + every;
            report(await round(best));
          }
        } catch (err) {
          const failure = chainFailure(err, args.network);
          io.writeStderr(`tensornet root run: ${failure instanceof Error ? failure.message : String(failure)}\n`);
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, hooks.pollMs ?? 500);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
    io.writeStderr(`tensornet root run: hotkey ${hotkey} weighting the subnets of ${base} every ${every} blocks\n`);
    await untilStopped({
      io,
      command: 'tensornet root run',
      ...(hooks.signal !== undefined ? { signal: hooks.signal } : {}),
      stop: async () => {
        stopped = true;
        wake();
        await loop;
      },
    });
  });
}
