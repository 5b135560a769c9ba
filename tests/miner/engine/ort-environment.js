/**
 * A jest environment for suites that run onnxruntime-node. Jest runs each test file in its own V8 realm,
 * but the native binding creates output typed arrays in the main realm, and onnxruntime-common then
 * rejects them (`A float32 tensor's data must be type of function Float32Array()`: the `instanceof`
 * check compares against the test realm's constructor). Sharing the main realm's binary-data
 * constructors with the test realm makes both sides agree. Use it with the docblock
 * `@jest-environment ./tests/miner/engine/ort-environment.js` (resolved from the project root).
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxRuntimeEnvironment;
