/**
 * Loopback HTTP(S) stand-ins for the services an example config probes:
 * a request handler written by the test, keep-alive as real servers do,
 * every request recorded, and a version file the deploy programs write so
 * that what a stand-in answers follows what was "deployed".
 */
import { existsSync, readFileSync } from 'node:fs'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import * as tls from 'node:tls'
import type { TestCert } from './http-certs.js'

export interface StandIn {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  url: string
  port: number
  server: Server
  /** `METHOD /path?query` of every request, in order. */
  requests: string[]
  close(): Promise<void>
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string
) => void

/** Answers with JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown
): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Starts a stand-in; with `cert`, it speaks HTTPS (TLS 1.2 and up). */
export async function startStandIn(
  handler: Handler,
  cert?: TestCert
): Promise<StandIn> {
  const requests: string[] = []
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`)
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => handler(req, res, body))
  }
  const server: Server = cert
    ? createHttpsServer({ ...cert, minVersion: 'TLSv1.2' }, listener)
    : createHttpServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `${cert ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The version a deploy program wrote last, or `fallback`. */
export function deployedVersion(file: string, fallback: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : fallback
}

/**
 * Makes this process trust `cert` as a CA, as a runner trusts a private CA
 * through its system store, so configs that name no `tls.ca` can still
 * reach an HTTPS stand-in. Returns the undo.
 */
export function trustCa(cert: string): () => void {
  const before = tls.getCACertificates('default')
  tls.setDefaultCACertificates([...before, cert])
  return () => tls.setDefaultCACertificates(before)
}
