/**
 * The check of a request's feeds against a model's inputs, before anything reaches onnxruntime.
 */
import { Tensor } from 'onnxruntime-node';

import { EngineError } from './errors';
import type { TensorSpec } from './spec';

/** Feeds of one request: a tensor per input name. */
export type Feeds = Readonly<Record<string, Tensor>>;

/** Results of one request: a tensor per output name. */
export type Results = Record<string, Tensor>;

function invalid(input: string, field: 'name' | 'value' | 'dtype' | 'shape', message: string, details: Record<string, unknown> = {}): EngineError {
  return new EngineError('InvalidInput', message, { input, field, ...details });
}

function dimsText(dims: readonly number[]): string {
  return `[${dims.join(', ')}]`;
}

/**
 * Checks feeds against a model's inputs: every input present and no other, each value an onnxruntime
 * `Tensor` of the declared dtype and rank, fixed dims equal, and each named dynamic dim (e.g. `'N'`) the
 * same size in every input that names it. Throws `InvalidInput` with `details.input` (the offending name)
 * and `details.field` (`name`, `value`, `dtype` or `shape`).
 */
export function checkFeeds(feeds: unknown, inputs: readonly TensorSpec[]): asserts feeds is Feeds {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) {
    throw invalid('', 'value', 'feeds must be an object mapping input names to tensors');
  }
  const record = feeds as Record<string, unknown>;
  const expected = new Set(inputs.map((i) => i.name));
  for (const name of Object.keys(record)) {
    if (!expected.has(name)) {
      throw invalid(name, 'name', `unknown input '${name}' (the model takes ${inputs.map((i) => `'${i.name}'`).join(', ')})`);
    }
  }
  const bound = new Map<string, { size: number; input: string }>();
  for (const spec of inputs) {
    const value = record[spec.name];
    if (value === undefined) throw invalid(spec.name, 'name', `missing input '${spec.name}'`);
    if (!(value instanceof Tensor)) throw invalid(spec.name, 'value', `input '${spec.name}' is not an onnxruntime Tensor`);
    if (value.type !== spec.dtype) {
      throw invalid(spec.name, 'dtype', `input '${spec.name}' has dtype ${value.type}, the model takes ${spec.dtype}`, { expected: spec.dtype, actual: value.type });
    }
    if (value.location !== 'cpu' && value.location !== 'cpu-pinned') {
      throw invalid(spec.name, 'value', `input '${spec.name}' lives on '${value.location}'; the engine takes CPU tensors`);
    }
    const dims = value.dims;
    const shapeText = `[${spec.shape.map((d) => (typeof d === 'string' ? d || '?' : d)).join(', ')}]`;
    if (dims.length !== spec.shape.length) {
      throw invalid(spec.name, 'shape', `input '${spec.name}' has shape ${dimsText(dims)}, the model takes rank ${spec.shape.length} ${shapeText}`, { expected: spec.shape, actual: dims });
    }
    spec.shape.forEach((want, i) => {
      const have = dims[i]!;
      if (typeof want === 'number') {
        if (have !== want) {
          throw invalid(spec.name, 'shape', `input '${spec.name}' has shape ${dimsText(dims)}, the model takes ${shapeText} (dim ${i} must be ${want})`, { expected: spec.shape, actual: dims, dim: i });
        }
      } else if (want !== '') {
        const seen = bound.get(want);
        if (seen === undefined) bound.set(want, { size: have, input: spec.name });
        else if (seen.size !== have) {
          throw invalid(spec.name, 'shape', `input '${spec.name}' has ${want} = ${have} (dim ${i}), but input '${seen.input}' has ${want} = ${seen.size}`, { expected: spec.shape, actual: dims, dim: i });
        }
      }
    });
  }
}
