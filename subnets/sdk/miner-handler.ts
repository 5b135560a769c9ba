/**
 * A subnet's miner side as a `MinerHandler`, so `tensornet miner --subnet NAME [--tier T]` serves it: the
 * synapse is attached to the axon and each request goes through the handler the subnet's factory builds for
 * the chosen tier and the loaded model. The response is checked against the synapse's response schema
 * before it leaves (a subnet bug becomes a logged 500, never a malformed answer on the wire).
 *
 * A streaming subnet's handler yields chunks: each is checked against the chunk schema and sent as one JSON
 * line on the axon's streaming path (`text/event-stream`, docs/wire-protocol.md) as soon as it is yielded. A
 * handler failing before its first chunk gets a proper error answer (500, or the `AxonRefusal` it threw);
 * after it, the axon can only cut the stream short (the validator reads a truncated answer).
 */
import type { Axon, Forward, ForwardContext, StreamForward } from '../../miner';
import type { MinerHandler } from '../../miner/handlers';
import type { SynapseDefinition, SynapseRequest, SynapseResponse } from '../../protocol';
import { isStreamingSubnet, type StreamingSubnet, type Subnet } from './define';
import { encodeChunk } from './stream';

export function minerHandlerOf<D extends SynapseDefinition, Ref, C>(subnet: Subnet<D, Ref> | StreamingSubnet<D, Ref, C>): MinerHandler {
  const tiers = subnet.miner.tiers;
  return Object.freeze({
    subnet: subnet.name,
    description: subnet.description,
    synapses: Object.freeze([subnet.synapse]),
    model: subnet.miner.model,
    ...(subnet.miner.modelSpec === undefined ? {} : { modelSpec: subnet.miner.modelSpec }),
    tiers,
    attach(axon, { engine, logger, tier }) {
      const setup = { engine, logger, tier: tier ?? subnet.defaultTier };
      if (isStreamingSubnet(subnet)) {
        const produce = subnet.miner.createHandler(setup);
        const spec = subnet.stream;
        const forward: StreamForward<D> = async function* (request: SynapseRequest<D>, ctx: ForwardContext) {
          let index = 0;
          for await (const chunk of produce(request, ctx)) {
            yield encodeChunk(spec, chunk, index);
            index++;
          }
        };
        axon.attach(subnet.synapse, forward as Parameters<Axon['attach']>[1]);
        return;
      }
      const handle = subnet.miner.createHandler(setup);
      const forward: Forward<D> = async (request, ctx) => subnet.synapse.response.parse(await handle(request, ctx)) as SynapseResponse<D>;
      // `attach` picks the forward type from D['streaming'], which TypeScript cannot resolve for a generic D.
      axon.attach(subnet.synapse, forward as Parameters<Axon['attach']>[1]);
    },
  } satisfies MinerHandler);
}
