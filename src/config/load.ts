/**
 * Loads the config file with source positions, so that every error can point
 * at `file:line:col` and become an annotation on that line. Limits apply
 * before and while parsing: a config is small, and a hostile one (an alias
 * bomb, a deep nest, a huge file) must be refused quickly and clearly.
 */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  visit,
  type Pair,
  type Document,
  type Node as YamlNode
} from 'yaml'
import type { z } from 'zod'
import { ConfigSchema, type Config } from './schema.js'
import { show } from './fields.js'
import { checkRules, type Path } from './rules.js'
import { checkSoakWatch } from './soak-watch-rules.js'
import { decodeUtf8 } from './utf8.js'
import { keyName, nodeProblems, readYaml } from './yaml-read.js'

export const LIMITS = {
  bytes: 1024 * 1024,
  aliases: 100,
  depth: 64,
  /**
   * Keys, values, items, anchors and tags in the file. The largest example
   * has under 2,000; the cap keeps the time to refuse a file of any size
   * well under a second (BENCHMARKS.md).
   */
  nodes: 25_000,
  /** Lines, for files of comments or blank lines (2,000 in the largest example is plenty). */
  lines: 50_000,
  /** Syntax errors before reading stops (20 are shown). */
  syntaxErrors: 1_000
} as const

/**
 * Characters YAML does not allow in a file (C0 but tab and line breaks,
 * DEL, C1 but NEL). An ESC in a value would reach the log as a terminal
 * escape sequence.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F]/

/** Errors shown per run; the rest are counted in one more line. */
export const MAX_ERRORS = 20

/**
 * One thing wrong in a config file and where: a value that loading
 * collects and every surface prints, not the thrown ConfigError of
 * kernel/errors.ts.
 */
export interface ConfigProblem {
  file: string
  /** 0 when the error concerns the file as a whole (missing, unreadable). */
  line: number
  col: number
  /** Key path such as `gates.canary.steps[2].weight`; '' for the file. */
  path: string
  message: string
}

export type LoadResult =
  | { ok: true; config: Config; file: string; digest: string; raw: unknown }
  | {
      ok: false
      /** At most MAX_ERRORS, in file order. */
      errors: ConfigProblem[]
      /** How many more were found and left out (see moreErrorsLine). */
      more?: number
    }

/** `file:line:col: path: message`, the one format every surface prints. */
export function formatConfigError(e: ConfigProblem): string {
  if (e.line === 0) return `${e.file}: ${e.message}`
  return `${e.file}:${e.line}:${e.col}: ${e.path ? `${e.path}: ` : ''}${e.message}`
}

/** Renders a key path the way users read it: `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else {
      const s = String(seg)
      out += /^[A-Za-z0-9_$-]+$/.test(s)
        ? out
          ? `.${s}`
          : s
        : `[${JSON.stringify(s)}]`
    }
  }
  return out
}

/** Reads and checks a config file; a missing or oversized file is an error too. */
export async function loadConfigFile(
  file: string,
  display = file
): Promise<LoadResult> {
  const at = (message: string, line = 0): LoadResult => ({
    ok: false,
    errors: [{ file: display, line, col: line, path: '', message }]
  })
  let size: number
  try {
    const st = await stat(file)
    if (!st.isFile()) return at(`config '${display}' is not a file`)
    size = st.size
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return at(
      code === 'ENOENT'
        ? `config file '${display}' not found (set the 'config' input or --config to its path)`
        : `cannot read config file '${display}': ${code ?? String(e)}`
    )
  }
  if (size > LIMITS.bytes) return at(tooBig(size), 1)
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (e) {
    return at(
      `cannot read config file '${display}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`
    )
  }
  return parseConfig(bytes, display)
}

function tooBig(bytes: number): string {
  return `config is ${(bytes / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB`
}

