/** pallet_timestamp: the `set` inherent, once per block. */
import { DispatchError } from '../errors';
import type { CallTable } from '../dispatch';
import { runtimeItems } from '../items';

export const timestampCalls: CallTable = {
  set: (ctx, origin, args) => {
    if (origin.kind !== 'none') throw new DispatchError({ BadOrigin: null }, 'BadOrigin', 'Timestamp.set is an inherent');
    const { Now, DidUpdate } = runtimeItems().Timestamp;
    if (DidUpdate.get(ctx.state)) throw new DispatchError({ Other: null }, 'Other', 'Timestamp must be updated only once in the block');
    const now = args.now as bigint;
    const prev = Now.get(ctx.state);
    if (prev !== 0n && now < prev) throw new DispatchError({ Other: null }, 'Other', 'Timestamp must increment');
    Now.set(ctx.state, now);
    DidUpdate.set(ctx.state, true);
  },
};

/** `on_finalize`: the inherent must have run. */
export function finalizeTimestamp(ctx: import('../context').RuntimeContext): void {
  const { DidUpdate } = runtimeItems().Timestamp;
  DidUpdate.remove(ctx.state);
}
