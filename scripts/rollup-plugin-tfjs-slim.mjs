// Rollup plugin: resolves the bare '@tensorflow/tfjs-core' import (made by the CPU kernels and by
// src/model/tf.ts) to tfjs-core's `dist/base.js` plus only its required side effects
// (`dist/base_side_effects.js`: engine, flags, platforms, op handler). The package's `dist/index.js`
// additionally runs `registerOptimizers()`, which keeps every training optimizer in the bundle although
// Seglet never trains in the browser. This is what TensorFlow.js's own custom-bundle tool does
// (`tfjs-custom-module`, https://www.tensorflow.org/js/tutorials/deployment/size_optimized_bundles):
// it aliases '@tensorflow/tfjs-core' to a generated module of exactly this shape.
const SLIM = '\0tfjs-core-slim'

/** @returns {import('rollup').Plugin} */
export function tfjsSlim() {
  return {
    name: 'seglet-tfjs-slim',
    async resolveId(id, importer, options) {
      if (id !== '@tensorflow/tfjs-core' || importer === SLIM) return null
      return SLIM
    },
    load(id) {
      if (id !== SLIM) return null
      return [
        "import '@tensorflow/tfjs-core/dist/base_side_effects.js'",
        "export * from '@tensorflow/tfjs-core/dist/base.js'",
      ].join('\n')
    },
  }
}
