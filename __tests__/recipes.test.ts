/**
 * The traffic recipes (examples/recipes): every config loads and names a
 * script that exists; every script parses (`bash -n`) and passes
 * shellcheck when it is installed; and each script, run against a stub of
 * its platform's CLI (or of nginx), issues the exact commands for 0, a
 * step and 100, refuses bad weights before touching anything, and fails
 * when the platform did not take the weight. The nginx recipe also runs for
 * real in the e2e suite.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { formatConfigError, loadConfigFile } from '../src/config/load.js'
import { ROOT } from './helpers/action.js'

const RECIPES = join(ROOT, 'examples', 'recipes')
const recipes = readdirSync(RECIPES)
  .filter((d) => statSync(join(RECIPES, d)).isDirectory())
  .sort()
const scripts = recipes.flatMap((r) =>
  readdirSync(join(RECIPES, r))
    .filter((f) => f.endsWith('.sh'))
    .map((f) => `${r}/${f}`)
)

function findShellcheck(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return [...dirs, '/usr/bin']
    .map((d) => join(d, 'shellcheck'))
    .find((p) => {
      try {
        accessSync(p, constants.X_OK)
        return true
      } catch {
        return false
      }
    })
}
const shellcheck = findShellcheck()

let tmp = ''
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dg-recipes-'))
})
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true })
})

interface Run {
  status: number | null
  stdout: string
  stderr: string
  /** Each stub call's arguments, in order. */
  calls: string[][]
}

/**
 * A stub CLI in bash: it logs its arguments (one per line, calls separated
 * by a blank line) and then runs `body` with the arguments still in "$@".
 */
function stub(name: string, body: string): string {
  const dir = mkdtempSync(join(tmp, `${name}-`))
  const path = join(dir, name)
  writeFileSync(
    path,
    [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'printf "%s\\n" "$@" >>"$STUB_LOG"',
      'printf "\\n" >>"$STUB_LOG"',
      body,
      ''
    ].join('\n')
  )
  chmodSync(path, 0o755)
  return path
}

/** Runs a recipe script with only the given environment (plus PATH). */
function runScript(
  script: string,
  env: Record<string, string>,
  args: string[] = []
): Run {
  const log = join(mkdtempSync(join(tmp, 'log-')), 'calls')
  writeFileSync(log, '')
  const r = spawnSync('bash', [join(RECIPES, script), ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', STUB_LOG: log, ...env },
    encoding: 'utf8',
    timeout: 10_000
  })
  const calls = readFileSync(log, 'utf8')
    .split('\n\n')
    .filter((c) => c !== '')
    .map((c) => c.split('\n'))
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls }
}

describe('recipes', () => {
  it('cover nginx, ingress-nginx, Argo Rollouts, AWS ALB and Cloud Run', () => {
    expect(recipes).toEqual([
      'argo-rollouts',
      'aws-alb',
      'cloud-run',
      'ingress-nginx',
      'nginx'
    ])
  })

  it.each(recipes)(
    '%s has a README, a config that loads, and the script it runs',
    async (recipe) => {
      const dir = join(RECIPES, recipe)
      expect(existsSync(join(dir, 'README.md'))).toBe(true)
      const r = await loadConfigFile(join(dir, 'deploy-gates.yml'))
      if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'))
      const run = r.config.gates.canary?.traffic.run ?? ''
      const m = /^bash (examples\/recipes\/[\w./-]+\.sh)$/.exec(run)
      expect(m).not.toBeNull()
      expect(existsSync(join(ROOT, m![1]))).toBe(true)
    }
  )

  it.each(scripts)('%s parses (bash -n) and is strict', (script) => {
    const path = join(RECIPES, script)
    const r = spawnSync('bash', ['-n', path], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const text = readFileSync(path, 'utf8')
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(text).toContain('\nset -euo pipefail\n')
    // Reads the weight from deploy-gates and nothing undocumented.
    expect(text).toContain('DEPLOY_GATES_WEIGHT')
    const used = new Set(
      [...text.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)].map((x) => x[1])
    )
    const header = text.split('\nset -euo pipefail')[0]
    for (const name of used) {
      if (name.startsWith('DEPLOY_GATES_') || name === 'SECONDS') continue
      expect({ name, documented: header.includes(name) }).toEqual({
        name,
        documented: true
      })
    }
  })

  const withShellcheck = shellcheck ? it.each(scripts) : it.skip.each(scripts)
  withShellcheck('%s passes shellcheck', (script) => {
    const r = spawnSync(shellcheck!, ['-s', 'bash', join(RECIPES, script)], {
      encoding: 'utf8'
    })
    expect(r.stdout).toBe('')
    expect(r.status).toBe(0)
  })
})

