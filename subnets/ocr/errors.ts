import { TensornetError } from '../../common/errors';

/**
 * Machine-readable codes of the OCR subnet's errors:
 * - `AssetMissing`: a file the subnet reads from an npm package (the model, its dictionary, a font) cannot be found or read (`details.path`).
 * - `AssetInvalid`: the dictionary does not fit the model (its entry count, plus blank and space, is not the class count).
 * - `InvalidImage`: an image whose dims, channel count or data length do not agree (`details.field`).
 * - `InvalidTier`: a tier name that is not one of `OCR_TIERS` (`details.tier`).
 * - `InvalidOptions`: a preprocessing or rendering option out of range (`details.option`).
 * - `InvalidOutput`: a model output whose shape or class count does not fit the charset (`details.dims`).
 * - `UnsupportedText`: text the renderer cannot draw: empty, or a character the font or the charset lacks (`details.char`).
 */
export type OcrErrorCode = 'AssetMissing' | 'AssetInvalid' | 'InvalidImage' | 'InvalidTier' | 'InvalidOptions' | 'InvalidOutput' | 'UnsupportedText';

/** The one error type of `subnets/ocr`; branch on `code`. */
export class OcrError extends TensornetError<OcrErrorCode> {}