/** The line printed after the first MAX_ERRORS errors, for the rest. */
export function moreErrorsLine(more: number): string {
  return `${more} more error${more === 1 ? '' : 's'} not shown (fix the first ${MAX_ERRORS} and run again)`
}

/**
 * Keeps the first MAX_ERRORS errors in file order: ten thousand unknown
 * keys must not become ten thousand annotations and a megabyte of log.
 */
function capped(errors: ConfigProblem[], more = 0): LoadResult {
  const sorted = sortErrors(dedupe(errors))
  const extra = more + Math.max(0, sorted.length - MAX_ERRORS)
  return {
    ok: false,
    errors: sorted.slice(0, MAX_ERRORS),
    ...(extra > 0 ? { more: extra } : {})
  }
}

/**
 * Parses config text or bytes; `file` is only used to name positions.
 * Bytes must be UTF-8. Every limit is checked at a cost linear in the
 * input, and a stack overflow that slips past them still ends as one line.
 */
export function parseConfig(
  input: string | Uint8Array,
  file: string
): LoadResult {
  const overflow: LoadResult = {
    ok: false,
    errors: [
      {
        file,
        line: 1,
        col: 1,
        path: '',
        message:
          'config is too large or too deeply nested to read (Maximum call stack size exceeded)'
      }
    ]
  }
  try {
    const result = parseChecked(input, file)
    // The YAML composer catches what it runs into and reports it as a
    // syntax error at the node it was on; the cause is the same.
    if (!result.ok && result.errors.some((e) => OVERFLOW.test(e.message)))
      return overflow
    return result
  } catch (e) {
    if (e instanceof Error && OVERFLOW.test(e.message)) return overflow
    throw e
  }
}

/** How V8 words a full stack: RangeError, or SyntaxError from a regex. */
const OVERFLOW = /Maximum call stack size exceeded|: Stack overflow$/

function parseChecked(input: string | Uint8Array, file: string): LoadResult {
  const lines = new LineCounter()
  const errorAt = (
    offset: number,
    path: string,
    message: string
  ): ConfigProblem => {
    const pos = lines.linePos(Math.max(0, offset))
    return { file, line: pos.line, col: pos.col, path, message }
  }
  const fail = (errors: ConfigProblem[]): LoadResult => ({ ok: false, errors })
  const whole = (message: string, line = 1, col = 1): LoadResult =>
    fail([{ file, line, col, path: '', message }])

  const bytes =
    typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length
  if (bytes > LIMITS.bytes) return whole(tooBig(bytes))
  let text: string
  if (typeof input === 'string') text = input
  else {
    const decoded = decodeUtf8(input, 'config')
    if (!decoded.ok) return whole(decoded.message, decoded.line, decoded.col)
    text = decoded.text
  }
  const control = CONTROL.exec(text)
  if (control) {
    const before = text.slice(0, control.index)
    const line = before.split('\n').length
    const code = control[0].charCodeAt(0).toString(16).toUpperCase()
    return whole(
      `config contains the control character U+${code.padStart(4, '0')}; remove it (in a double-quoted string, write it as an escape)`,
      line,
      control.index - before.lastIndexOf('\n')
    )
  }
  if (
    text.trim() === '' ||
    text.split('\n').every((l) => /^\s*(#.*)?$/.test(l))
  ) {
    return whole('config is empty (start with `version: 1`)')
  }

  const read = readYaml(text, lines, LIMITS)
  if (!read.ok) return fail([errorAt(read.offset, '', read.message)])
  const list = read.docs
  if (list.length === 0) {
    return whole('config is empty (start with `version: 1`)')
  }
  if (list.length > 1) {
    return fail([
      errorAt(
        list[1].range[0],
        '',
        `expected one YAML document, found ${list.length} (remove the '---' separators)`
      )
    ])
  }
  const doc = list[0]
  const yamlErrors = [...doc.errors, ...doc.warnings]
  if (yamlErrors.length > 0) {
    return capped(
      yamlErrors.map((e) => errorAt(e.pos[0], '', yamlMessage(e.message)))
    )
  }
  const structural = checkStructure(doc)
  if (structural)
    return fail([errorAt(structural.offset, '', structural.message)])
  const found = nodeProblems(doc, text, MAX_ERRORS)
  if (found.problems.length > 0) {
    return capped(
      found.problems.map((p) =>
        errorAt(p.offset, formatPath(p.path), p.message)
      ),
      found.more
    )
  }

  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: LIMITS.aliases })
  } catch {
    return fail([
      errorAt(
        firstAlias(doc),
        '',
        `YAML aliases expand to too much data (more than ${LIMITS.aliases} alias uses); write the values out`
      )
    ])
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail([
      errorAt(
        doc.contents?.range[0] ?? 0,
        '',
        'the config must be a mapping of keys (version, service, environment, ...)'
      )
    ])
  }

  const parsed = ConfigSchema.safeParse(raw, { reportInput: true })
  const index = new WeakMap<object, Map<string, Pair>>()
  const locate = (path: Path, atKey: boolean): number =>
    locateOffset(doc, path, atKey, index)
  if (!parsed.success) {
    return capped(
      parsed.error.issues
        .flatMap((iss) => issueErrors(iss))
        .map((e) =>
          errorAt(locate(e.path, e.atKey), formatPath(e.path), e.message)
        )
    )
  }
  const ruleErrors = checkRules(parsed.data, raw)
  checkSoakWatch(parsed.data, (path, message) =>
    ruleErrors.push({ path, message })
  )
  if (ruleErrors.length > 0) {
    return capped(
      ruleErrors.map((e) =>
        errorAt(locate(e.path, e.atKey ?? false), formatPath(e.path), e.message)
      )
    )
  }
  const digest = createHash('sha256').update(text).digest('hex')
  return { ok: true, config: parsed.data, file, digest, raw }
}