/** Everything each script needs, with stubs that would log any call. */
function fullEnv(script: string): Record<string, string> {
  const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:x/y'
  const all: Record<string, Record<string, string>> = {
    'nginx/set-weight.sh': {
      NGINX_PREFIX: mkdtempSync(join(tmp, 'nginx-')),
      NGINX_BIN: stub('nginx', ''),
      STABLE_UPSTREAM: '127.0.0.1:8081',
      CANARY_UPSTREAM: '127.0.0.1:8082'
    },
    'ingress-nginx/set-weight.sh': {
      KUBECTL: stub('kubectl', ''),
      CANARY_INGRESS: 'canary',
      K8S_NAMESPACE: 'ns'
    },
    'argo-rollouts/set-weight.sh': {
      KUBECTL: stub('kubectl', ''),
      ROLLOUT: 'app',
      K8S_NAMESPACE: 'ns',
      ARGO_WAIT: '1'
    },
    'aws-alb/set-weight.sh': {
      AWS: stub('aws', ''),
      ALB_LISTENER_ARN: arn,
      STABLE_TG_ARN: arn,
      CANARY_TG_ARN: arn
    },
    'cloud-run/set-traffic.sh': {
      GCLOUD: stub('gcloud', ''),
      CLOUD_RUN_SERVICE: 'app',
      CLOUD_RUN_REGION: 'europe-west1'
    }
  }
  return all[script]
}

describe.each([
  ['nginx/set-weight.sh'],
  ['ingress-nginx/set-weight.sh'],
  ['argo-rollouts/set-weight.sh'],
  ['aws-alb/set-weight.sh'],
  ['cloud-run/set-traffic.sh']
])('%s refuses bad weights before doing anything', (script) => {
  it.each(['', 'abc', '101', '1000', '-5', '25%', '1e2', '25 ', '$(id)'])(
    'weight %j',
    (weight) => {
      const r = runScript(script, {
        ...fullEnv(script),
        DEPLOY_GATES_WEIGHT: weight
      })
      expect(r.status).not.toBe(0)
      expect(r.stderr).toMatch(
        /DEPLOY_GATES_WEIGHT is not set|weight must be 0-100/
      )
      expect(r.calls).toEqual([])
    }
  )
})

