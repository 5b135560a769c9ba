import { TensornetError, isTensornetError } from '../common/errors';

/** Exit statuses of the `tensornet` command (part of its contract). */
export const ExitCode = Object.freeze({
  /** Success. */
  Ok: 0,
  /** A bug in tensornet: an error nobody expected (reported with its message, never a stack). */
  Internal: 1,
  /** The user's fault: an unknown command or flag, an unreadable or malformed input file. */
  BadInput: 2,
} as const);
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** `ConfigInvalid`: a bad setting in a flag, a `TENSORNET_*` variable or the config file (the message names which). */
export type CliErrorCode = 'UsageError' | 'InputUnreadable' | 'ConfigInvalid';

/** An expected user error the CLI reports as one line without a stack (cf. lodestar's `YargsError`). */
export class CliError extends TensornetError<CliErrorCode> {}

/**
 * Codes that mean "bad input" rather than "bug", and so exit with 2. The consensus commands wrap a
 * `ConsensusError` about their input into a `VectorFormatError`, so its codes need no entry here.
 */
const BAD_INPUT_CODES: ReadonlySet<string> = new Set<string>(['UsageError', 'InputUnreadable', 'ConfigInvalid', 'InvalidVectorFile']);

/** The one stderr line and the exit status for an error that ended a command. */
export function describeCliError(err: unknown): { readonly line: string; readonly exitCode: ExitCode } {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').trim();
  if (isTensornetError(err) && BAD_INPUT_CODES.has(err.code)) return { line: `tensornet: ${message}`, exitCode: ExitCode.BadInput };
  return { line: `tensornet: internal error: ${message}`, exitCode: ExitCode.Internal };
}