function yamlMessage(message: string): string {
  const first = message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
  const tag = /^Unresolved tag: (.*)$/.exec(first)
  return tag ? `YAML tag '${tag[1]}' is not supported` : first
}

function firstAlias(doc: Document): number {
  let offset = 0
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0
      return visit.BREAK
    }
  })
  return offset
}

function checkStructure(
  doc: Document
): { offset: number; message: string } | undefined {
  let aliases = 0
  let problem: { offset: number; message: string } | undefined
  const anchors = new Set<string>()
  visit(doc, (_key, node, path) => {
    if ((isScalar(node) || isCollection(node)) && node.anchor) {
      anchors.add(node.anchor)
    }
    if (isAlias(node) && !anchors.has(node.source)) {
      problem = {
        offset: node.range?.[0] ?? 0,
        message: `alias '*${node.source}' refers to no anchor before it`
      }
      return visit.BREAK
    }
    if (isAlias(node)) {
      aliases += 1
      if (aliases > LIMITS.aliases) {
        problem = {
          offset: node.range?.[0] ?? 0,
          message: `more than ${LIMITS.aliases} YAML aliases`
        }
        return visit.BREAK
      }
    }
    if (isCollection(node)) {
      const depth = path.filter((p) => isCollection(p)).length + 1
      if (depth > LIMITS.depth) {
        problem = {
          offset: node.range?.[0] ?? 0,
          message: `nesting deeper than ${LIMITS.depth} levels`
        }
        return visit.BREAK
      }
    }
    if (
      isScalar(node) &&
      node.tag &&
      !node.tag.startsWith('tag:yaml.org,2002:')
    ) {
      problem = {
        offset: node.range?.[0] ?? 0,
        message: `YAML tag '${node.tag}' is not supported`
      }
      return visit.BREAK
    }
    return undefined
  })
  return problem
}

interface LocatedIssue {
  path: Path
  message: string
  atKey: boolean
}