describe('nginx/set-weight.sh with a stub nginx', () => {
  function setup(testExit = 0): {
    env: Record<string, string>
    file: string
    prefix: string
  } {
    const prefix = mkdtempSync(join(tmp, 'nginx-'))
    const nginx = stub(
      'nginx',
      `if [[ "$*" == *" -t "* || "$1" == "-t" ]]; then exit ${testExit}; fi`
    )
    return {
      prefix,
      file: join(prefix, 'upstream.conf'),
      env: {
        NGINX_PREFIX: prefix,
        NGINX_BIN: nginx,
        STABLE_UPSTREAM: '127.0.0.1:8081',
        CANARY_UPSTREAM: '127.0.0.1:8082'
      }
    }
  }

  it('--init writes the upstream file only', () => {
    const s = setup()
    const r = runScript(
      'nginx/set-weight.sh',
      { ...s.env, DEPLOY_GATES_WEIGHT: '0' },
      ['--init']
    )
    expect(r.status).toBe(0)
    expect(r.calls).toEqual([])
    const text = readFileSync(s.file, 'utf8')
    expect(text).toContain('server 127.0.0.1:8081;')
    expect(text).toContain('server 127.0.0.1:8082 down;')
    expect(text).toContain('default "0";')
  })

  it.each([
    ['0', ['server 127.0.0.1:8081;', 'server 127.0.0.1:8082 down;']],
    [
      '25',
      ['server 127.0.0.1:8081 weight=75;', 'server 127.0.0.1:8082 weight=25;']
    ],
    [
      '007',
      ['server 127.0.0.1:8081 weight=93;', 'server 127.0.0.1:8082 weight=7;']
    ],
    ['100', ['server 127.0.0.1:8081 down;', 'server 127.0.0.1:8082;']]
  ])('weight %s: tests the config, then reloads', (weight, servers) => {
    const s = setup()
    const r = runScript('nginx/set-weight.sh', {
      ...s.env,
      DEPLOY_GATES_WEIGHT: weight
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const conf = join(s.prefix, 'nginx.conf')
    expect(r.calls).toEqual([
      ['-t', '-q', '-p', s.prefix, '-c', conf],
      ['-p', s.prefix, '-c', conf, '-s', 'reload']
    ])
    const text = readFileSync(s.file, 'utf8')
    for (const line of servers) expect(text).toContain(line)
    expect(text).toContain(`default "${Number(weight)}";`)
    // No temporary files are left next to it.
    expect(readdirSync(s.prefix)).toEqual(['upstream.conf'])
  })

  it('puts the previous file back and fails when nginx rejects the config', () => {
    const s = setup(1)
    writeFileSync(s.file, 'previous\n')
    const r = runScript('nginx/set-weight.sh', {
      ...s.env,
      DEPLOY_GATES_WEIGHT: '50'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('nginx rejected the config for weight 50%')
    expect(r.calls).toHaveLength(1)
    expect(readFileSync(s.file, 'utf8')).toBe('previous\n')
    expect(readdirSync(s.prefix)).toEqual(['upstream.conf'])
  })

  it('fails when nginx does not serve the new weight in time', () => {
    const s = setup()
    const r = runScript('nginx/set-weight.sh', {
      ...s.env,
      DEPLOY_GATES_WEIGHT: '50',
      // Nothing listens on port 9 of loopback.
      NGINX_WEIGHT_URL: 'http://127.0.0.1:9/-/canary-weight',
      NGINX_WAIT: '1'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('did not apply weight 50% within 1s')
  })

  it('needs its environment', () => {
    const r = runScript('nginx/set-weight.sh', { DEPLOY_GATES_WEIGHT: '10' })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('NGINX_PREFIX is not set')
  })
})

describe('ingress-nginx/set-weight.sh with a stub kubectl', () => {
  function env(readBack?: string): Record<string, string> {
    const kubectl = stub(
      'kubectl',
      `if [[ "$1" == get ]]; then printf '%s' "\${STUB_READ_BACK:-}"; fi`
    )
    return {
      KUBECTL: kubectl,
      CANARY_INGRESS: 'matches-api-canary',
      K8S_NAMESPACE: 'matches',
      ...(readBack === undefined ? {} : { STUB_READ_BACK: readBack })
    }
  }

  it.each(['0', '25', '100'])('weight %s: annotates and reads back', (w) => {
    const r = runScript('ingress-nginx/set-weight.sh', {
      ...env(w),
      DEPLOY_GATES_WEIGHT: w
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.calls[0]).toEqual([
      'annotate',
      'ingress',
      'matches-api-canary',
      '--namespace',
      'matches',
      '--overwrite',
      `nginx.ingress.kubernetes.io/canary-weight=${w}`
    ])
    expect(r.calls[1].slice(0, 5)).toEqual([
      'get',
      'ingress',
      'matches-api-canary',
      '--namespace',
      'matches'
    ])
  })

  it('fails when the Ingress does not carry the weight', () => {
    const r = runScript('ingress-nginx/set-weight.sh', {
      ...env('10'),
      DEPLOY_GATES_WEIGHT: '25'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("has canary-weight '10', expected '25'")
  })
})

describe('argo-rollouts/set-weight.sh with a stub of the Rollout', () => {
  /**
   * A Rollout with setWeight steps 10, 25, 50, each followed by a pause:
   * the state file holds "<weight> <paused 0|1>"; promote moves to the next
   * step and pauses there; promote --full and abort end the steps.
   */
  function rollout(weight: number, paused: boolean): Record<string, string> {
    const state = join(mkdtempSync(join(tmp, 'argo-')), 'state')
    writeFileSync(state, `${weight} ${paused ? 1 : 0}\n`)
    const kubectl = stub(
      'kubectl',
      `read -r w p <"$STUB_STATE"
if [[ "$1" == get ]]; then
  if [[ "$p" == 1 ]]; then echo "$w CanaryPauseStep"; else echo "$w "; fi
elif [[ "$3" == promote && "$*" == *--full* ]]; then echo "100 0" >"$STUB_STATE"
elif [[ "$3" == promote ]]; then
  case "$w" in 10) echo "25 1" ;; 25) echo "50 1" ;; *) echo "100 0" ;; esac >"$STUB_STATE"
elif [[ "$3" == abort ]]; then echo "0 0" >"$STUB_STATE"
fi`
    )
    return {
      KUBECTL: kubectl,
      STUB_STATE: state,
      ROLLOUT: 'matches-api',
      K8S_NAMESPACE: 'matches',
      ARGO_WAIT: '3',
      ARGO_POLL: '0.05'
    }
  }
  const verbs = (r: Run): string[] =>
    r.calls.filter((c) => c[0] === 'argo').map((c) => c.slice(2).join(' '))

  it('finds the first step already in place after the deploy', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(10, true),
      DEPLOY_GATES_WEIGHT: '10'
    })
    expect(r.status).toBe(0)
    expect(verbs(r)).toEqual([])
  })

  it('promotes once per paused step until the weight is reached', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(10, true),
      DEPLOY_GATES_WEIGHT: '50'
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(verbs(r)).toEqual([
      'promote matches-api --namespace matches',
      'promote matches-api --namespace matches'
    ])
    expect(r.stdout).toContain('at canary 50%')
  })

  it('aborts for 0 and waits until the canary weight is 0', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(25, true),
      DEPLOY_GATES_WEIGHT: '0'
    })
    expect(r.status).toBe(0)
    expect(verbs(r)).toEqual(['abort matches-api --namespace matches'])
  })

  it('fully promotes for 100 and waits for a healthy Rollout', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(50, true),
      DEPLOY_GATES_WEIGHT: '100'
    })
    expect(r.status).toBe(0)
    expect(verbs(r)).toEqual([
      'promote matches-api --namespace matches --full',
      'status matches-api --namespace matches --timeout 3s'
    ])
  })

  it('refuses a weight the Rollout has passed (steps that do not match)', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(50, true),
      DEPLOY_GATES_WEIGHT: '25'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('is at 50%, past 25%')
    expect(verbs(r)).toEqual([])
  })

  it('gives up when the Rollout never pauses at the weight', () => {
    const r = runScript('argo-rollouts/set-weight.sh', {
      ...rollout(10, false),
      DEPLOY_GATES_WEIGHT: '25',
      ARGO_WAIT: '1'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('did not reach 25% within 1s (at 10%)')
    expect(verbs(r)).toEqual([])
  })
})

