// Rollup plugin: resolves the bare '@tensorflow/tfjs-core' import (made by the CPU kernels and by
// src/model/tf.ts) to tfjs-core's `dist/base.js` plus only its required side effects
// (`dist/base_side_effects.js`: engine, flags, platforms, op handler). The package's `dist/index.js`
// additionally runs `registerOptimizers()`, which keeps every training optimizer in the bundle although
// Seglet never trains in the browser. This is what TensorFlow.js's own custom-bundle tool does
// (`tfjs-custom-module`, https://www.tensorflow.org/js/tutorials/deployment/size_optimized_bundles):
// it aliases '@tensorflow/tfjs-core' to a generated module of exactly this shape.
//
// It also drops what tfjs-core's browser platform does at load besides setting itself up: registering model
// stores for localStorage and IndexedDB, which reads `window.localStorage`. Seglet never saves or lists
// TensorFlow.js models, and a privacy-first tag should not even open the page's localStorage.
const SLIM = '\0tfjs-core-slim'
const PLATFORM_BROWSER = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/]platforms[\\/]platform_browser\.js$/
const MODEL_STORES = /\n\s*\/\/ Register LocalStorage IOHandler\n[\s\S]*?\/\/ Register IndexedDB IOHandler\n\s*try \{[\s\S]*?\}\s*catch \(err\) \{\s*\}\n/

/** platform_browser.js without the model-store registrations; throws when tfjs-core changed shape. */
export function dropModelStores(code) {
  if (!MODEL_STORES.test(code)) {
    throw new Error('seglet-tfjs-slim: the model-store registration in tfjs-core platform_browser.js was not found; check the tfjs-core version')
  }
  return code.replace(MODEL_STORES, '\n')
}

/** @returns {import('rollup').Plugin} */
export function tfjsSlim() {
  return {
    name: 'seglet-tfjs-slim',
    async resolveId(id, importer, options) {
      if (id !== '@tensorflow/tfjs-core' || importer === SLIM) return null
      return SLIM
    },
    transform(code, id) {
      if (!PLATFORM_BROWSER.test(id)) return null
      return { code: dropModelStores(code), map: null }
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
