/**
 * A copying miner, for demonstrations of the copy detector: it answers each request by asking another
 * miner the same question and returning that answer unchanged.
 */
import type { MinerHandler } from '../../../miner/handlers';
import type { AxonTarget } from '../../../protocol';
import type { AnySubnet } from '../../../subnets';
import type { Dendrite } from '../../../validator';

export function copierHandler(subnet: AnySubnet, dendrite: Dendrite, original: () => AxonTarget): MinerHandler {
  return {
    subnet: subnet.name,
    description: `copies another ${subnet.name} miner's answers`,
    synapses: [subnet.synapse],
    model: 'none',
    attach(axon) {
      axon.attach(subnet.synapse, async (request, ctx) => {
        const result = await dendrite.query(original(), subnet.synapse, request, { timeoutS: ctx.timeoutS, signal: ctx.signal });
        if (result.response === null) throw new Error(`the copied miner failed: ${result.message}`);
        return result.response;
      });
    },
  };
}
