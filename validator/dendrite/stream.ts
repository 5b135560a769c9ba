/**
 * Types of the dendrite's streaming queries, and the queue that hands chunks from the reading loop to the
 * caller's iteration.
 */
import type { AxonTarget, SynapseDefinition } from '../../protocol';
import type { QueryOptions, QueryResult } from './dendrite';

/**
 * Turns a streamed body into chunks as its bytes arrive: `push` returns the chunks the bytes completed,
 * `end` those left at the end. Throwing (from either) makes the answer `invalid` (422). The subnet SDK's
 * `chunkDecoder` is one (JSON lines checked against the chunk schema); {@link lineDecoder} splits text lines.
 */
export interface StreamDecoder<C> {
  push(bytes: Uint8Array): readonly C[];
  end(): readonly C[];
}

export interface StreamQueryOptions<C> extends QueryOptions {
  /** How the body becomes chunks (one decoder per query: it keeps the partial chunk between pushes). */
  readonly decoder: StreamDecoder<C>;
  /**
   * Folds all the chunks into the response fields, checked against the synapse's response schema: `response`
   * of the result. Throwing makes the answer `invalid`. Absent: the result has no response (`ok` still means
   * the whole stream was read).
   */
  readonly assemble?: (chunks: readonly C[]) => unknown;
}

/** How a streamed answer ended. `body` and `response` hold the assembled answer (`ok` only, with `assemble`). */
export interface StreamResult<D extends SynapseDefinition, C> extends QueryResult<D> {
  /** Every chunk read, in order (also those read before a failure). */
  readonly chunks: readonly C[];
  /** Seconds from sending to having the first chunk; null when none came. */
  readonly firstChunkS: number | null;
  /** Body bytes read. */
  readonly bytes: number;
  /** The answer's headers (`bt_header_axon_*` …: what the reference dendrite fills the final synapse from); empty when none came. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A streaming query under way. Iterate it for the chunks as they arrive (once; the iteration ends when the
 * stream does, however it ended, and never throws for the miner's doing); `result` says how it ended and
 * holds the assembled answer. The deadline covers connect, send and the whole stream, read or not.
 */
export interface StreamCall<D extends SynapseDefinition, C> extends AsyncIterable<C> {
  readonly target: AxonTarget;
  /** Resolves when the stream ended. Rejects only for the caller's doing (an input failing the request schema). */
  readonly result: Promise<StreamResult<D, C>>;
  /** Stops reading: the result is a `timeout` (408) holding the chunks read so far. */
  cancel(): void;
}

/** A decoder of UTF-8 text lines (without their `\n` or `\r\n`), each at most `maxLineBytes` bytes. */
export function lineDecoder(maxLineBytes = 64 * 1024): StreamDecoder<string> {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer = Buffer.alloc(0);
  const lineOf = (bytes: Buffer): string => utf8.decode(bytes).replace(/\r$/, '');
  return {
    push(bytes) {
      const lines: string[] = [];
      let data = pending.length === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.concat([pending, bytes]);
      for (let i = data.indexOf(0x0a); i !== -1; i = data.indexOf(0x0a)) {
        if (i + 1 > maxLineBytes) throw new RangeError(`a line over the ${maxLineBytes}-byte limit`);
        lines.push(lineOf(data.subarray(0, i)));
        data = data.subarray(i + 1);
      }
      if (data.length >= maxLineBytes) throw new RangeError(`a line over the ${maxLineBytes}-byte limit`);
      pending = Buffer.from(data);
      return lines;
    },
    end() {
      const rest = pending;
      pending = Buffer.alloc(0);
      return rest.length === 0 ? [] : [lineOf(rest)];
    },
  };
}

/** A single-reader queue: the reading loop pushes, the caller's iteration pulls (waiting when it is ahead). */
export class ChunkQueue<C> implements AsyncIterable<C> {
  private readonly items: C[] = [];
  private ended = false;
  private failure: unknown = undefined;
  private waiter: (() => void) | null = null;

  push(item: C): void {
    this.items.push(item);
    this.wake();
  }

  /** No more items; `failure` makes the iteration throw it once the items before it are read. */
  end(failure?: unknown): void {
    this.ended = true;
    this.failure = failure;
    this.wake();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<C> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
