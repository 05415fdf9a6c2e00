/**
 * Secret-leak suite for the hosted metric sources: the Datadog API and
 * application keys, the New Relic key and the AWS access key, secret key
 * and session token are given to a real action run whose stand-ins echo
 * every header they were sent back in their error answers. None of them
 * may appear in the log, the job summary, the outputs or the JSON report,
 * and the reasons must still say what each provider answered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runActionAsync } from './helpers/action.js'

const KEYS = {
  DD_API_KEY: 'ddapi0123456789abcdef0123456789ab',
  DD_APP_KEY: 'ddapp0123456789abcdef0123456789abcdef01',
  NR_API_KEY: 'NRAK-LEAKTEST0123456789ABCDEFGH',
  AWS_ACCESS_KEY_ID: 'AKIALEAKTEST00000001',
  AWS_SECRET_ACCESS_KEY: 'leAkTeSt/SeCrEt+0123456789abcdefghijKLMN',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjLEAKTESTsessionTOKEN0123456789'
}

let echo: Server
let port: number

beforeAll(async () => {
  // Refuses everything and says back what it was sent, as a misconfigured
  // proxy or a chatty error page would.
  echo = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' })
      const seen = JSON.stringify({ headers: req.headers, url: req.url, body })
      res.end(
        JSON.stringify({
          errors: [`unauthorized: ${seen}`],
          __type: 'UnrecognizedClientException',
          message: `The security token included in the request is invalid: ${seen} ${KEYS.AWS_SECRET_ACCESS_KEY}`
        })
      )
    })
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
  port = (echo.address() as AddressInfo).port
})

afterAll(() => {
  echo.closeAllConnections()
  echo.close()
})

describe('metric source keys never leak', () => {
  it('masks every key of Datadog, New Relic and CloudWatch on every surface', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-metric-secrets-'))
    const url = `http://127.0.0.1:${port}`
    writeFileSync(
      join(dir, 'deploy-gates.yml'),
      `version: 1
service: api
environment: staging
gates:
  deploy:
    run: echo deployed
  canary:
    traffic: { run: 'true' }
    steps:
      - { weight: 10, bake: 8s }
      - { weight: 100 }
    analysis:
      interval: 1s
      error-limit: 2
      metrics:
        cpu:
          datadog:
            query: 'avg:system.cpu.user{service:api}'
            url: '${url}/dd'
            api-key: '\${secrets.DD_API_KEY}'
            app-key: '\${secrets.DD_APP_KEY}'
          fail: '> 70'
        errors:
          newrelic:
            account: 42
            nrql: 'SELECT count(*) FROM Transaction'
            api-key: '\${secrets.NR_API_KEY}'
            url: '${url}/nr'
          fail: '> 5'
        latency:
          cloudwatch:
            region: eu-west-1
            namespace: AWS/ApplicationELB
            metric: TargetResponseTime
            stat: p95
            url: '${url}/cw'
          fail: '> 0.5'
rollback:
  run: echo rolled back
`
    )
    const r = await runActionAsync(
      {
        gate: 'all',
        config: 'deploy-gates.yml',
        version: 'v2',
        'previous-version': 'v1'
      },
      {
        cwd: dir,
        env: { ...KEYS, AWS_REGION: 'eu-west-1', GITHUB_RUN_ID: '9' }
      }
    )
    expect(r.outputs.result).toBe('rolled-back')
    const report = readFileSync(r.outputs.report, 'utf8')
    const surfaces: Record<string, string> = {
      log: (r.stdout + r.stderr)
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      summary: r.summary,
      outputs: JSON.stringify(r.outputs),
      report
    }
    const leaks: string[] = []
    for (const [where, text] of Object.entries(surfaces)) {
      for (const [name, secret] of Object.entries(KEYS)) {
        if (text.includes(secret)) leaks.push(`${where}: ${name}`)
      }
    }
    expect(leaks).toEqual([])
    // The evidence is still there: each provider's refusal, by name.
    expect(report).toMatch(/datadog: HTTP 401 from 127\.0\.0\.1:\d+/)
    expect(report).toMatch(/newrelic: HTTP 401 from 127\.0\.0\.1:\d+/)
    expect(report).toMatch(
      /cloudwatch: HTTP 401 from 127\.0\.0\.1:\d+ .*UnrecognizedClientException/
    )
    // The runner is told to mask them too.
    for (const secret of Object.values(KEYS)) {
      expect(r.stdout).toContain(`::add-mask::${secret}`)
    }
  }, 90_000)
})
