/**
 * The logger interface libraries write to. Inject any structured logger (pino, winston, a child of the
 * node's logger); the default is silent. Context is passed as data, never interpolated.
 */
export interface Logger {
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
  info(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
  error(message: string, context?: Readonly<Record<string, unknown>>): void;
}

const noop = (): void => undefined;

/** A logger that drops everything (the default). */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/** Shortens long strings (hex payloads, raw requests) for log context. */
export function truncate(value: string, max = 66): string {
  return value.length <= max ? value : `${value.slice(0, max)}…(${value.length} chars)`;
}
