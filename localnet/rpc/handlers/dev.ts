/** `dev_*`: manual-seal controls for tests and scripts; unsafe (they change the chain without a transaction). */
import { z } from 'zod';
import type { HexString } from '../../chain/backend';
import { method, param, unsafe, type RpcEntry } from '../method';
import { optional } from '../schemas';

/** The most blocks one `dev_newBlock` call builds. */
export const DEV_NEW_BLOCK_MAX_COUNT = 1000;

const newBlockOptions = z.strictObject({
  count: z
    .number('expected an integer')
    .int('expected an integer')
    .min(1, 'expected at least 1')
    .max(DEV_NEW_BLOCK_MAX_COUNT, `expected at most ${DEV_NEW_BLOCK_MAX_COUNT}`)
    .optional(),
});

export const devHandlers = {
  /** Builds one block (or `{count}` blocks) now; answers the hash of the last one. */
  dev_newBlock: unsafe(
    method([param('options', optional(newBlockOptions))], async ({ backend, logger }, [options]) => {
      const count = options?.count ?? 1;
      let hash: HexString | undefined;
      for (let i = 0; i < count; i++) hash = (await backend.newBlock()).hash;
      logger.debug('dev_newBlock', { count, hash });
      return hash ?? null;
    }),
  ),
} satisfies Record<string, RpcEntry>;
