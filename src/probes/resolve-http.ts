/**
 * Resolves the HTTP probes that are more than one request: chained steps,
 * rendered one by one as earlier answers give their captures, and a burst
 * of one request. Shared settings of the probe (headers, timeouts, TLS,
 * retries, body limit) are the defaults of every step.
 */
import type { ProbeConfig } from '../config/schema.js'
import {
  renderHttpRequest,
  Renderer,
  type RenderOptions
} from '../http/resolve.js'
import type {
  CaptureSpec,
  HttpBurstSpec,
  HttpFlowSpec,
  HttpFlowStep
} from './types.js'

type HttpProbeConfig = NonNullable<ProbeConfig['http']>
type StepConfig = NonNullable<HttpProbeConfig['steps']>[number]

/** Burst requests in flight at once when the config does not say. */
export const BURST_CONCURRENCY = 100

/** The request fields of a step, with the probe's shared settings under it. */
function stepRequest(
  probe: HttpProbeConfig,
  step: StepConfig
): Parameters<typeof renderHttpRequest>[0] {
  const { name: _n, capture: _c, ...own } = step
  return {
    ...own,
    headers: { ...probe.headers, ...own.headers },
    ...pick('timeout', probe, own),
    ...pick('tls', probe, own),
    ...pick('retries', probe, own),
    ...pick('max-body', probe, own),
    ...pick('allow-hosts', probe, own)
  }
}

function pick<
  K extends 'timeout' | 'tls' | 'retries' | 'max-body' | 'allow-hosts'
>(
  key: K,
  probe: HttpProbeConfig,
  step: Omit<StepConfig, 'name' | 'capture'>
): Partial<Pick<StepConfig, K>> {
  const v = step[key] ?? probe[key]
  return v === undefined ? {} : ({ [key]: v } as Partial<Pick<StepConfig, K>>)
}

/**
 * Chained requests. Each step renders with this moment's values plus the
 * captures so far; a missing capture cannot happen at run time, since the
 * config checks place every `${capture.X}` after the step that captures it.
 */
export function resolveHttpFlow(
  name: string,
  probe: HttpProbeConfig,
  steps: StepConfig[],
  opts: RenderOptions
): HttpFlowSpec {
  const out: HttpFlowStep[] = steps.map((step, i) => {
    const captures: CaptureSpec[] = Object.entries(step.capture ?? {}).map(
      ([cname, c]) =>
        c.from === 'json'
          ? { name: cname, from: 'json', path: c.path, secret: c.secret }
          : { name: cname, from: 'header', header: c.name, secret: c.secret }
    )
    const n = steps.length
    const label =
      step.name !== undefined
        ? `step '${step.name}' (${i + 1} of ${n})`
        : `step ${i + 1} of ${n} (${step.method})`
    return {
      label,
      captures,
      build: (captured) => {
        const r = new Renderer({
          ...opts,
          values: { ...opts.values, capture: captured }
        })
        const spec = renderHttpRequest(stepRequest(probe, step), r)
        return { spec, secrets: r.secrets }
      }
    }
  })
  return { kind: 'http-flow', name, steps: out }
}

/** A burst: the probe's one request, rendered now, sent `requests` times. */
export function resolveHttpBurst(
  name: string,
  probe: HttpProbeConfig & { url: string },
  burst: NonNullable<HttpProbeConfig['burst']>,
  r: Renderer
): HttpBurstSpec {
  const request = renderHttpRequest(probe, r)
  return {
    kind: 'http-burst',
    name,
    request: { ...request, retry: { ...request.retry, attempts: 1 } },
    requests: burst.requests,
    concurrency: Math.min(
      burst.requests,
      burst.concurrency ?? BURST_CONCURRENCY
    ),
    ...(burst.rate !== undefined ? { rate: burst.rate } : {}),
    status: burst.expect.status,
    ...(burst.expect['at-least'] ? { atLeast: burst.expect['at-least'] } : {}),
    ...(burst.expect['at-most'] ? { atMost: burst.expect['at-most'] } : {})
  }
}
