/**
 * The HTTP probe: one resolved spec in, one sample out. The request, its
 * timeouts, redirects, TLS checks, retries and expectations are the HTTP
 * client's (src/http); the probe names the result and shapes it as the
 * sample every gate reads.
 */
import { exchange, type ExchangeOptions } from '../http/exchange.js'
import type { HttpProbeSpec } from './types.js'
import { systemClock } from '../kernel/clock.js'
import type { HttpSample } from '../kernel/sample.js'

export type HttpProbeOptions = ExchangeOptions

/**
 * Runs an HTTP probe with its retries and returns one sample. Only transport
 * errors, 5xx and 429 are retried: a wrong answer from a healthy server will
 * be just as wrong a second later.
 */
export async function runHttpProbe(
  spec: HttpProbeSpec,
  opts: HttpProbeOptions = {}
): Promise<HttpSample> {
  const startedAt = (opts.clock ?? systemClock).now()
  const out = await exchange(spec, opts)
  const sample: HttpSample = {
    probe: spec.name,
    kind: 'http',
    ok: out.ok,
    reason: out.ok ? 'ok' : out.reason,
    attempts: out.attempts,
    startedAt,
    timings: out.timings
  }
  if (!out.ok && out.error) sample.error = true
  if (out.status !== undefined) sample.status = out.status
  if (out.excerpt !== undefined) sample.excerpt = out.excerpt
  return sample
}
