/** The `ocr` subnet: text-line recognition with PP-OCRv4 (model, preprocessing, decoding, rendering, the mechanism). */
export { characterErrorRate, levenshtein } from './cer';
export { ctcGreedyDecode, type DecodedLine } from './ctc';
export { OcrError, type OcrErrorCode } from './errors';
export { type GrayImage, type OcrImage } from './image';
export { OCR_MODEL_SPEC, loadOcrCharset, ocrModelPath } from './model';
export { OCR_TIERS, preprocessForTier, preprocessLine, type OcrTier } from './preprocess';
export { recognizeLine } from './recognize';
export { randomTextLine, renderTextLine } from './render';
export { OCR_TIMEOUT_S, TextRecognition, lineImage, ocrSubnet } from './subnet';
