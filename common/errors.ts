/**
 * The root of tensornet's typed errors. Every error carries a machine-readable `code`
 * (mirroring subtensor's pallet error names where one exists) and optional structured
 * `details`, so callers branch on `err.code`, never on message text.
 */
export class TensornetError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

export function isTensornetError(err: unknown): err is TensornetError {
  return err instanceof TensornetError;
}
