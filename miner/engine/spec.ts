/**
 * What a handler declares about its model, and the check of a loaded model against that declaration.
 */
import type { TensorDtype } from './dtypes';
import { EngineError } from './errors';

/**
 * One named tensor: its dtype and shape. In a shape, a number is a fixed dim; a string is a named dynamic
 * dim (e.g. `'N'` for the batch), which must be dynamic (symbolic or unknown) in the model. The same
 * type describes a loaded model's inputs and outputs, where a string is the model's symbolic dim name
 * (`''` when the model leaves it unnamed).
 */
export interface TensorSpec {
  readonly name: string;
  readonly dtype: TensorDtype;
  readonly shape: ReadonlyArray<number | string>;
}

/** The inputs and outputs of a model (as declared by a handler, or as read from a loaded model). */
export interface ModelSpec {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

type Side = 'input' | 'output';

function formatShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (typeof d === 'string' ? `'${d}'` : String(d))).join(', ')}]`;
}

function mismatch(side: Side, tensor: string, field: string, message: string, expected: unknown, actual: unknown): EngineError {
  return new EngineError('ModelSpecMismatch', `model ${side} '${tensor}': ${message}`, { side, tensor, field, expected, actual });
}

function checkTensor(side: Side, declared: TensorSpec, actual: TensorSpec, against: string): void {
  if (declared.dtype !== actual.dtype) {
    throw mismatch(side, declared.name, 'dtype', `dtype is ${actual.dtype}, ${against} says ${declared.dtype}`, declared.dtype, actual.dtype);
  }
  const expected = formatShape(declared.shape);
  const got = formatShape(actual.shape);
  if (declared.shape.length !== actual.shape.length) {
    throw mismatch(side, declared.name, 'shape', `rank is ${actual.shape.length} ${got}, ${against} says ${declared.shape.length} ${expected}`, declared.shape, actual.shape);
  }
  declared.shape.forEach((want, i) => {
    const have = actual.shape[i]!;
    if (typeof want === 'string' && typeof have === 'number') {
      throw mismatch(side, declared.name, 'shape', `dim ${i} is fixed at ${have} ${got}, ${against} says it is dynamic '${want}' ${expected}`, declared.shape, actual.shape);
    }
    if (typeof want === 'number' && have !== want) {
      const what = typeof have === 'string' ? `dynamic${have === '' ? '' : ` '${have}'`}` : String(have);
      throw mismatch(side, declared.name, 'shape', `dim ${i} is ${what} ${got}, ${against} says ${want} ${expected}`, declared.shape, actual.shape);
    }
  });
}

function checkSide(side: Side, declared: readonly TensorSpec[], actual: readonly TensorSpec[], against: string): void {
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const want of declared) {
    const have = byName.get(want.name);
    if (have === undefined) {
      const names = actual.map((t) => `'${t.name}'`).join(', ') || 'none';
      throw mismatch(side, want.name, 'name', `the model has no ${side} '${want.name}' (its ${side}s: ${names})`, want.name, null);
    }
    checkTensor(side, want, have, against);
  }
  const declaredNames = new Set(declared.map((t) => t.name));
  for (const have of actual) {
    if (!declaredNames.has(have.name)) {
      throw mismatch(side, have.name, 'name', `the model has ${side} '${have.name}', which ${against} does not declare`, null, have.name);
    }
  }
}

/**
 * Checks a loaded model's inputs and outputs against a declaration: the same tensor names (order free),
 * the same dtypes and ranks, every fixed dim equal and every named dim dynamic in the model. Throws
 * `ModelSpecMismatch` naming the first tensor that differs and what differs (`details.field`: `name`,
 * `dtype` or `shape`). `against` names the declaration in messages.
 */
export function checkModelAgainstSpec(model: ModelSpec, spec: ModelSpec, against = 'the spec'): void {
  checkSide('input', spec.inputs, model.inputs, against);
  checkSide('output', spec.outputs, model.outputs, against);
}

/** True when dim 0 of every input and every output is dynamic: requests can then be stacked into one batch. */
export function hasDynamicBatchDim(model: ModelSpec): boolean {
  const all = [...model.inputs, ...model.outputs];
  return all.length > 0 && all.every((t) => t.shape.length > 0 && typeof t.shape[0] === 'string');
}
