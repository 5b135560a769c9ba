/**
 * Watches one model file for changes. It watches the file's directory, not the file: editors, `cp`
 * and deploy tools often replace a file by renaming a new one over it, which a watch on the old inode
 * would miss. Bursts of events (a write in chunks, a rename) are debounced into one callback.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

import type { Logger } from '../../common/logger';

export interface FileWatcherOptions {
  /** Quiet time after the last event before `onChange` fires. @default 200 */
  readonly debounceMs?: number;
  readonly logger: Logger;
}

export class ModelFileWatcher {
  private readonly watcher: FSWatcher;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly onChange: () => void,
    private readonly options: FileWatcherOptions,
  ) {
    const name = basename(path);
    this.watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
      // Some platforms omit the filename; then any event in the folder may be ours.
      if (filename === null || filename === name) this.poke();
    });
    this.watcher.on('error', (err) => {
      options.logger.error('model file watch failed; hot reload is off', { path, error: err.message });
      this.close();
    });
  }

  private poke(): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.onChange();
    }, this.options.debounceMs ?? 200);
    this.timer.unref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.watcher.close();
  }
}
