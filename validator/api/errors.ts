/**
 * The validator API's error catalog: every way a request fails, with its HTTP status. Every error answer
 * is `{"error": {"code", "message", "details"?}}`; `code` is one of these keys. validator/api/README.md
 * lists the same table (a test keeps them equal).
 */
import { TensornetError } from '../../common/errors';

export const API_ERRORS = {
  Unauthorized: 401,
  RateLimited: 429,
  QuotaExceeded: 429,
  NotFound: 404,
  UnknownSubnet: 404,
  UpgradeRequired: 426,
  PayloadTooLarge: 413,
  InvalidJson: 400,
  InvalidRequest: 400,
  RequestRejected: 422,
  NoMinersServing: 503,
  AllMinersFailed: 502,
  AllMinersTimedOut: 504,
  StreamInterrupted: 502,
  TooManyInFlight: 429,
  ChainUnavailable: 503,
  InternalError: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An error answer on its way to the client. */
export class ApiError extends TensornetError<ApiErrorCode> {
  readonly status: number;
  /** Seconds the client should wait before trying again (`Retry-After`), on 429s. */
  readonly retryAfterS: number | undefined;

  constructor(code: ApiErrorCode, message: string, details: Record<string, unknown> = {}, options: { retryAfterS?: number } = {}) {
    super(code, message, details);
    this.status = API_ERRORS[code];
    this.retryAfterS = options.retryAfterS;
  }

  /** The JSON body: `{error: {code, message, details?}}` (details only when there are any). */
  toBody(): ApiErrorBody {
    const hasDetails = Object.keys(this.details).length > 0;
    return { error: { code: this.code, message: this.message, ...(hasDetails ? { details: this.details } : {}) } };
  }
}

export interface ApiErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly details?: Readonly<Record<string, unknown>> };
}

/**
 * - `InvalidKeyFile`: the key file is not JSON of the key-file format (`details.path`).
 * - `UnknownKey`: no key has that id (revoke).
 * - `InvalidKeyName`: a name that is empty, longer than 64 characters or holds control characters.
 * - `InvalidLimits`: a per-key limit that is not a positive integer.
 */
export type ApiKeyErrorCode = 'InvalidKeyFile' | 'UnknownKey' | 'InvalidKeyName' | 'InvalidLimits';

/** An error managing API keys (the key store and `tensornet validator api-key`). */
export class ApiKeyError extends TensornetError<ApiKeyErrorCode> {}

/**
 * - `DuplicateSubnet`: two validators given for the same netuid.
 * - `InvalidOptions`: an option out of range (`topK`, `maxBodyBytes`, rate limits, the stats window).
 */
export type ValidatorApiErrorCode = 'DuplicateSubnet' | 'InvalidOptions';

/** An error starting the validator API. */
export class ValidatorApiError extends TensornetError<ValidatorApiErrorCode> {}
