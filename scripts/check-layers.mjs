// Checks the module picture of src/ (DESIGN.md §8): which directories may
// import which, no import cycle between any two files (type-only imports
// count), one file for `setFailed` and one for process signal handlers, and
// no file over the size budget. Prints every breach; exits 1 on any.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'src')
const MAX_LINES = 600

/** [from directory, to directory, why] pairs that must never appear. */
const FORBIDDEN = [
  ['analysis', 'probes', 'the judge is math over samples, not their source'],
  ['analysis', 'rollout', 'the judge knows nothing of gates'],
  ['analysis', 'metrics', 'the judge knows nothing of sources'],
  ['probes', 'analysis', 'probes measure; they do not judge'],
  [
    'rollout',
    'analysis/methods',
    'the engine builds judges through analysis/judge'
  ],
  ['metrics', 'probes', 'sources use the HTTP client, not the probe'],
  ['traffic', 'probes', 'shifters use the HTTP client, not the probe'],
  ['notify', 'probes', 'notifications use the HTTP client, not the probe'],
  ['http', 'probes', 'the HTTP client sits below the probes'],
  ['kernel', '*', 'the kernel imports nothing of ours'],
  ['config', 'rollout', 'config is read before anything runs'],
  ['report', 'rollout/gates', 'reports render events, not gates']
]

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return files(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

const all = files(src)
const graph = new Map()
const problems = []
for (const file of all) {
  const text = readFileSync(file, 'utf8')
  const deps = new Set()
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]
    const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'))
    deps.add(target)
  }
  graph.set(file, deps)
  const lines = text.split('\n').length
  if (lines > MAX_LINES) {
    problems.push(`${rel(file)}: ${lines} lines, over ${MAX_LINES}`)
  }
}

function rel(file) {
  return relative(src, file)
}
function area(file) {
  return rel(file).replace(/\.ts$/, '')
}
function within(file, dir) {
  const a = area(file)
  return a === dir || a.startsWith(`${dir}/`)
}

for (const [file, deps] of graph) {
  for (const dep of deps) {
    for (const [from, to, why] of FORBIDDEN) {
      if (!within(file, from)) continue
      const hit = to === '*' ? !within(dep, from) : within(dep, to)
      if (hit) problems.push(`${rel(file)} imports ${rel(dep)}: ${why}`)
    }
  }
}

// Cycles: Tarjan's strongly connected components over file imports.
let index = 0
const stack = []
const info = new Map()
function connect(v) {
  info.set(v, { index, low: index, on: true })
  index++
  stack.push(v)
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue
    if (!info.has(w)) {
      connect(w)
      info.get(v).low = Math.min(info.get(v).low, info.get(w).low)
    } else if (info.get(w).on) {
      info.get(v).low = Math.min(info.get(v).low, info.get(w).index)
    }
  }
  if (info.get(v).low === info.get(v).index) {
    const scc = []
    let w
    do {
      w = stack.pop()
      info.get(w).on = false
      scc.push(w)
    } while (w !== v)
    if (scc.length > 1) {
      problems.push(`import cycle: ${scc.map(rel).sort().join(' <-> ')}`)
    }
  }
}
for (const v of graph.keys()) if (!info.has(v)) connect(v)

// One file each for the process-level decisions.
const owners = [
  ['setFailed(', /\bsetFailed\s*\(/],
  ['process signal handlers', /process\.(?:on|once)\(\s*['"]SIG/]
]
for (const [what, pattern] of owners) {
  const where = all.filter((f) => pattern.test(readFileSync(f, 'utf8')))
  if (where.length > 1) {
    problems.push(
      `${what} in ${where.length} files: ${where.map(rel).join(', ')}`
    )
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(`check:layers: ${p}`)
  console.error(`check:layers: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log(
  `check:layers: ${all.length} files, no forbidden import, no cycle, none over ${MAX_LINES} lines`
)
