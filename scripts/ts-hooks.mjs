// Lets Node run the TypeScript sources directly (type stripping) for scripts:
// maps the `.js` import suffixes the sources use onto their `.ts` files.
import { registerHooks } from 'node:module'

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
  }
})
