/**
 * A multilayer perceptron in plain typed-array math: dense layers with ReLU between them and a softmax
 * cross-entropy loss, forward and backward over a minibatch. Weights are float32 (what the ONNX model
 * holds); activations, gradients and sums are float64. Every loop runs in a fixed order, so the same
 * inputs give the same bits on the same Node version.
 */
import type { DigitSet } from './data';

// Module-level aliases: a global lookup in a hot loop is slow inside a vm context (jest).
const { exp, log } = Math;

/** One dense layer `y = x · W + b`, weights row-major [inputs, outputs] (the ONNX MatMul layout). */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/** Gradients of one layer, shaped like it. */
export interface LayerGradients {
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/**
 * Seeded layers of the given widths (`[784, ...hidden, 10]`): He-uniform weights (limit √(6 / fan-in),
 * suited to ReLU inputs), zero biases.
 */
export function initLayers(sizes: readonly number[], rng: () => number): DenseLayer[] {
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const outputs = sizes[l + 1]!;
    const limit = Math.sqrt(6 / inputs);
    const weights = new Float32Array(inputs * outputs);
    for (let i = 0; i < weights.length; i++) weights[i] = (rng() * 2 - 1) * limit;
    layers.push({ inputs, outputs, weights, bias: new Float32Array(outputs) });
  }
  return layers;
}

/** Buffers for one minibatch of up to `capacity` rows, reused from step to step. */
export class Workspace {
  /** `activations[0]` is the input batch; `activations[l + 1]` is layer l's output (after ReLU for hidden layers). */
  readonly activations: Float64Array[];
  /** `deltas[l]`: the loss gradient with respect to layer l's pre-activation output. */
  readonly deltas: Float64Array[];
  readonly gradients: LayerGradients[];

  constructor(
    readonly layers: readonly DenseLayer[],
    readonly capacity: number,
  ) {
    this.activations = [new Float64Array(capacity * layers[0]!.inputs), ...layers.map((l) => new Float64Array(capacity * l.outputs))];
    this.deltas = layers.map((l) => new Float64Array(capacity * l.outputs));
    this.gradients = layers.map((l) => ({ weights: new Float64Array(l.weights.length), bias: new Float64Array(l.outputs) }));
  }

  /** The input batch to fill: row r at `r * inputs`. */
  get input(): Float64Array {
    return this.activations[0]!;
  }
}

/**
 * `y[yAt + j] += a * x[xAt + j]` for j < length: the inner loop of both the forward pass and the weight
 * gradient. Unrolled by four (V8 does not unroll, and this loop is most of the training time); each
 * `y` element still receives its terms in the same order.
 */
function axpy(y: Float64Array, yAt: number, a: number, x: Float32Array | Float64Array, xAt: number, length: number): void {
  const end = length - (length & 3);
  let j = 0;
  for (; j < end; j += 4) {
    y[yAt + j] += a * x[xAt + j]!;
    y[yAt + j + 1] += a * x[xAt + j + 1]!;
    y[yAt + j + 2] += a * x[xAt + j + 2]!;
    y[yAt + j + 3] += a * x[xAt + j + 3]!;
  }
  for (; j < length; j++) y[yAt + j] += a * x[xAt + j]!;
}

/**
 * `out[r] = in[r] · W + b` for `rows` rows, then ReLU when `relu`. Loops weight row by weight row over the
 * whole batch (each row of W is read once per batch, not once per image), skipping zero inputs (digits
 * are mostly blank).
 */
function forwardLayer(layer: DenseLayer, input: Float64Array, output: Float64Array, rows: number, relu: boolean): void {
  const { inputs: n, outputs: m, weights, bias } = layer;
  for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) output[r * m + j] = bias[j]!;
  for (let i = 0; i < n; i++) {
    const w = i * m;
    for (let r = 0; r < rows; r++) {
      const v = input[r * n + i]!;
      if (v !== 0) axpy(output, r * m, v, weights, w, m);
    }
  }
  if (relu) for (let k = 0; k < rows * m; k++) if (output[k]! < 0) output[k] = 0;
}

/** Runs the network on the workspace's input rows; the last activations are the logits. */
export function forward(ws: Workspace, rows: number): Float64Array {
  const { layers, activations } = ws;
  layers.forEach((layer, l) => forwardLayer(layer, activations[l]!, activations[l + 1]!, rows, l + 1 < layers.length));
  return activations[layers.length]!;
}

/**
 * Softmax cross-entropy of the logits against `labels[labelAt(r)]`: writes the gradient of the mean loss
 * into `delta` and returns the summed loss over the rows.
 */
function softmaxCrossEntropy(logits: Float64Array, delta: Float64Array, classes: number, rows: number, labelOf: (row: number) => number): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let top = logits[o]!;
    for (let j = 1; j < classes; j++) if (logits[o + j]! > top) top = logits[o + j]!;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += delta[o + j] = exp(logits[o + j]! - top);
    const label = labelOf(r);
    loss -= log(delta[o + label]! / sum);
    for (let j = 0; j < classes; j++) delta[o + j] = (delta[o + j]! / sum - (j === label ? 1 : 0)) / rows;
  }
  return loss;
}

/**
 * One forward and backward pass over the workspace's first `rows` input rows with their labels: fills
 * `ws.gradients` with the gradient of the mean cross-entropy and returns the summed loss.
 */
export function lossAndGradients(ws: Workspace, rows: number, labelOf: (row: number) => number): number {
  const { layers, activations, deltas, gradients } = ws;
  const last = layers.length - 1;
  const logits = forward(ws, rows);
  const loss = softmaxCrossEntropy(logits, deltas[last]!, layers[last]!.outputs, rows, labelOf);
  for (let l = last; l >= 0; l--) {
    const { inputs: n, outputs: m, weights } = layers[l]!;
    const input = activations[l]!;
    const delta = deltas[l]!;
    const grad = gradients[l]!;
    grad.weights.fill(0);
    grad.bias.fill(0);
    for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) grad.bias[j] += delta[r * m + j]!;
    for (let i = 0; i < n; i++) {
      const w = i * m;
      for (let r = 0; r < rows; r++) {
        const v = input[r * n + i]!;
        if (v !== 0) axpy(grad.weights, w, v, delta, r * m, m);
      }
    }
    if (l === 0) break;
    // Through this layer's weights and the ReLU before it (its output is > 0 exactly where it passed).
    const below = deltas[l - 1]!;
    for (let r = 0; r < rows; r++) {
      const d = r * m;
      const x = r * n;
      for (let i = 0; i < n; i++) {
        if (input[x + i]! === 0) {
          below[x + i] = 0;
          continue;
        }
        const w = i * m;
        let s = 0;
        for (let j = 0; j < m; j++) s += delta[d + j]! * weights[w + j]!;
        below[x + i] = s;
      }
    }
  }
  return loss;
}

/** Class predictions (argmax of the logits) of the network for every image of a set, computed in batches. */
export function predict(layers: readonly DenseLayer[], set: DigitSet, batchSize = 256): Uint8Array {
  const ws = new Workspace(layers, batchSize);
  const size = layers[0]!.inputs;
  const classes = layers[layers.length - 1]!.outputs;
  const predictions = new Uint8Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const rows = Math.min(batchSize, set.count - start);
    for (let i = 0; i < rows * size; i++) ws.input[i] = set.images[start * size + i]!;
    const logits = forward(ws, rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < classes; j++) if (logits[r * classes + j]! > logits[r * classes + best]!) best = j;
      predictions[start + r] = best;
    }
  }
  return predictions;
}
