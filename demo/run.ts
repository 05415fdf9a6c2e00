/**
 * `npm run demo`: two local rollouts with the real bundled engine, no setup.
 * v2 is healthy and gets promoted; v3 turns bad (errors and slow answers)
 * once it takes 25% of the traffic, and is rolled back automatically.
 */
import { spawn } from 'node:child_process'
import { Agent, get } from 'node:http'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve, join } from 'node:path'
import { startRouter, startService, type Behaviour } from './service.js'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'demo-report')
const weightFile = join(out, 'weight')

interface Release {
  version: string
  healthy: Behaviour
  /** Behaviour once the canary takes at least 25% of traffic. */
  atScale: Behaviour
  expect: string
}

const releases: Release[] = [
  {
    version: 'v2',
    healthy: { errorRate: 0, latencyMs: 20 },
    atScale: { errorRate: 0, latencyMs: 20 },
    expect: 'promoted'
  },
  {
    version: 'v3',
    healthy: { errorRate: 0, latencyMs: 20 },
    atScale: { errorRate: 0.2, latencyMs: 120 },
    expect: 'rolled-back'
  }
]

function weight(): number {
  try {
    return Number(readFileSync(weightFile, 'utf8').trim()) || 0
  } catch {
    return 0
  }
}

async function rollout(
  release: Release,
  previous: string
): Promise<{ result: string; code: number | null }> {
  const stable = await startService(
    previous,
    { errorRate: 0, latencyMs: 20 },
    3
  )
  const canary = await startService(release.version, { ...release.healthy }, 5)
  writeFileSync(weightFile, '0\n')
  const router = await startRouter(stable, canary, weightFile)
  // The canary degrades under load: from 25% of the traffic on.
  const watch = setInterval(() => {
    Object.assign(
      canary.behaviour,
      weight() >= 25 ? release.atScale : release.healthy
    )
  }, 50)
  // Users: 100 requests per second through the router, counted by the
  // weight in force and by the version that answered.
  const agent = new Agent({ keepAlive: true, maxSockets: 16 })
  const seen = new Map<
    number,
    { canary: number; total: number; errors: number }
  >()
  const users = setInterval(() => {
    const w = weight()
    get(`${router.url}/api/matches/m${w}`, { agent }, (res) => {
      const b = seen.get(w) ?? { canary: 0, total: 0, errors: 0 }
      b.total += 1
      if (res.headers['x-version'] === release.version) b.canary += 1
      if ((res.statusCode ?? 500) >= 500) b.errors += 1
      seen.set(w, b)
      res.resume()
    }).on('error', () => undefined)
  }, 10)
  const dir = join(out, release.version)
  mkdirSync(dir, { recursive: true })
  console.log(`\n=== rollout of ${release.version} (stable ${previous}) ===\n`)
  try {
    const child = spawn(
      process.execPath,
      [
        join(root, 'bin', 'deploy-gates.js'),
        'run',
        '--config',
        join(root, 'demo', 'deploy-gates.yml'),
        '--version',
        release.version,
        '--previous-version',
        previous,
        '--report-dir',
        dir
      ],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          DEMO_ROUTER_URL: router.url,
          DEMO_CANARY_URL: canary.url,
          DEMO_STABLE_URL: stable.url,
          DEMO_CANARY_WS: canary.url.replace('http:', 'ws:'),
          DEMO_WEIGHT_FILE: weightFile
        }
      }
    )
    const code = await new Promise<number | null>((done) =>
      child.on('exit', (c) => done(c))
    )
    const report = JSON.parse(
      readFileSync(join(dir, 'report.json'), 'utf8')
    ) as { result: string }
    console.log(
      `\n${release.version}: ${report.result}; user traffic by weight:`
    )
    for (const [w, b] of [...seen.entries()].sort((x, y) => x[0] - y[0])) {
      console.log(
        `  weight ${String(w).padStart(3)}%: ${String(b.total).padStart(5)} requests, ${((b.canary / b.total) * 100).toFixed(1).padStart(5)}% answered by ${release.version}, ${b.errors} errors`
      )
    }
    return { result: report.result, code }
  } finally {
    clearInterval(users)
    agent.destroy()
    clearInterval(watch)
    await router.close()
    await canary.close()
    await stable.close()
  }
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const started = Date.now()
const results: string[] = []
let previous = 'v1'
let ok = true
for (const release of releases) {
  const r = await rollout(release, previous)
  results.push(`${release.version}: ${r.result} (expected ${release.expect})`)
  if (r.result !== release.expect) ok = false
  if (r.result === 'promoted') previous = release.version
}
console.log(
  `\n=== demo finished in ${((Date.now() - started) / 1000).toFixed(0)}s ===`
)
for (const line of results) console.log(`  ${line}`)
console.log(
  `reports (markdown as the PR comment shows it, and JSON): ${out}/v2, ${out}/v3`
)
process.exitCode = ok ? 0 : 1
