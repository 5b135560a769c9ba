/**
 * The epoch table `tensornet up` prints: the block, each subnet's share of the block emission, its miners
 * by incentive (with their role), and its validators' vtrust and dividends.
 */
import type { ChainClient } from '../../../chain-client';
import type { RunningSubnet } from './network';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const num = (x: number): string => x.toFixed(3);

async function emissionShares(client: ChainClient, netuids: readonly number[]): Promise<Map<number, number>> {
  const values = await Promise.all(netuids.map(async (n) => BigInt((await client.api.query['subtensorModule']!['emissionValues']!(n)).toString())));
  const total = values.reduce((s, x) => s + x, 0n);
  return new Map(netuids.map((n, i) => [n, total === 0n ? 0 : Number((values[i]! * 1_000_000n) / total) / 1_000_000]));
}

export async function epochTable(client: ChainClient, subnets: readonly RunningSubnet[], block: number): Promise<string> {
  const shares = await emissionShares(client, subnets.map((s) => s.netuid));
  const lines = [`block ${block}`];
  for (const subnet of subnets) {
    const graph = subnet.validators[0]!.metagraph;
    lines.push(`  subnet ${subnet.netuid} ${subnet.mechanism.name}: emission share ${pct(shares.get(subnet.netuid) ?? 0)}`);
    const miners = subnet.roles.filter((r) => r.role !== 'validator').map((r) => ({ ...r, incentive: graph.incentive[r.uid] ?? 0 }));
    miners.sort((a, b) => b.incentive - a.incentive);
    lines.push(`    miners by incentive: ${miners.map((m) => `uid ${m.uid} ${m.role} ${num(m.incentive)}`).join(' · ')}`);
    const validators = subnet.roles.filter((r) => r.role === 'validator');
    lines.push(`    validators: ${validators.map((v) => `uid ${v.uid} vtrust ${num(graph.validatorTrust[v.uid] ?? 0)} dividends ${num(graph.dividends[v.uid] ?? 0)}`).join(' · ')}`);
  }
  return `${lines.join('\n')}\n`;
}
