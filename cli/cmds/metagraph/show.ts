/** `tensornet metagraph show`, running: read the metagraph once and render it. */
import { getNetworks, metagraph } from '../../../chain-client';
import { usage } from '../../keys';
import { connectTo, isUnreachable, table, toJson } from '../subnet/shared';
import type { MetagraphShowArgs } from './index';

const f = (x: number): string => x.toFixed(4);

export async function showMetagraph(args: MetagraphShowArgs, env: Readonly<Record<string, string | undefined>>): Promise<string> {
  let client;
  try {
    client = await connectTo(args.network, env);
  } catch (err) {
    if (isUnreachable(err)) throw usage(`cannot reach the chain: ${err.message} (check --network)`, err);
    throw err;
  }
  try {
    if (!(await getNetworks(client)).includes(args.netuid)) throw usage(`subnet ${args.netuid} does not exist (tensornet subnet list shows the subnets)`);
    const graph = await metagraph(client, { netuid: args.netuid });
    const rows = graph.uids.map((uid) => ({
      uid,
      hotkey: graph.hotkeys[uid]!,
      coldkey: graph.coldkeys[uid]!,
      stake: graph.stake[uid]!,
      rank: graph.ranks[uid]!,
      trust: graph.trust[uid]!,
      consensus: graph.consensus[uid]!,
      incentive: graph.incentive[uid]!,
      dividends: graph.dividends[uid]!,
      vtrust: graph.validatorTrust[uid]!,
      emission: graph.emission[uid]!,
      permit: graph.validatorPermit[uid]!,
      axon: graph.axons[uid]!.isServing ? `${graph.axons[uid]!.ip}:${graph.axons[uid]!.port}` : null,
    }));
    const key = args.sort;
    if (key !== 'uid') {
      const value = (r: (typeof rows)[number]): number => (key === 'stake' || key === 'emission' ? Number(r[key].rao) : r[key]);
      rows.sort((a, b) => value(b) - value(a) || a.uid - b.uid);
    }
    await graph.close();
    if (args.json) return `${toJson({ netuid: args.netuid, block: graph.block, neurons: rows.map((r) => ({ ...r, stake: r.stake.tao, emission: r.emission.rao })) })}\n`;
    const header = ['UID', 'HOTKEY', 'STAKE τ', 'RANK', 'TRUST', 'CONSENSUS', 'INCENTIVE', 'DIVIDENDS', 'VTRUST', 'EMISSION ρ', 'PERMIT', 'AXON'];
    const body = rows.map((r) => [String(r.uid), `${r.hotkey.slice(0, 8)}…`, r.stake.tao, f(r.rank), f(r.trust), f(r.consensus), f(r.incentive), f(r.dividends), f(r.vtrust), r.emission.rao.toString(), r.permit ? 'yes' : '', r.axon ?? '']);
    return `subnet ${args.netuid} at block ${graph.block}: ${rows.length} neurons\n${table(header, body)}\n`;
  } finally {
    await client.close();
  }
}
