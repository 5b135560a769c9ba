/**
 * Progress of a long simulation: a cli-progress bar on an interactive terminal (stderr is a TTY and
 * `CI` is unset), otherwise plain `tensornet simulate: epoch i/N` lines at every 10 % step.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { CliIo } from '../../io';
import { processIo } from '../../io';

export interface Progress {
  /** Reports that `done` of `total` epochs are complete. */
  update(done: number, total: number): void;
  /** Ends the bar (no-op for plain lines). */
  stop(): void;
}

/** Whether to draw a bar: only for the process's own stderr, when it is a terminal outside CI. */
export function wantsBar(io: CliIo): boolean {
  return io === processIo && process.stderr.isTTY === true && !process.env.CI;
}

/** A progress reporter for `total` epochs. */
export function createProgress(io: CliIo, total: number): Progress {
  if (wantsBar(io)) {
    const bar = new SingleBar({ format: 'simulating [{bar}] {value}/{total} epochs | {eta_formatted} left', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let lastStep = -1;
  return {
    update(done, all) {
      const step = Math.floor((done * 10) / all);
      if (step === lastStep && done !== all) return;
      lastStep = step;
      io.writeStderr(`tensornet simulate: epoch ${done}/${all}\n`);
    },
    stop() {},
  };
}
