/**
 * A subnet's miner side as a `MinerHandler`, so `tensornet miner --subnet NAME [--tier T]` serves it: the
 * synapse is attached to the axon and each request goes through the handler the subnet's factory builds for
 * the chosen tier and the loaded model. The response is checked against the synapse's response schema
 * before it leaves (a subnet bug becomes a logged 500, never a malformed answer on the wire).
 */
import type { Axon, Forward } from '../../miner';
import type { MinerHandler } from '../../miner/handlers';
import type { SynapseDefinition, SynapseResponse } from '../../protocol';
import type { Subnet } from './define';

export function minerHandlerOf<D extends SynapseDefinition, Ref>(subnet: Subnet<D, Ref>): MinerHandler {
  const tiers = subnet.miner.tiers;
  return Object.freeze({
    subnet: subnet.name,
    description: subnet.description,
    synapses: Object.freeze([subnet.synapse]),
    model: subnet.miner.model,
    ...(subnet.miner.modelSpec === undefined ? {} : { modelSpec: subnet.miner.modelSpec }),
    tiers,
    attach(axon, { engine, logger, tier }) {
      const handle = subnet.miner.createHandler({ engine, logger, tier: tier ?? subnet.defaultTier });
      const forward: Forward<D> = async (request, ctx) => subnet.synapse.response.parse(await handle(request, ctx)) as SynapseResponse<D>;
      // `attach` picks the forward type from D['streaming'], which TypeScript cannot resolve for a generic D; subnets do not stream.
      axon.attach(subnet.synapse, forward as Parameters<Axon['attach']>[1]);
    },
  } satisfies MinerHandler);
}
