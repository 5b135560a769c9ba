/**
 * The axon's refusal catalog: every way a request is turned away, with its HTTP status and the `message`
 * text the reference axon uses where it has one. The response body is `{"message", "code"}`: the reference
 * dendrite reads `message`; `code` is for programs. docs/wire-protocol.md lists the same table (a test keeps them equal).
 */
export const AXON_REFUSALS = {
  UnknownSynapse: 404,
  MethodNotAllowed: 405,
  InvalidHeader: 400,
  MissingSignature: 401,
  MissingHeader: 401,
  WrongAxon: 401,
  SignatureMismatch: 401,
  NonceTooOld: 401,
  NonceInFuture: 401,
  NonceReused: 401,
  Blacklisted: 403,
  PayloadTooLarge: 413,
  InvalidBody: 400,
  BodyHashMismatch: 400,
  Timeout: 408,
  Overloaded: 503,
  ShuttingDown: 503,
  InternalError: 500,
} as const;

export type AxonRefusalCode = keyof typeof AXON_REFUSALS;

/** A refusal on its way to the caller. */
export class AxonRefusal extends Error {
  readonly status: number;
  constructor(readonly code: AxonRefusalCode, message: string) {
    super(message);
    this.name = 'AxonRefusal';
    this.status = AXON_REFUSALS[code];
  }
}

/** `Not Verified with error: <detail>` (401), as the reference words a failed verification. */
export function notVerified(code: Extract<AxonRefusalCode, 'MissingSignature' | 'MissingHeader' | 'WrongAxon' | 'SignatureMismatch' | 'NonceTooOld' | 'NonceInFuture' | 'NonceReused'>, detail: string): AxonRefusal {
  return new AxonRefusal(code, `Not Verified with error: ${detail}`);
}
