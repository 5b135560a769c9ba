/**
 * How the long-running commands (miner, validator, up) end: the first SIGINT/SIGTERM (or an abort of the
 * hooks' signal) stops them gracefully, a second one exits at once with 130 (128 + SIGINT, as shells report it).
 */
import type { CliIo } from './io';

const FORCED_EXIT = 130;

export interface UntilStoppedOptions {
  readonly io: CliIo;
  /** `tensornet <command>`, the prefix of its lines. */
  readonly command: string;
  /** What stopping does, shown after "stopping on SIGINT" (e.g. ": finishing in-flight requests"). */
  readonly stopping?: string;
  /** Aborting it stops the command as the first signal would. */
  readonly signal?: AbortSignal;
  /** Called once the signal handlers are in place. */
  readonly onListening?: () => void;
  /** The graceful stop. */
  readonly stop: () => Promise<void>;
}

/** Resolves once the command stopped gracefully; rejects when its stop failed. */
export async function untilStopped(options: UntilStoppedOptions): Promise<void> {
  const { io, command } = options;
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let stopping = false;
      const stop = (why: string): void => {
        if (stopping) {
          io.writeStderr(`${command}: ${why} again, exiting without waiting\n`);
          process.exit(FORCED_EXIT);
        }
        stopping = true;
        io.writeStderr(`${command}: stopping on ${why}${options.stopping ?? ''} (Ctrl+C again to force)\n`);
        options.stop().then(resolve, reject);
      };
      onSignal = (signal) => stop(signal);
      onAbort = () => stop('abort');
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      options.onListening?.();
      if (options.signal?.aborted) stop('abort');
      else options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    if (onSignal) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}
