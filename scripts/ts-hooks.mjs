// Lets Node run the TypeScript sources directly for scripts and benches:
// maps the `.js` import suffixes the sources use onto their `.ts` files, and
// compiles each `.ts` file with TypeScript's transpiler (type stripping
// alone cannot run parameter properties, which the engine uses).
import { readFileSync } from 'node:fs'
import { createRequire, registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ts = require('typescript')

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context)
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return next(`${specifier.slice(0, -3)}.ts`, context)
      }
      throw error
    }
  },
  load(url, context, next) {
    if (!url.startsWith('file:') || !url.endsWith('.ts')) {
      return next(url, context)
    }
    const file = fileURLToPath(url)
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        sourceMap: false,
        inlineSourceMap: true
      }
    })
    return { format: 'module', source: outputText, shortCircuit: true }
  }
})
