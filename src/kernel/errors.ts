/**
 * One small error family, so a caller can tell a bad config from a failed
 * probe or an unreachable GitHub without reading the message, and so the
 * original error travels on as `cause` instead of being flattened to text.
 */

/** Where an error came from; callers branch on this, never on wording. */
export type ErrorKind = 'config' | 'input' | 'state'

/** An error of ours: a kind, a one-line message, and what caused it. */
export class DeployGatesError extends Error {
  readonly kind: ErrorKind

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.kind = kind
    this.name = `${kind[0].toUpperCase()}${kind.slice(1)}Error`
  }
}

/** The user's config file or a value in it is wrong. */
export class ConfigError extends DeployGatesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options)
  }
}

/** An action input or CLI argument is wrong. */
export class InputError extends DeployGatesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options)
  }
}

/** Saved rollout state could not be read or written. */
export class StateError extends DeployGatesError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('state', message, options)
  }
}

/**
 * The one-line text of anything thrown: an Error's message, a string as it
 * is, anything else as JSON. Callers never cast `errorMessage(e)`,
 * which prints `undefined` for a thrown string.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === 'string') return e
  try {
    return JSON.stringify(e) ?? String(e)
  } catch {
    return String(e)
  }
}
