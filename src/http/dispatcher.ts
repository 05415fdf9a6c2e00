/**
 * Where requests are sent from: undici dispatchers built from TLS options,
 * a connect timeout and the proxy settings of an environment, pooled per
 * combination in one cache that a process closes when it is done.
 */
import * as tls from 'node:tls'
import {
  Agent,
  buildConnector,
  EnvHttpProxyAgent,
  type Dispatcher
} from 'undici'
import { timedConnector } from './sockets.js'
import type { TlsSpec } from './types.js'

function tlsOptions(spec: TlsSpec): tls.ConnectionOptions {
  const out: tls.ConnectionOptions = { rejectUnauthorized: !spec.insecure }
  if (spec.minVersion) out.minVersion = spec.minVersion
  // Extra CAs add to the trusted set rather than replace it, so a private CA
  // for staging does not break a public one behind the same probe config.
  if (spec.ca) out.ca = [...tls.getCACertificates('default'), spec.ca]
  return out
}

function proxyEnv(env: Record<string, string | undefined>): {
  http: string
  https: string
  no: string
} {
  return {
    http: env.http_proxy ?? env.HTTP_PROXY ?? '',
    https: env.https_proxy ?? env.HTTPS_PROXY ?? '',
    no: env.no_proxy ?? env.NO_PROXY ?? ''
  }
}

/**
 * Builds a dispatcher from an explicit environment rather than process.env,
 * so a proxy can be configured (and tested) per call. HTTP/1.1 only: a probe
 * should measure the same protocol every time.
 */
export function dispatcherFromEnv(
  env: Record<string, string | undefined>,
  options: { tls?: TlsSpec; connectMs?: number } = {}
): Dispatcher {
  const t = tlsOptions(options.tls ?? { insecure: false })
  const connectMs = options.connectMs ?? 10_000
  // No TLS session resumption: a resumed session carries no peer
  // certificate to check, and a full handshake is what tlsMs should measure.
  const endpointTls = { ...t, maxCachedSessions: 0 }
  const connect = timedConnector(
    buildConnector({ ...endpointTls, timeout: connectMs, allowH2: false })
  )
  const proxy = proxyEnv(env)
  if (proxy.http || proxy.https) {
    return new EnvHttpProxyAgent({
      connect,
      allowH2: false,
      connectTimeout: connectMs,
      requestTls: endpointTls,
      httpProxy: proxy.http,
      httpsProxy: proxy.https,
      noProxy: proxy.no
    })
  }
  return new Agent({ connect, allowH2: false })
}

/** What a pooled dispatcher is chosen by. */
export interface DispatcherKey {
  tls: TlsSpec
  connectMs: number
  env: Record<string, string | undefined>
}

/**
 * Dispatchers shared by every request with the same TLS options, connect
 * timeout and proxy settings, so connections are reused across attempts
 * and probes. Whoever ends the process closes it.
 */
export class DispatcherCache {
  private readonly pool = new Map<string, Dispatcher>()

  get(key: DispatcherKey): Dispatcher {
    const id = JSON.stringify([
      key.tls.ca ?? '',
      key.tls.insecure,
      key.tls.minVersion ?? '',
      key.connectMs,
      proxyEnv(key.env)
    ])
    let d = this.pool.get(id)
    if (!d) {
      d = dispatcherFromEnv(key.env, { tls: key.tls, connectMs: key.connectMs })
      this.pool.set(id, d)
    }
    return d
  }

  async close(): Promise<void> {
    const all = [...this.pool.values()]
    this.pool.clear()
    await Promise.all(all.map((d) => d.close()))
  }
}

/** The process's dispatchers, used when a caller brings none. */
export const sharedDispatchers = new DispatcherCache()

/** Closes the shared dispatchers, so a process or test can exit. */
export async function closeHttpDispatchers(): Promise<void> {
  await sharedDispatchers.close()
}