describe('aws-alb/set-weight.sh with a stub aws CLI', () => {
  const arn = (kind: string): string =>
    `arn:aws:elasticloadbalancing:eu-west-1:123456789012:${kind}`
  const base = {
    ALB_LISTENER_ARN: arn('listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2'),
    STABLE_TG_ARN: arn('targetgroup/stable/73e2d6bc24d8a067'),
    CANARY_TG_ARN: arn('targetgroup/canary/09dc6c495c0c9188')
  }
  function env(readBack: string): Record<string, string> {
    return {
      ...base,
      AWS: stub(
        'aws',
        `if [[ "$2" == describe-listeners ]]; then echo "$STUB_READ_BACK"; fi`
      ),
      STUB_READ_BACK: readBack
    }
  }

  it.each([
    ['0', 100, 0],
    ['25', 75, 25],
    ['100', 0, 100]
  ])(
    'weight %s: forwards %i/%i and reads the listener back',
    (w, stableWeight, canaryWeight) => {
      const r = runScript('aws-alb/set-weight.sh', {
        ...env(String(canaryWeight)),
        DEPLOY_GATES_WEIGHT: w
      })
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      const [modify, describeCall] = r.calls
      expect(modify.slice(0, 4)).toEqual([
        'elbv2',
        'modify-listener',
        '--listener-arn',
        base.ALB_LISTENER_ARN
      ])
      const actions = JSON.parse(
        modify[modify.indexOf('--default-actions') + 1]
      ) as unknown
      expect(actions).toEqual([
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: base.STABLE_TG_ARN, Weight: stableWeight },
              { TargetGroupArn: base.CANARY_TG_ARN, Weight: canaryWeight }
            ],
            TargetGroupStickinessConfig: { Enabled: false }
          }
        }
      ])
      expect(describeCall.slice(0, 4)).toEqual([
        'elbv2',
        'describe-listeners',
        '--listener-arns',
        base.ALB_LISTENER_ARN
      ])
    }
  )

  it('fails when the listener does not carry the weight', () => {
    const r = runScript('aws-alb/set-weight.sh', {
      ...env('10'),
      DEPLOY_GATES_WEIGHT: '25'
    })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("canary weight '10', expected '25'")
  })

  it('refuses a value that is not an ARN before building JSON', () => {
    const r = runScript('aws-alb/set-weight.sh', {
      ...env('25'),
      CANARY_TG_ARN: 'x","Weight":100},{"TargetGroupArn":"y',
      DEPLOY_GATES_WEIGHT: '25'
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('not an elasticloadbalancing ARN')
    expect(r.calls).toEqual([])
  })
})

