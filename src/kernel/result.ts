/**
 * The one shape of "a value or why not" for anything that parses, compiles
 * or checks user input, so callers branch on `ok` everywhere in the same
 * way instead of on `typeof x === 'string'` here and `undefined` there.
 * A check with nothing to return but a problem returns `string | undefined`
 * (the problem, or none).
 */
export type Result<T, E = string> =
  { ok: true; value: T } | { ok: false; error: E }

/** A successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value }
}

/** A failed result carrying the one-line reason. */
export function fail<E = string>(error: E): { ok: false; error: E } {
  return { ok: false, error }
}
