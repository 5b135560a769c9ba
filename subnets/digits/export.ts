/**
 * The ONNX form of a trained digits network: `image` float32 [N, 784] → (MatMul + Add + Relu) per hidden
 * layer → MatMul + Add → Softmax → `probabilities` float32 [N, 10], with a dynamic batch dim `N`.
 */
import { GraphBuilder, encodeModel, type ModelSpec } from '../../miner/engine';

import { DIGIT_CLASSES, IMAGE_SIZE } from './data';
import type { DenseLayer } from './network';

/** The digits model interface: what every tier's model takes and gives (and what a digits miner must serve). */
export const DIGITS_MODEL_SPEC: ModelSpec = {
  inputs: [{ name: 'image', dtype: 'float32', shape: ['N', IMAGE_SIZE] }],
  outputs: [{ name: 'probabilities', dtype: 'float32', shape: ['N', DIGIT_CLASSES] }],
};

/** Serializes trained layers as an ONNX model; `metadata` goes to the model's `metadata_props`. */
export function digitsOnnx(layers: readonly DenseLayer[], metadata: Readonly<Record<string, string>>, docString: string): Uint8Array {
  const g = new GraphBuilder();
  let x = g.input('image', 'float32', ['N', IMAGE_SIZE]);
  layers.forEach((layer, l) => {
    const w = g.initializer(`w${l}`, layer.weights, [layer.inputs, layer.outputs]);
    const b = g.initializer(`b${l}`, layer.bias, [layer.outputs]);
    x = g.op('Add', [g.op('MatMul', [x, w]), b]);
    if (l + 1 < layers.length) x = g.op('Relu', [x]);
  });
  g.op('Softmax', [x], { axis: { int: -1 } }, 'probabilities');
  g.output('probabilities', 'float32', ['N', DIGIT_CLASSES]);
  return encodeModel(g.build({ graphName: 'digits', docString, metadata }));
}
