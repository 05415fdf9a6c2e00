/**
 * Runs a stand-in service in a process of its own, as a real service lives
 * elsewhere: its work (TLS handshakes, WebSocket upgrades) then never
 * delays the probes and load that judge it. The service prints one JSON
 * line of its URLs when it listens, and exits when its stdin closes, so a
 * crashed test worker cannot leave it running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface ServiceProcess {
  /** What the service printed when it was ready (its URLs). */
  urls: Record<string, string>
  pid: number
  stop(): Promise<void>
}

/** Starts `file` (TypeScript run by node itself) with `env` added. */
export async function startServiceProcess(
  file: string,
  env: Record<string, string>,
  readyMs = 20_000
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [file], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (c: string) => (stderr = (stderr + c).slice(-2000)))
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve())
  )
  const urls = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${file} not ready in ${readyMs}ms: ${stderr}`)),
      readyMs
    )
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      clearTimeout(timer)
      resolve(JSON.parse(line) as Record<string, string>)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${file} exited with code ${code}: ${stderr}`))
    })
  })
  return {
    urls,
    pid: child.pid!,
    stop: async () => {
      child.stdin?.end()
      child.kill('SIGTERM')
      await exited
    }
  }
}
