import { TensornetError } from '../../common/errors';

/**
 * Machine-readable codes of {@link ScaleError}:
 * - `Encode`: a JS value does not fit the SCALE type (wrong JS type, out of range, bad hex, …).
 * - `Decode`: the bytes are not a valid encoding (truncated, bad tag, non-canonical compact, …).
 * - `UnsupportedType`: the type cannot be handled (BitSequence).
 * - `UnknownType`: the type id is not in the registry.
 */
export type ScaleErrorCode = 'Encode' | 'Decode' | 'UnsupportedType' | 'UnknownType';

/**
 * A SCALE encoding or decoding failure. `details.typeId` names the type being processed and
 * `details.path` the field path (`['data', 'free']`, `[3, 'hotkey']`) below the codec's root type.
 */
export class ScaleError extends TensornetError<ScaleErrorCode> {}

/** Types of errors the scale module throws. */
export type ScaleErrorType = ScaleError;
