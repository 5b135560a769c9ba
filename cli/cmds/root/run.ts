/**
 * `tensornet root register|weights`, running: the wallet's hotkey takes a root seat (`root_register`,
 * the coldkey signs) and sets root weights over subnets (`set_root_weights`, the coldkey signs).
 */
import { rootRegister, setRootWeights } from '../../../chain-client';
import type { CliIo } from '../../io';
import { usage } from '../../keys';
import { toJson } from '../subnet/shared';
import type { CommonArgs, RootWeightsArgs } from '../weights/options';
import { hotkeyAddress, numberList, unlock, withChain } from '../weights/shared';

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
