/** The exact engine against every epoch recorded from the real subtensor runtime (tests/fixtures/vectors). */
import { yumaEpoch } from '../../consensus/yuma';
import { loadYumaVectors, recordedPart } from '../helpers/vectors';

const cases = loadYumaVectors().flatMap((v) => v.epochs.map((e, k) => ({ label: `${v.name} epoch ${k} (block ${e.block})`, ...e })));

describe('yumaEpoch against chain-recorded vectors', () => {
  test('default: all 16 recorded epochs are present', () => {
    expect(cases).toHaveLength(16);
  });

  test.each(cases)('behavior: $label is bit-identical', ({ input, expected }) => {
    expect(recordedPart(yumaEpoch(input))).toEqual(expected);
  });
});
