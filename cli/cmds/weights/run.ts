/**
 * `tensornet weights set|commit|reveal`, running. The hotkey signs; weights go through the chain
 * client's `setWeights` / `commitWeights` / `revealWeights` (the SDK's processing and pre-flight checks).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { commitWeights, getHyperparameters, revealWeights, setWeights, type ChainClient, type WeightsCommit } from '../../../chain-client';
import type { CliIo } from '../../io';
import { message, usage } from '../../keys';
import { toJson } from '../subnet/shared';
import type { WeightsCommitArgs, WeightsRevealArgs, WeightsSetArgs } from './options';
import { netuidOf, numberList, unlock, withChain } from './shared';

type Env = Readonly<Record<string, string | undefined>>;

/** The uids and weights of the flags, checked. @throws CliError `UsageError` */
function weightsOf(args: WeightsSetArgs): { uids: number[]; weights: number[] } {
  const uids = numberList('uids', args.uids, { integers: true, max: 65535 });
  const weights = numberList('weights', args.weights);
  if (uids.length !== weights.length) throw usage(`--uids has ${uids.length} entries and --weights ${weights.length}: give one weight per uid`);
  if (new Set(uids).size !== uids.length) throw usage('--uids lists a uid twice');
  return { uids, weights };
}

function versionKeyOf(text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || BigInt(text) >= 1n << 64n) throw usage(`--version-key must be a u64 (got "${text}")`);
  return BigInt(text);
}

/** `--version-key`, else the subnet's `WeightsVersionKey` (the lowest the chain accepts). */
async function versionKey(client: ChainClient, netuid: number, flag: bigint | undefined): Promise<bigint> {
  return flag ?? (await getHyperparameters(client, { netuid })).weights_version;
}

export async function weightsSet(args: WeightsSetArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const netuid = netuidOf(args.netuid);
  const input = weightsOf(args);
  const flagKey = versionKeyOf(args['version-key']);
  const hotkey = await unlock(args, env, 'hotkey');
  const result = await withChain(args, env, async (client) => {
    const key = await versionKey(client, netuid, flagKey);
    return { key, sent: await setWeights(client, { signer: hotkey, netuid, ...input, versionKey: key }) };
  });
  const { sent, key } = result;
  if (args.json) {
    io.writeStdout(`${toJson({ netuid, hotkey: hotkey.address, uids: sent.uids, values: sent.values, versionKey: key, blockHash: sent.blockHash, blockNumber: sent.blockNumber })}\n`);
  } else {
    io.writeStdout(`set weights on netuid ${netuid} from ${hotkey.address} in block #${sent.blockNumber} (${sent.blockHash}), version key ${key}\n  uids   ${sent.uids.join(',')}\n  values ${sent.values.join(',')} (u16)\n`);
  }
}

/** The commit file: everything the reveal needs (u64 as a decimal string). */
interface CommitFile {
  readonly netuid: number;
  readonly hotkey: string;
  readonly uids: number[];
  readonly values: number[];
  readonly salt: number[];
  readonly versionKey: string;
  readonly commitHash: string;
  readonly commitBlock: number;
  readonly firstRevealBlock: number;
  readonly lastRevealBlock: number;
}

function commitFileOf(commit: WeightsCommit): CommitFile {
  return { ...commit, uids: [...commit.uids], values: [...commit.values], salt: [...commit.salt], versionKey: commit.versionKey.toString() };
}

