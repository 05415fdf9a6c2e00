/**
 * A loopback stand-in for the Prometheus HTTP API: instant queries answered
 * in Prometheus' own JSON format, by a function of the PromQL text the
 * config sent, so a test sees exactly which queries a rollout made.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface PrometheusApi {
  /** Base URL, e.g. `http://127.0.0.1:40123` (what `prometheus.url` holds). */
  url: string
  /** Every `query` parameter received, in order. */
  queries: string[]
  close(): Promise<void>
}

/**
 * What a query returns: one value (a one-series vector), `undefined` (an
 * empty vector: no data), or an error message (a 400 `bad_data` answer).
 */
export type Answer = number | undefined | { error: string }

/**
 * Starts the stand-in. A request without a `query` parameter, or to any
 * other path, gets the 400 / 404 a real Prometheus gives.
 */
export async function startPrometheusApi(
  answer: (query: string) => Answer
): Promise<PrometheusApi> {
  const queries: string[] = []
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'GET' || u.pathname !== '/api/v1/query') {
      send(404, { status: 'error', errorType: 'not_found', error: 'not found' })
      return
    }
    const query = u.searchParams.get('query')
    if (query === null || query.trim() === '') {
      send(400, {
        status: 'error',
        errorType: 'bad_data',
        error: 'invalid parameter "query": unknown position: parse error'
      })
      return
    }
    queries.push(query)
    const a = answer(query)
    if (typeof a === 'object') {
      send(400, { status: 'error', errorType: 'bad_data', error: a.error })
      return
    }
    const at = Date.now() / 1000
    send(200, {
      status: 'success',
      data: {
        resultType: 'vector',
        result: a === undefined ? [] : [{ metric: {}, value: [at, String(a)] }]
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * An answer function from `[fragment, value]` pairs: the first fragment the
 * query contains decides. An unknown query is an error, so a renamed
 * metric in a config cannot pass unnoticed.
 */
export function byFragment(
  table: Array<[string, Answer | ((query: string) => Answer)]>
): (query: string) => Answer {
  return (query) => {
    const hit = table.find(([fragment]) => query.includes(fragment))
    if (!hit) return { error: `stand-in has no answer for query '${query}'` }
    const v = hit[1]
    return typeof v === 'function' ? v(query) : v
  }
}
