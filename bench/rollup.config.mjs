// Builds bench/entries/*.ts into .build/bench/ for `npm run bench` (not part of the shipped package).
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import { tsTranspile } from '../scripts/rollup-plugin-ts-transpile.mjs'

export default {
  input: 'bench/entries/internals.ts',
  plugins: [
    json({ preferConst: true, compact: true }),
    resolve({ browser: true }),
    // Each file compiled on its own, as the package's build does.
    tsTranspile({ tsconfig: './tsconfig.json' }),
  ],
  output: { file: '.build/bench/internals.mjs', format: 'es', inlineDynamicImports: true },
}
