/** Where the CLI reads and writes; tests pass their own, `main` passes the process's. */
export interface CliIo {
  /** Writes to standard output (text as given, no newline added). */
  readonly writeStdout: (text: string) => void;
  /** Writes to standard error (text as given, no newline added). */
  readonly writeStderr: (text: string) => void;
  /** Reads all of standard input as UTF-8. */
  readonly readStdin: () => Promise<string>;
  /**
   * The environment the shared settings are read from (`TENSORNET_*`, `TENSORNET_CONFIG`, and `HOME` for
   * `~/.tensornet/config.json`). @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = Object.freeze({
  writeStdout: (text: string) => void process.stdout.write(text),
  writeStderr: (text: string) => void process.stderr.write(text),
  readStdin: () => readAll(process.stdin),
});
