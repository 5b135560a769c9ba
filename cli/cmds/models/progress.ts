/**
 * Progress of a training run: a cli-progress bar over all minibatches on an interactive terminal, else a
 * plain `tensornet models train: epoch i/N loss L` line on stderr after each epoch.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { TrainProgress } from '../../../subnets/digits';
import type { CliIo } from '../../io';
import { wantsBar } from '../simulate/progress';

export interface TrainingProgress {
  update(progress: TrainProgress): void;
  /** Ends the bar (no-op for plain lines). */
  stop(): void;
}

export function createTrainingProgress(io: CliIo, model: string): TrainingProgress {
  if (wantsBar(io)) {
    const bar = new SingleBar(
      { format: `training ${model} [{bar}] epoch {epoch}/{epochs} | loss {loss} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { epoch: p.epoch, epochs: p.epochs, loss: p.loss.toFixed(4) };
        const done = (p.epoch - 1) * p.batches + p.batch;
        if (!started) {
          bar.start(p.epochs * p.batches, done, payload);
          started = true;
        } else bar.update(done, payload);
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update(p) {
      if (p.batch === p.batches) io.writeStderr(`tensornet models train: ${model} epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)}\n`);
    },
    stop() {},
  };
}
