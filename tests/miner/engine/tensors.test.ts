/** @jest-environment ./tests/miner/engine/ort-environment.js */
import { Tensor } from 'onnxruntime-node';

import { EngineError, tensorFromArray, toFloat16Bits, zerosTensor } from '../../../miner/engine';
import { concatRows, sliceRows } from '../../../miner/engine/tensors';
import { expectThrownCode } from '../../helpers/expect-code';

test('behavior: nested arrays give their dims; flat arrays take explicit dims', () => {
  const t = tensorFromArray('float32', [[1, 2, 3], [4, 5, 6]]);
  expect(t.dims).toEqual([2, 3]);
  expect(Array.from(t.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(tensorFromArray('int32', [1, 2, 3, 4], [2, 2]).dims).toEqual([2, 2]);
  expect(tensorFromArray('int64', [[1, 2n]]).data).toEqual(BigInt64Array.of(1n, 2n));
  expect(tensorFromArray('bool', [true, false]).data).toEqual(Uint8Array.of(1, 0));
  expect(tensorFromArray('string', [['a'], ['b']]).data).toEqual(['a', 'b']);
  expect(tensorFromArray('float32', [[]]).dims).toEqual([1, 0]);
});

test('error: ragged arrays, wrong element types, out-of-range integers and dims that do not fit are InvalidInput', () => {
  expect(expectThrownCode(() => tensorFromArray('float32', [[1, 2], [3]]), EngineError, 'InvalidInput').message).toContain('values[1]');
  expectThrownCode(() => tensorFromArray('float32', [[1, 2], 3]), EngineError, 'InvalidInput');
  expectThrownCode(() => tensorFromArray('float32', ['1']), EngineError, 'InvalidInput');
  expect(expectThrownCode(() => tensorFromArray('uint8', [256]), EngineError, 'InvalidInput').message).toContain('[0, 255]');
  expectThrownCode(() => tensorFromArray('int32', [1.5]), EngineError, 'InvalidInput');
  expectThrownCode(() => tensorFromArray('int64', [2 ** 60]), EngineError, 'InvalidInput');
  expectThrownCode(() => tensorFromArray('uint64', [-1n]), EngineError, 'InvalidInput');
  expectThrownCode(() => tensorFromArray('bool', [1]), EngineError, 'InvalidInput');
  expect(expectThrownCode(() => tensorFromArray('float32', [1, 2, 3], [2, 2]), EngineError, 'InvalidInput').details).toMatchObject({ field: 'values' });
});

test('behavior: float16 bits round to nearest even, with subnormals, overflow and NaN', () => {
  expect(toFloat16Bits(1)).toBe(0x3c00);
  expect(toFloat16Bits(-2)).toBe(0xc000);
  expect(toFloat16Bits(65504)).toBe(0x7bff);
  expect(toFloat16Bits(65520)).toBe(0x7c00); // halfway to the next binade rounds up to Inf
  expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
  expect(toFloat16Bits(2 ** -25)).toBe(0x0000); // halfway, ties to even (0)
  expect(toFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // 1.5 ulp ties to even (2)
  expect(toFloat16Bits(0.1)).toBe(0x2e66);
  expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, stays even
  expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, rounds up to even
  expect(toFloat16Bits(Infinity)).toBe(0x7c00);
  expect(toFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
  expect(toFloat16Bits(NaN) & 0x3ff).not.toBe(0);
  expect(tensorFromArray('float16', [1, 0.5]).data).toEqual(Uint16Array.of(0x3c00, 0x3800));
});

test('behavior: rows concatenate along dim 0 and slice back out as copies', () => {
  const a = new Tensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]);
  const b = new Tensor('float32', Float32Array.of(5, 6), [1, 2]);
  const ab = concatRows([a, b]);
  expect(ab.dims).toEqual([3, 2]);
  expect(Array.from(ab.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  const tail = sliceRows(ab, 1, 3);
  expect(tail.dims).toEqual([2, 2]);
  expect(Array.from(tail.data as Float32Array)).toEqual([3, 4, 5, 6]);
  (tail.data as Float32Array)[0] = 99;
  expect((ab.data as Float32Array)[2]).toBe(3);
  const s = concatRows([new Tensor('string', ['x'], [1]), new Tensor('string', ['y', 'z'], [2])]);
  expect(s.data).toEqual(['x', 'y', 'z']);
  expect(concatRows([new Tensor('int64', BigInt64Array.of(1n), [1, 1]), new Tensor('int64', BigInt64Array.of(2n), [1, 1])]).data).toEqual(BigInt64Array.of(1n, 2n));
});

test('default: zeros of each dtype', () => {
  expect(zerosTensor('float32', [2, 3]).data).toEqual(new Float32Array(6));
  expect(zerosTensor('int64', [1]).data).toEqual(new BigInt64Array(1));
  expect(zerosTensor('string', [2]).data).toEqual(['', '']);
  expect(zerosTensor('bool', [1, 1]).type).toBe('bool');
});
