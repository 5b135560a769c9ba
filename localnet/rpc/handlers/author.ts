/** `author_*`: extrinsic submission (plain and watched) and the pool view. */
import { hexToU8a, u8aToHex } from '@polkadot/util';
import type { TransactionStatus } from '../../chain/backend';
import { isFinalStatus, transactionStatusJson } from '../codec';
import { method, param, subscription, unsubscription, type RpcEntry } from '../method';
import { hexBytes } from '../schemas';

const extrinsic = param('extrinsic', hexBytes);

/**
 * Submits and reports the lifecycle as `author_extrinsicUpdate` notifications: `"ready"` once the
 * pool accepted it, then what the chain reports (`{inBlock}`, `{finalized}`, `"invalid"`,
 * `"dropped"`); the subscription ends after a final status. A transaction the pool rejects fails the
 * subscribe call itself (e.g. 1010 Invalid Transaction), as on Substrate.
 */
const submitAndWatch = subscription({
  params: [extrinsic],
  notification: 'author_extrinsicUpdate',
  unsubscribe: 'author_unwatchExtrinsic',
  start: async ({ backend, logger }, [hex], sink) => {
    let watching = true;
    let ready = false;
    const early: TransactionStatus[] = [];
    const report = (status: TransactionStatus): void => {
      if (!watching || sink.closed) return;
      if (status.type === 'invalid' || status.type === 'dropped') {
        logger.debug('watched extrinsic ended', { status: status.type, reason: status.reason });
      }
      sink.notify(transactionStatusJson(status));
      if (isFinalStatus(status)) sink.close();
    };
    const hash = await backend.submitExtrinsic(hexToU8a(hex), (status) => {
      if (ready) report(status);
      else early.push(status);
    });
    logger.debug('extrinsic submitted (watched)', { hash });
    ready = true;
    report({ type: 'ready' });
    for (const status of early.splice(0)) report(status);
    // The backend has no way to stop reporting; later statuses are ignored.
    return () => {
      watching = false;
    };
  },
});

export const authorHandlers = {
  author_submitExtrinsic: method([extrinsic], async ({ backend, logger }, [hex]) => {
    const hash = await backend.submitExtrinsic(hexToU8a(hex));
    logger.debug('extrinsic submitted', { hash });
    return hash;
  }),
  author_submitAndWatchExtrinsic: submitAndWatch,
  author_unwatchExtrinsic: unsubscription('author_extrinsicUpdate'),
  author_pendingExtrinsics: method([], ({ backend }) => (backend.pendingExtrinsics?.() ?? []).map((xt) => u8aToHex(xt))),
} satisfies Record<string, RpcEntry>;
