/** `chain_*`: block hashes, headers, blocks, head subscriptions. */
import { z } from 'zod';
import { blockJson, headerJson } from '../codec';
import { method, param, subscription, unsubscription, type RpcEntry } from '../method';
import { blockHash, blockNumber, optional } from '../schemas';
import { guardListener } from './shared';

/** `ListOrValue<NumberOrHex>`: one block number or a list of them. */
const blockNumbers = z.unknown().transform((value, ctx): { readonly list: boolean; readonly numbers: number[] } => {
  const list = Array.isArray(value);
  const items: unknown[] = list ? value : [value];
  const numbers: number[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = blockNumber.safeParse(item);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'expected a block number', path: list ? [index] : [] });
      return z.NEVER;
    }
    numbers.push(parsed.data);
  }
  return { list, numbers };
});

const getBlockHash = method([param('number', optional(blockNumbers))], ({ backend }, [query]) => {
  if (query === undefined) return backend.bestBlock().hash;
  const hashes = query.numbers.map((n) => backend.blockByNumber(n)?.hash ?? null);
  return query.list ? hashes : (hashes[0] ?? null);
});

const getFinalizedHead = method([], ({ backend }) => backend.finalizedBlock().hash);

const subscribeNewHeads = subscription({
  params: [],
  notification: 'chain_newHead',
  unsubscribe: 'chain_unsubscribeNewHeads',
  start: ({ backend, logger }, _args, sink) => {
    sink.notify(headerJson(backend.bestBlock()));
    return backend.on('newBlock', guardListener(logger, 'chain_newHead', (block) => sink.notify(headerJson(block))));
  },
});

const subscribeFinalizedHeads = subscription({
  params: [],
  notification: 'chain_finalizedHead',
  unsubscribe: 'chain_unsubscribeFinalizedHeads',
  start: ({ backend, logger }, _args, sink) => {
    sink.notify(headerJson(backend.finalizedBlock()));
    return backend.on('finalized', guardListener(logger, 'chain_finalizedHead', (block) => sink.notify(headerJson(block))));
  },
});

const subscribeAllHeads = subscription({
  params: [],
  notification: 'chain_allHead',
  unsubscribe: 'chain_unsubscribeAllHeads',
  start: ({ backend, logger }, _args, sink) =>
    backend.on('newBlock', guardListener(logger, 'chain_allHead', (block) => sink.notify(headerJson(block)))),
});

export const chainHandlers = {
  chain_getBlockHash: getBlockHash,
  chain_getHead: getBlockHash,
  chain_getHeader: method([param('hash', optional(blockHash))], ({ backend }, [hash]) => {
    const block = hash === undefined ? backend.bestBlock() : backend.blockByHash(hash);
    return block === undefined ? null : headerJson(block);
  }),
  chain_getBlock: method([param('hash', optional(blockHash))], ({ backend }, [hash]) => {
    const block = hash === undefined ? backend.bestBlock() : backend.blockByHash(hash);
    return block === undefined ? null : blockJson(block);
  }),
  chain_getFinalizedHead: getFinalizedHead,
  chain_getFinalisedHead: getFinalizedHead,

  chain_subscribeNewHeads: subscribeNewHeads,
  chain_subscribeNewHead: subscribeNewHeads,
  subscribe_newHead: subscribeNewHeads,
  chain_unsubscribeNewHeads: unsubscription('chain_newHead'),
  chain_unsubscribeNewHead: unsubscription('chain_newHead'),
  unsubscribe_newHead: unsubscription('chain_newHead'),

  chain_subscribeFinalizedHeads: subscribeFinalizedHeads,
  chain_subscribeFinalisedHeads: subscribeFinalizedHeads,
  chain_unsubscribeFinalizedHeads: unsubscription('chain_finalizedHead'),
  chain_unsubscribeFinalisedHeads: unsubscription('chain_finalizedHead'),

  chain_subscribeAllHeads: subscribeAllHeads,
  chain_unsubscribeAllHeads: unsubscription('chain_allHead'),
} satisfies Record<string, RpcEntry>;
