/**
 * Call dispatch: a decoded `RuntimeCall` value `{ [Pallet]: { [call]: args } }` is routed to the
 * pallet's handler. A call that the metadata has but localnet does not implement fails with
 * `DispatchError::Other` and a reason naming it — it never silently succeeds.
 */
import type { RuntimeContext } from './context';
import { otherError } from './errors';
import type { Origin } from './primitives';

/** A call handler: validates, mutates `ctx.state`, deposits events; throws `DispatchError` to fail. */
export type CallHandler = (ctx: RuntimeContext, origin: Origin, args: Record<string, unknown>) => void;

export type CallTable = Readonly<Record<string, CallHandler>>;

/** A decoded runtime call: exactly one pallet key, whose value has exactly one call key. */
export type RuntimeCall = Readonly<Record<string, Readonly<Record<string, Record<string, unknown> | null>>>>;

export interface DecodedCall {
  readonly pallet: string;
  readonly method: string;
  readonly args: Record<string, unknown>;
}

/** Splits a decoded `RuntimeCall` into pallet, method and args. */
export function splitCall(call: RuntimeCall): DecodedCall {
  const [pallet] = Object.keys(call);
  const inner = pallet === undefined ? undefined : call[pallet];
  const [method] = inner ? Object.keys(inner) : [];
  if (pallet === undefined || inner === undefined || method === undefined) throw new TypeError('malformed RuntimeCall value');
  return { pallet, method, args: inner[method] ?? {} };
}

export class Dispatcher {
  private readonly tables = new Map<string, CallTable>();

  register(pallet: string, table: CallTable): this {
    this.tables.set(pallet, table);
    return this;
  }

  /** Whether localnet implements `pallet.method`. */
  supports(pallet: string, method: string): boolean {
    return this.tables.get(pallet)?.[method] !== undefined;
  }

  dispatch(ctx: RuntimeContext, origin: Origin, call: RuntimeCall): void {
    const { pallet, method, args } = splitCall(call);
    const handler = this.tables.get(pallet)?.[method];
    if (!handler) throw otherError(`localnet does not implement ${pallet}.${method}`);
    handler(ctx, origin, args);
  }
}