/** Turns one zod issue into user errors (one per unknown key). */
function issueErrors(iss: z.core.$ZodIssue): LocatedIssue[] {
  const path = iss.path.filter(
    (p): p is string | number => typeof p !== 'symbol'
  )
  if (iss.code === 'unrecognized_keys') {
    const lines = iss.message.split('\n')
    return iss.keys.map((k, i) => ({
      path: [...path, k],
      message: lines[i] ?? `unknown key '${k}'`,
      atKey: true
    }))
  }
  if (iss.code === 'invalid_union' && iss.message === 'Invalid input') {
    // Prefer the branch that got furthest: its message is the useful one.
    // (deepest path first; at equal depth, a branch that took the value's
    // type and rejected its content).
    const score = (b: z.core.$ZodIssue[]): number =>
      depthOf(b) * 2 + (b.some((x) => x.code !== 'invalid_type') ? 1 : 0)
    const branches = iss.errors.filter((b) => b.length > 0)
    const best = branches.sort((a, b) => score(b) - score(a))[0]
    if (best && score(best) > 0) {
      return best.flatMap((inner) =>
        issueErrors({ ...inner, path: [...path, ...inner.path] })
      )
    }
    return [
      {
        path,
        message: `has an unexpected form (got ${show(iss.input)})`,
        atKey: false
      }
    ]
  }
  if (iss.code === 'invalid_key') {
    const inner = iss.issues[0]
    return [
      {
        path,
        message:
          inner && !inner.message.startsWith('Invalid')
            ? inner.message
            : `invalid name '${String(iss.input)}'`,
        atKey: true
      }
    ]
  }
  let message = iss.message
  if (iss.code === 'too_big' || iss.code === 'too_small') {
    if (message.startsWith('Too')) {
      const bound =
        iss.code === 'too_big'
          ? `at most ${String(iss.maximum)}`
          : `at least ${String(iss.minimum)}`
      message = `must be ${bound}, got ${show(iss.input)}`
    }
  } else if (
    iss.code === 'invalid_type' &&
    message.startsWith('Invalid input')
  ) {
    message =
      iss.input === undefined
        ? 'is required'
        : `expected ${TYPE_WORDS[iss.expected] ?? iss.expected}, got ${show(iss.input)}`
  } else if (iss.code === 'invalid_value' && message.startsWith('Invalid')) {
    message = `must be one of ${iss.values.map((v) => `'${String(v)}'`).join(', ')}, got ${show(iss.input)}`
  }
  return [{ path, message, atKey: false }]
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false'
}

function depthOf(issues: z.core.$ZodIssue[]): number {
  return Math.max(...issues.map((i) => i.path.length))
}

function dedupe(errors: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const k = formatConfigError(e)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function sortErrors(errors: ConfigProblem[]): ConfigProblem[] {
  return [...errors].sort((a, b) => a.line - b.line || a.col - b.col)
}

/**
 * Finds where a key path sits in the file, falling back to its parent.
 * Keys of each mapping are indexed once, so locating thousands of errors
 * in one large mapping stays linear.
 */
function locateOffset(
  doc: Document,
  path: Path,
  atKey: boolean,
  index: WeakMap<object, Map<string, Pair>>
): number {
  let node: unknown = doc.contents
  let offset = doc.contents?.range?.[0] ?? 0
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]
    const last = i === path.length - 1
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      let keys = index.get(node)
      if (!keys) {
        keys = new Map()
        for (const p of node.items) {
          const k = keyName(p.key)
          if (k !== undefined && !keys.has(k)) keys.set(k, p)
        }
        index.set(node, keys)
      }
      const pair = keys.get(String(seg))
      if (!pair) return offset
      const keyNode = pair.key as YamlNode | null
      const keyStart = keyNode?.range?.[0] ?? offset
      const value = pair.value as YamlNode | null
      if ((last && atKey) || !value?.range) return keyStart
      node = value
      offset = value.range[0]
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined
      if (!item?.range) return offset
      node = item
      offset = item.range[0]
    } else {
      return offset
    }
  }
  return offset
}
