/** pallet_sudo: one key may dispatch any call with the root origin. */
import type { RuntimeContext } from '../context';
import { DispatchError, moduleError } from '../errors';
import type { CallTable } from '../dispatch';
import { runtimeItems } from '../items';
import type { AccountId, DispatchErrorValue, Origin } from '../primitives';
import { ROOT, signed } from '../primitives';
import { lookupAddress } from './balances';
import { ensureSigned } from './system';

function ensureSudo(ctx: RuntimeContext, origin: Origin): AccountId {
  const who = ensureSigned(origin);
  if (runtimeItems().Sudo.Key.get(ctx.state) !== who) throw moduleError('Sudo', 'RequireSudo', 'the sender is not the sudo key');
  return who;
}

/** Runs a nested call and reports its outcome as the `Result<(), DispatchError>` sudo events carry. */
function outcome(ctx: RuntimeContext, origin: Origin, call: unknown): { Ok: null } | { Err: DispatchErrorValue } {
  try {
    ctx.dispatch(origin, call);
    return { Ok: null };
  } catch (err) {
    if (err instanceof DispatchError) return { Err: err.value };
    throw err;
  }
}

export const sudoCalls: CallTable = {
  sudo: (ctx, origin, args) => {
    ensureSudo(ctx, origin);
    ctx.deposit({ Sudo: { Sudid: { sudo_result: outcome(ctx, ROOT, args.call) } } });
  },
  sudo_unchecked_weight: (ctx, origin, args) => {
    ensureSudo(ctx, origin);
    ctx.deposit({ Sudo: { Sudid: { sudo_result: outcome(ctx, ROOT, args.call) } } });
  },
  sudo_as: (ctx, origin, args) => {
    ensureSudo(ctx, origin);
    const who = lookupAddress(args.who);
    ctx.deposit({ Sudo: { SudoAsDone: { sudo_result: outcome(ctx, signed(who), args.call) } } });
  },
  set_key: (ctx, origin, args) => {
    const old = ensureSudo(ctx, origin);
    const next = lookupAddress(args.new);
    runtimeItems().Sudo.Key.set(ctx.state, next);
    ctx.deposit({ Sudo: { KeyChanged: { old, new: next } } });
  },
  remove_key: (ctx, origin) => {
    ensureSudo(ctx, origin);
    runtimeItems().Sudo.Key.remove(ctx.state);
    ctx.deposit({ Sudo: { KeyRemoved: null } });
  },
};