describe('cloud-run/set-traffic.sh with a stub gcloud', () => {
  it.each([
    ['0', 'canary=0,stable=100'],
    ['25', 'canary=25,stable=75'],
    ['100', 'canary=100,stable=0']
  ])('weight %s: --to-tags %s', (w, tags) => {
    const r = runScript('cloud-run/set-traffic.sh', {
      GCLOUD: stub('gcloud', ''),
      CLOUD_RUN_SERVICE: 'matches-api',
      CLOUD_RUN_REGION: 'europe-west1',
      DEPLOY_GATES_WEIGHT: w
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.calls).toEqual([
      [
        'run',
        'services',
        'update-traffic',
        'matches-api',
        '--region',
        'europe-west1',
        '--to-tags',
        tags,
        '--quiet'
      ]
    ])
  })

  it('fails when gcloud fails', () => {
    const r = runScript('cloud-run/set-traffic.sh', {
      GCLOUD: stub('gcloud', 'echo "ERROR: permission denied" >&2; exit 1'),
      CLOUD_RUN_SERVICE: 'matches-api',
      CLOUD_RUN_REGION: 'europe-west1',
      DEPLOY_GATES_WEIGHT: '10'
    })
    expect(r.status).toBe(1)
    expect(r.stdout).not.toContain('canary 10%')
  })
})