export async function weightsCommit(args: WeightsCommitArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const netuid = netuidOf(args.netuid);
  const input = weightsOf(args);
  const flagKey = versionKeyOf(args['version-key']);
  const hotkey = await unlock(args, env, 'hotkey');
  const { commit } = await withChain(args, env, async (client) => commitWeights(client, { signer: hotkey, netuid, ...input, versionKey: await versionKey(client, netuid, flagKey) }));
  const file = commitFileOf(commit);
  const json = `${JSON.stringify(file, null, 2)}\n`;
  if (args.save !== undefined) {
    try {
      writeFileSync(args.save, json, { mode: 0o600 });
    } catch (err) {
      throw usage(`the commit is on chain but --save ${args.save} could not be written (${message(err)}); the reveal needs: ${JSON.stringify(file)}`, err);
    }
  }
  if (args.json) {
    io.writeStdout(json);
  } else {
    io.writeStdout(`committed weights on netuid ${netuid} from ${hotkey.address} in block #${commit.commitBlock}: hash ${commit.commitHash}\n`);
    io.writeStdout(`reveal from block ${commit.firstRevealBlock} to ${commit.lastRevealBlock}${args.save !== undefined ? `: tensornet weights reveal --from ${args.save}` : ''}\n`);
    io.writeStdout(json);
  }
}

/** The commit file, checked. @throws CliError `UsageError` */
function readCommitFile(path: string): CommitFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw usage(`--from ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : message(err)}`, err);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw usage(`--from ${path} is not JSON (write it with tensornet weights commit --save)`, err);
  }
  const d = doc as Partial<Record<keyof CommitFile, unknown>>;
  const ints = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 65535);
  const ok =
    typeof doc === 'object' && doc !== null && Number.isInteger(d.netuid) && typeof d.hotkey === 'string' && ints(d.uids) && ints(d.values) && ints(d.salt) &&
    (d.uids as number[]).length === (d.values as number[]).length && typeof d.versionKey === 'string' && /^\d+$/.test(d.versionKey) &&
    Number.isInteger(d.firstRevealBlock) && Number.isInteger(d.lastRevealBlock);
  if (!ok) throw usage(`--from ${path} is not a weights commit (netuid, hotkey, uids, values, salt, versionKey, firstRevealBlock, lastRevealBlock; write it with tensornet weights commit --save)`);
  return doc as CommitFile;
}

/** Blocks until the best block is at least `block`, for at most `timeoutMs`. */
async function waitForBest(client: ChainClient, block: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader());
    if (head.number.toNumber() >= block) return;
    if (Date.now() > deadline) throw usage(`the reveal window (from block ${block + 1}) did not open within ${Math.round(timeoutMs / 1000)} s (best block #${head.number.toNumber()})`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

export async function weightsReveal(args: WeightsRevealArgs, io: CliIo, env: Env = process.env): Promise<void> {
  const file = readCommitFile(args.from);
  if (args.netuid !== undefined && netuidOf(args.netuid) !== file.netuid) throw usage(`--from ${args.from} is a commit on netuid ${file.netuid}, not ${args.netuid}`);
  const hotkey = await unlock(args, env, 'hotkey');
  if (hotkey.address !== file.hotkey) throw usage(`--from ${args.from} was committed by ${file.hotkey}, not by this hotkey (${hotkey.address}): pick it with --wallet/--hotkey`);
  const sent = await withChain(args, env, async (client) => {
    if (args.wait) {
      const best = (await client.request('chain_getHeader', (api) => api.rpc.chain.getHeader())).number.toNumber();
      // A reveal must be in a block ≥ firstRevealBlock: submit once the best block is the one before it (12 s a block at most, plus slack).
      await waitForBest(client, file.firstRevealBlock - 1, (Math.max(0, file.firstRevealBlock - best) + 2) * 12_000);
    }
    return revealWeights(client, { signer: hotkey, commit: { netuid: file.netuid, uids: file.uids, values: file.values, salt: file.salt, versionKey: BigInt(file.versionKey) } });
  });
  if (args.json) io.writeStdout(`${toJson({ netuid: file.netuid, hotkey: hotkey.address, commitHash: file.commitHash, blockHash: sent.blockHash, blockNumber: sent.blockNumber })}\n`);
  else io.writeStdout(`revealed weights on netuid ${file.netuid} from ${hotkey.address} in block #${sent.blockNumber} (${sent.blockHash}): uids ${file.uids.join(',')} values ${file.values.join(',')}\n`);
}
