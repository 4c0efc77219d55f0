// Rollup plugin: compiles the TypeScript sources one file at a time (`ts.transpileModule`), as `isolatedModules`
// in tsconfig.json promises is safe, and resolves their imports as TypeScript does. It type-checks nothing: that is
// `npm run typecheck` (`tsc --noEmit -p tsconfig.json` for these same sources). @rollup/plugin-typescript built a
// whole checked program for each of the ten builds that compile `src/`, which was most of `npm run build`'s time;
// the JavaScript it emitted is the same.
import { dirname, resolve as resolvePath } from 'node:path'
import ts from 'typescript'
import { formatHost, readProject } from './typecheck.mjs'

/**
 * @param {{ tsconfig: string, sourceMap?: boolean, compilerOptions?: import('typescript').CompilerOptions }} options
 *   `sourceMap`: each file's map to its TypeScript source, for a build that writes source maps.
 * @returns {import('rollup').Plugin}
 */
export function tsTranspile({ tsconfig, sourceMap = false, compilerOptions = {} }) {
  const parsed = readProject(tsconfig)
  if (parsed.errors.length > 0) throw new Error(ts.formatDiagnostics(parsed.errors, formatHost()))
  const options = { ...parsed.options, ...compilerOptions }
  if (!options.isolatedModules) throw new Error(`seglet-ts-transpile: ${tsconfig} must set isolatedModules, so each file compiles on its own`)
  const emit = { ...options, declaration: false, declarationMap: false, sourceMap, inlineSourceMap: false, noEmit: false, module: ts.ModuleKind.ESNext }
  const cache = ts.createModuleResolutionCache(dirname(resolvePath(tsconfig)), (name) => name, options)

  return {
    name: 'seglet-ts-transpile',
    resolveId(id, importer) {
      if (!importer || !isTypeScript(importer) || id.startsWith('\0')) return null
      const { resolvedModule } = ts.resolveModuleName(id, importer, options, ts.sys, cache)
      if (!resolvedModule || resolvedModule.isExternalLibraryImport || resolvedModule.resolvedFileName.endsWith('.d.ts')) return null
      return resolvedModule.resolvedFileName
    },
    transform(code, id) {
      if (!isTypeScript(id)) return null
      const out = ts.transpileModule(code, { fileName: id, compilerOptions: emit, reportDiagnostics: true })
      const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error)
      if (errors.length > 0) this.error(ts.formatDiagnostics(errors, formatHost()))
      if (!sourceMap) return { code: out.outputText, map: null }
      // The map goes to rollup, not a comment pointing at a file that is never written.
      return { code: out.outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map: out.sourceMapText }
    },
  }
}

const isTypeScript = (id) => /\.(ts|mts|cts)$/.test(id) && !/\.d\.[mc]?ts$/.test(id)
