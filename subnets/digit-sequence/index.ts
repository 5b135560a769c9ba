/**
 * The `digit-sequence` subnet: a streaming mechanism. Miners segment a row of handwritten digits and stream
 * each digit's class as the digits model classifies it (see README.md).
 */
export { composeSequence, INK_THRESHOLD, MAX_BREAK, MAX_DIGIT_SPAN, MAX_GAP, MIN_DIGIT_INK, MIN_GAP, segmentSequence, type Segment, type SequenceImage } from './segment';
export {
  assembleDigits, DIGIT_SEQUENCE_TIMEOUT_S, digitChunk, DigitSequence, digitSequenceSubnet, MAX_DIGITS, MAX_SEQUENCE_WIDTH, MIN_DIGITS, sequenceImage,
  type DigitChunk, type DigitSequenceReference,
} from './subnet';
/** A mechanism module's export: `--subnet subnets/digit-sequence` (or its compiled dist/ path) loads it. */
export { digitSequenceSubnet as subnet } from './subnet';
