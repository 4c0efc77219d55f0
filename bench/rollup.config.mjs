// Builds bench/entries/*.ts into .build/bench/ for `npm run bench` (not part of the shipped package).
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

export default {
  input: 'bench/entries/internals.ts',
  plugins: [
    json({ preferConst: true, compact: true }),
    resolve({ browser: true }),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts', 'bench/**/*.ts', 'src/**/*.json'],
      exclude: ['src/**/*.test.ts'],
      declaration: false,
      sourceMap: false,
      outputToFilesystem: false,
      compilerOptions: { rootDir: '.' },
    }),
  ],
  output: { file: '.build/bench/internals.mjs', format: 'es', inlineDynamicImports: true },
}
