/** pallet_utility: batches of calls with the caller's origin. */
import type { RuntimeContext } from '../context';
import { DispatchError } from '../errors';
import type { CallTable } from '../dispatch';
import type { Origin } from '../primitives';

/** The `Utility.batched_calls_limit` constant of the runtime. */
export const BATCHED_CALLS_LIMIT = 10_922;

function calls(args: Record<string, unknown>): unknown[] {
  const list = args.calls as unknown[];
  if (list.length > BATCHED_CALLS_LIMIT) throw new DispatchError({ Other: null }, 'Utility.TooManyCalls', `at most ${BATCHED_CALLS_LIMIT} calls`);
  return list;
}

function tryDispatch(ctx: RuntimeContext, origin: Origin, call: unknown): DispatchError | null {
  try {
    ctx.dispatch(origin, call);
    return null;
  } catch (err) {
    if (err instanceof DispatchError) return err;
    throw err;
  }
}

export const utilityCalls: CallTable = {
  /** Stops at the first failure (earlier calls stay applied); the batch itself succeeds. */
  batch: (ctx, origin, args) => {
    const list = calls(args);
    for (let index = 0; index < list.length; index++) {
      const err = tryDispatch(ctx, origin, list[index]);
      if (err) {
        ctx.deposit({ Utility: { BatchInterrupted: { index, error: err.value } } });
        return;
      }
      ctx.deposit({ Utility: { ItemCompleted: null } });
    }
    ctx.deposit({ Utility: { BatchCompleted: null } });
  },
  /** All or nothing: the first failure fails the whole call (and rolls back every item). */
  batch_all: (ctx, origin, args) => {
    for (const call of calls(args)) {
      ctx.dispatch(origin, call);
      ctx.deposit({ Utility: { ItemCompleted: null } });
    }
    ctx.deposit({ Utility: { BatchCompleted: null } });
  },
  /** Runs every call, recording failures. */
  force_batch: (ctx, origin, args) => {
    let failed = false;
    for (const call of calls(args)) {
      const err = tryDispatch(ctx, origin, call);
      if (err) {
        failed = true;
        ctx.deposit({ Utility: { ItemFailed: { error: err.value } } });
      } else {
        ctx.deposit({ Utility: { ItemCompleted: null } });
      }
    }
    ctx.deposit({ Utility: failed ? { BatchCompletedWithErrors: null } : { BatchCompleted: null } });
  },
};
