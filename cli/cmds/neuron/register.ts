/** `tensornet neuron register`, running: quote the burn, refuse above `--max-cost`, then burned-register the hotkey. */
import { Balance, burnedRegister, getNetworks, getUid, readStorage, storageItem, type ChainClient } from '../../../chain-client';
import { unlockKey } from '../../keys';
import { toJson, usage } from '../subnet/shared';
import { publicAddress, taoAmount, walletOf, withChain, type Env, type WalletArgs } from '../wallet/shared';

export interface NeuronRegisterArgs extends WalletArgs {
  readonly netuid: number;
  readonly 'max-cost'?: string;
}

/** `Burn[netuid]` at the head: what a registration now costs. */
async function burnOf(client: ChainClient, netuid: number): Promise<Balance> {
  const item = storageItem(client, 'SubtensorModule', 'Burn');
  const head = await client.api.rpc.chain.getHeader();
  const { values } = await readStorage(client, [item.key(netuid)], head.hash.toHex());
  const burn = item.decode(values.get(item.key(netuid)) ?? null);
  return Balance.fromRao(BigInt(burn === null ? 0 : burn.toString()));
}

export async function neuronRegister(args: NeuronRegisterArgs, env: Env, progress: (line: string) => void): Promise<string> {
  const maxCost = args['max-cost'] === undefined ? undefined : taoAmount(args['max-cost'], '--max-cost');
  const wallet = walletOf(args, env);
  const hotkey = await publicAddress(wallet, 'hotkey');
  const coldkey = await unlockKey(wallet, 'coldkey');
  return withChain(args, env, 'register', async (client) => {
    if (args.netuid === 0) throw usage('netuid 0 is the root network: burned registration is for subnets');
    if (!(await getNetworks(client)).includes(args.netuid)) throw usage(`subnet ${args.netuid} does not exist (tensornet subnet list shows the subnets)`);
    const existing = await getUid(client, { netuid: args.netuid, hotkey });
    if (existing !== undefined) throw usage(`hotkey "${wallet.hotkeyName}" (${hotkey}) is already registered on subnet ${args.netuid} as uid ${existing}`);
    const burn = await burnOf(client, args.netuid);
    if (!args.json) progress(`registering hotkey "${wallet.hotkeyName}" ${hotkey} on subnet ${args.netuid}: the burn is ${burn.tao} τ\n`);
    if (maxCost !== undefined && burn.rao > maxCost.rao) throw usage(`the burn on subnet ${args.netuid} is ${burn.tao} τ, above --max-cost ${maxCost.tao} τ: nothing was spent`);
    const result = await burnedRegister(client, { signer: coldkey, netuid: args.netuid, hotkey });
    if (args.json) return `${toJson({ netuid: args.netuid, hotkey, coldkey: coldkey.address, uid: result.uid, burn: result.burn.tao, blockHash: result.blockHash })}\n`;
    return `registered as uid ${result.uid} on subnet ${args.netuid}, burning ${result.burn.tao} τ (block ${result.blockHash})\n`;
  });
}
