/**
 * The CLI's logger: pino (JSON lines on stderr), adapted to the `Logger` interface libraries take
 * (`(message, context)`), one child per component. Only `cli/` wires a concrete logger.
 */
import pino from 'pino';
import type { Logger } from '../common/logger';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ComponentLogger extends Logger {
  child(component: string): ComponentLogger;
}

function adapt(log: pino.Logger): ComponentLogger {
  return {
    debug: (message, context) => log.debug(context ?? {}, message),
    info: (message, context) => log.info(context ?? {}, message),
    warn: (message, context) => log.warn(context ?? {}, message),
    error: (message, context) => log.error(context ?? {}, message),
    child: (component) => adapt(log.child({ component })),
  };
}

export function createLogger(level: LogLevel, name = 'tensornet'): ComponentLogger {
  return adapt(pino({ name, level, base: undefined }, pino.destination({ fd: 2, sync: true })));
}
