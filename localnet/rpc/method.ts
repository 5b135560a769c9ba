/**
 * How handlers are written: one typed function per JSON-RPC method, its parameters declared as an
 * ordered list of named zod schemas. The dispatcher validates the wire params against the list
 * (positional arrays, or objects keyed by the names) and the handler receives the parsed tuple.
 */
import type { z } from 'zod';
import type { RpcBackend } from './backend';
import type { RpcErrorName } from './errors';
import type { Json } from './json';
import type { Logger } from './logger';
import { subscriptionId } from './schemas';

/** One named positional parameter. */
export interface ParamDef<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
}

/** Declares a parameter. */
export function param<S extends z.ZodType>(name: string, schema: S): ParamDef<S> {
  return { name, schema };
}

/** The parsed argument tuple of a parameter list. */
export type ArgsOf<P extends readonly ParamDef[]> = {
  -readonly [K in keyof P]: P[K] extends ParamDef<infer S> ? z.output<S> : never;
};

/** What every handler gets. */
export interface RpcContext {
  readonly backend: RpcBackend;
  readonly logger: Logger;
  /**
   * The server refuses unsafe calls (`--rpc-methods safe`, or `auto` off loopback), as Substrate's
   * `DenyUnsafe`: whole methods are marked with {@link unsafe}; a handler whose unsafety depends on
   * its arguments checks this itself.
   */
  readonly denyUnsafe: boolean;
}

/** How an unsafe method is refused: the error Substrate's module answers it with. */
export interface UnsafeMarker {
  readonly error: RpcErrorName;
}

/** Stops a subscription's event source (unregisters backend listeners). */
export type Teardown = () => void;

/** Where a subscription sends its notifications. */
export interface SubscriptionSink {
  /** Sends `{method: <notification>, params: {subscription, result}}` (buffered until the id was sent). */
  notify(result: Json): void;
  /** Ends the subscription from the server side (e.g. a finalized extrinsic); runs its teardown. */
  close(): void;
  readonly closed: boolean;
}

export interface MethodEntry {
  /** Set on methods refused (and left out of `rpc_methods`) when unsafe calls are denied. */
  readonly unsafe?: UnsafeMarker;
  readonly kind: 'method';
  readonly params: readonly ParamDef[];
  call(ctx: RpcContext, args: readonly unknown[]): Json | Promise<Json>;
}

export interface SubscriptionEntry {
  /** Set on methods refused (and left out of `rpc_methods`) when unsafe calls are denied. */
  readonly unsafe?: UnsafeMarker;
  readonly kind: 'subscription';
  readonly params: readonly ParamDef[];
  /** The `method` of its notifications, e.g. `chain_newHead`. */
  readonly notification: string;
  /** The canonical unsubscribe method. */
  readonly unsubscribe: string;
  /**
   * Starts the subscription; resolves with its teardown. Rejecting answers the subscribe call with
   * that error (no subscription is created).
   */
  start(ctx: RpcContext, args: readonly unknown[], sink: SubscriptionSink): Teardown | Promise<Teardown>;
}

export interface UnsubscribeEntry {
  /** Set on methods refused (and left out of `rpc_methods`) when unsafe calls are denied. */
  readonly unsafe?: UnsafeMarker;
  readonly kind: 'unsubscribe';
  readonly params: readonly ParamDef[];
  /** The notification name of the subscriptions it may end. */
  readonly notification: string;
}

export type RpcEntry = MethodEntry | SubscriptionEntry | UnsubscribeEntry;

/** The handler map: JSON-RPC method name → entry. */
export type RpcHandlers = Readonly<Record<string, RpcEntry>>;

/** Defines a request/response method. */
export function method<const P extends readonly ParamDef[]>(
  params: P,
  handler: (ctx: RpcContext, args: ArgsOf<P>) => Json | Promise<Json>,
): MethodEntry {
  return { kind: 'method', params, call: (ctx, args) => handler(ctx, args as ArgsOf<P>) };
}

/** Defines a subscription method. */
export function subscription<const P extends readonly ParamDef[]>(spec: {
  readonly params: P;
  readonly notification: string;
  readonly unsubscribe: string;
  readonly start: (ctx: RpcContext, args: ArgsOf<P>, sink: SubscriptionSink) => Teardown | Promise<Teardown>;
}): SubscriptionEntry {
  return {
    kind: 'subscription',
    params: spec.params,
    notification: spec.notification,
    unsubscribe: spec.unsubscribe,
    start: (ctx, args, sink) => spec.start(ctx, args as ArgsOf<P>, sink),
  };
}

/**
 * Marks a method unsafe: refused with "RPC call is unsafe to be called externally" (code -32601, or
 * the module's own code as Substrate's `state_*` answer 4003) when the server denies unsafe calls.
 */
export function unsafe<E extends RpcEntry>(entry: E, error: RpcErrorName = 'UnsafeRpcCalled'): E {
  return { ...entry, unsafe: { error } };
}

/** Defines an unsubscribe method for the subscriptions whose notifications are `notification`. */
export function unsubscription(notification: string): UnsubscribeEntry {
  return { kind: 'unsubscribe', params: [param('subscription', subscriptionId)], notification };
}
