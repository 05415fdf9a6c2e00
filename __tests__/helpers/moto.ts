/**
 * moto in server mode (`moto_server`, a real implementation of the AWS
 * APIs) on a free loopback port, with signature checking on: moto checks
 * SigV4 signatures and IAM permissions once INITIAL_NO_AUTH_ACTION_COUNT
 * requests have passed unchecked, so the first three requests create an
 * IAM user, its policy and its access key, and every later request must be
 * signed with that key.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { delimiter, join } from 'node:path'

export const MOTO_MISSING =
  'moto_server not found: install moto[server] (python3 -m pip install "moto[server]")'

/** `which moto_server`, without a shell. */
export function findMoto(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'moto_server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

export interface MotoServer {
  url: string
  pid: number
  /** The access key moto checks signatures with. */
  credentials: { accessKeyId: string; secretAccessKey: string }
  stop(): Promise<void>
}

/** Requests moto lets through unchecked: the IAM setup below, no more. */
const SETUP_REQUESTS = 3

/** Starts moto and creates the signing identity; bounded in time. */
export async function startMoto(
  binary: string,
  readyMs = 40_000
): Promise<MotoServer> {
  const port = await freePort()
  const child = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_REQUESTS)
    },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let log = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (c: string) => (log = (log + c).slice(-4096)))
  const killOnExit = (): void => {
    if (running(child)) child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve())
  )
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit)
    if (running(child)) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
    }
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyMs
  for (;;) {
    if (!running(child)) {
      throw new Error(`moto_server exited before ready: ${log.trim()}`)
    }
    try {
      const r = await fetch(`${url}/moto-api/`)
      await r.arrayBuffer()
      if (r.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`moto_server not ready after ${readyMs} ms: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  try {
    const credentials = await createIdentity(url)
    return { url, pid: child.pid ?? -1, credentials, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/** The IAM query protocol; these three requests are the unchecked ones. */
async function iam(
  url: string,
  params: Record<string, string>
): Promise<string> {
  const r = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      // moto routes by the service in the credential scope.
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDSETUP/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0'
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString()
  })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`IAM ${params.Action}: ${text}`)
  return text
}

async function createIdentity(url: string): Promise<MotoServer['credentials']> {
  await iam(url, { Action: 'CreateUser', UserName: 'metrics-reader' })
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        // moto names CloudWatch actions after the endpoint prefix.
        Action: ['cloudwatch:*', 'monitoring:*'],
        Resource: '*'
      }
    ]
  }
  await iam(url, {
    Action: 'PutUserPolicy',
    UserName: 'metrics-reader',
    PolicyName: 'metrics',
    PolicyDocument: JSON.stringify(policy)
  })
  const xml = await iam(url, {
    Action: 'CreateAccessKey',
    UserName: 'metrics-reader'
  })
  const id = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1]
  const secret = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(xml)?.[1]
  if (id === undefined || secret === undefined) {
    throw new Error(`no access key in ${xml}`)
  }
  return { accessKeyId: id, secretAccessKey: secret }
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
