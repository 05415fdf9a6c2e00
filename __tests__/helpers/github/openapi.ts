/**
 * GitHub's published REST description (`@octokit/openapi`, api.github.com
 * only) turned into a router and request/response validators, so the API
 * stand-in can refuse any request that real GitHub would not understand.
 *
 * Only `generated/api.github.com.json` is read (13 MB, ~0.1 s): the package
 * index would load all ten descriptions (450 MB). The parsed description and
 * every compiled validator live in module-level caches, and schemas are
 * converted from OpenAPI 3.0 (`nullable`, `$ref` to components) and compiled
 * lazily, one operation at a time.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'

type Obj = Record<string, unknown>

interface RawParameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Obj
}

interface RawResponse {
  content?: Record<string, { schema?: Obj }>
}

interface RawSpec {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: {
    schemas: Record<string, Obj>
    parameters: Record<string, RawParameter>
    responses: Record<string, RawResponse>
  }
}

/** One route of the description, with its `$ref`s to parameters resolved. */
export interface Operation {
  operationId: string
  /** Upper-case HTTP method. */
  method: string
  /** The path template, e.g. `/repos/{owner}/{repo}/check-runs`. */
  template: string
  /** Literal segments as strings, templated ones as `{ param }`. */
  segments: (string | { param: string })[]
  pathParams: RawParameter[]
  queryParams: RawParameter[]
  /** JSON request body schema (raw OpenAPI), if the operation takes one. */
  body: { required: boolean; schema: Obj | null; types: string[] } | null
  /** Raw JSON response schema per status code (null: no JSON body). */
  responses: Map<number, Obj | null>
}

export type RouteMatch =
  | { kind: 'ok'; op: Operation; params: Record<string, string> }
  | { kind: 'method'; template: string; allowed: string[] }
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string }

/** A problem with a request, phrased for a test failure message. */
export interface RequestProblem {
  /** 404 for path problems, 400 for unparsable JSON, 422 otherwise. */
  status: 400 | 404 | 415 | 422
  message: string
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head'])

let specCache: RawSpec | null = null
let loadMsCache = 0

/** Absolute path of the one description file we read. */
export function specPath(): string {
  return createRequire(import.meta.url).resolve(
    '@octokit/openapi/generated/api.github.com.json'
  )
}

/** Parses the description once per module instance (jest: per test file). */
export function loadSpec(): RawSpec {
  if (specCache) return specCache
  const t0 = performance.now()
  specCache = JSON.parse(readFileSync(specPath(), 'utf8')) as RawSpec
  loadMsCache = performance.now() - t0
  return specCache
}

/** Milliseconds the first `loadSpec()` took in this module instance. */
export function specLoadMs(): number {
  return loadMsCache
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1)
}

// Keywords that only document: dropped so ajv never sees them.
const DROP = new Set([
  'example',
  'examples',
  'description',
  'title',
  'externalDocs',
  'xml',
  'discriminator',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable'
])
const RAW_KEYS = new Set(['enum', 'default', 'required', 'const'])

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes an `anyOf`
 * with null (so nullable enums accept null), component refs become `gh:NAME`
 * and are collected in `refs` so only reachable components get added.
 */
function convert(node: unknown, refs: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, refs))
  if (!isObj(node)) return node
  if (typeof node.$ref === 'string') {
    const name = refName(node.$ref)
    refs.add(name)
    return { $ref: `gh:${name}` }
  }
  const out: Obj = {}
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k) || k.startsWith('x-')) continue
    if ((k === 'properties' || k === 'patternProperties') && isObj(v)) {
      const props: Obj = {}
      for (const [p, s] of Object.entries(v)) props[p] = convert(s, refs)
      out[k] = props
    } else if (RAW_KEYS.has(k)) {
      out[k] = v
    } else {
      out[k] = convert(v, refs)
    }
  }
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out
}

const DATE_TIME =
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)$/i

class Validators {
  private readonly ajv: Ajv
  private readonly added = new Set<string>()
  private readonly cache = new Map<string, ValidateFunction>()
  private readonly routes = new Map<number, Operation[]>()
  private readonly byId = new Map<string, Operation>()
  private readonly spec: RawSpec
  compileMs = 0

  constructor(spec: RawSpec) {
    this.spec = spec
    this.ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: true,
      formats: {
        'date-time': DATE_TIME,
        date: /^\d{4}-\d\d-\d\d$/,
        // Loose on purpose: GitHub itself answers '' for unset URLs.
        uri: /^(?:$|[a-z][a-z0-9+.-]*:\S*)$/i,
        'uri-template': true,
        email: true,
        int32: true,
        int64: true,
        double: true,
        binary: true,
        'repo.nwo': true
      }
    })
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const [m, raw] of Object.entries(item)) {
        if (!HTTP_METHODS.has(m) || !isObj(raw)) continue
        const op = this.buildOperation(template, m.toUpperCase(), raw)
        const list = this.routes.get(op.segments.length) ?? []
        list.push(op)
        this.routes.set(op.segments.length, list)
        this.byId.set(op.operationId, op)
      }
    }
  }

  operation(operationId: string): Operation | undefined {
    return this.byId.get(operationId)
  }

  private buildOperation(
    template: string,
    method: string,
    raw: Obj
  ): Operation {
    const params = ((raw.parameters as unknown[] | undefined) ?? []).map(
      (p): RawParameter =>
        isObj(p) && typeof p.$ref === 'string'
          ? this.spec.components.parameters[refName(p.$ref)]
          : (p as RawParameter)
    )
    const segments = template
      .split('/')
      .slice(1)
      .map((s) => {
        const m = /^\{(\w+)\}$/.exec(s)
        return m ? { param: m[1] } : s
      })
    let body: Operation['body'] = null
    if (isObj(raw.requestBody)) {
      const content = (raw.requestBody.content ?? {}) as Record<
        string,
        { schema?: Obj }
      >
      body = {
        required: raw.requestBody.required === true,
        schema: content['application/json']?.schema ?? null,
        types: Object.keys(content)
      }
    }
    const responses = new Map<number, Obj | null>()
    for (const [code, r] of Object.entries(
      (raw.responses ?? {}) as Record<string, Obj>
    )) {
      const resp: RawResponse =
        typeof r.$ref === 'string'
          ? this.spec.components.responses[refName(r.$ref)]
          : r
      const schema = resp.content?.['application/json']?.schema ?? null
      responses.set(Number(code), schema)
    }
    return {
      operationId: String(raw.operationId),
      method,
      template,
      segments,
      pathParams: params.filter((p) => p.in === 'path'),
      queryParams: params.filter((p) => p.in === 'query'),
      body,
      responses
    }
  }

  /**
   * Finds the operation for a raw (still percent-encoded) path. Among
   * templates that fit, a literal segment beats a parameter at the first
   * place where they differ, as GitHub's router does.
   */
  match(method: string, rawPath: string): RouteMatch {
    const parts = rawPath.split('/').slice(1)
    let decoded: string[]
    try {
      decoded = parts.map((p) => decodeURIComponent(p))
    } catch {
      return {
        kind: 'malformed',
        reason: `bad percent-encoding in '${rawPath}'`
      }
    }
    const fits: Operation[] = []
    for (const op of this.routes.get(parts.length) ?? []) {
      if (
        op.segments.every((s, i) =>
          typeof s === 'string' ? s === decoded[i] : decoded[i] !== ''
        )
      ) {
        fits.push(op)
      }
    }
    if (fits.length === 0) return { kind: 'none' }
    const literalness = (op: Operation): string =>
      op.segments.map((s) => (typeof s === 'string' ? '1' : '0')).join('')
    fits.sort((a, b) => (literalness(a) < literalness(b) ? 1 : -1))
    const best = literalness(fits[0])
    const same = fits.filter((op) => literalness(op) === best)
    const op = same.find((o) => o.method === method)
    if (!op) {
      return {
        kind: 'method',
        template: same[0].template,
        allowed: same.map((o) => o.method)
      }
    }
    const params: Record<string, string> = {}
    op.segments.forEach((s, i) => {
      if (typeof s !== 'string') params[s.param] = decoded[i]
    })
    return { kind: 'ok', op, params }
  }

  private compile(key: string, raw: Obj): ValidateFunction {
    const hit = this.cache.get(key)
    if (hit) return hit
    const t0 = performance.now()
    const refs = new Set<string>()
    const schema = convert(raw, refs) as Obj
    // Add every component reachable from this schema, once per process.
    const pending = [...refs]
    while (pending.length > 0) {
      const name = pending.pop() as string
      if (this.added.has(name)) continue
      this.added.add(name)
      const more = new Set<string>()
      const converted = convert(this.spec.components.schemas[name], more)
      this.ajv.addSchema(converted as Obj, `gh:${name}`)
      for (const r of more) if (!this.added.has(r)) pending.push(r)
    }
    const fn = this.ajv.compile(schema)
    this.cache.set(key, fn)
    this.compileMs += performance.now() - t0
    return fn
  }

  validateRequest(
    op: Operation,
    params: Record<string, string>,
    query: URLSearchParams,
    contentType: string | undefined,
    bodyText: string
  ): { problems: RequestProblem[]; body: unknown } {
    const problems: RequestProblem[] = []
    const id = op.operationId
    for (const p of op.pathParams) {
      const err = this.checkParam(op, p, params[p.name], 'path')
      if (err) problems.push({ status: 404, message: `${id}: ${err}` })
    }
    const declared = new Set(op.queryParams.map((p) => p.name))
    for (const name of new Set(query.keys())) {
      if (!declared.has(name)) {
        problems.push({
          status: 422,
          message: `${id}: unknown query parameter '${name}' (declared: ${[...declared].join(', ') || 'none'})`
        })
      }
    }
    for (const p of op.queryParams) {
      const value = query.get(p.name)
      if (value === null) {
        if (p.required) {
          problems.push({
            status: 422,
            message: `${id}: missing required query parameter '${p.name}'`
          })
        }
        continue
      }
      const err = this.checkParam(op, p, value, 'query')
      if (err) problems.push({ status: 422, message: `${id}: ${err}` })
    }
    let body: unknown = undefined
    const hasBody = bodyText.trim() !== ''
    if (hasBody) {
      const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
      // GitHub reads a JSON body whatever the content-type says (fetch sends
      // text/plain for a string body), so only non-JSON operations care.
      const json = op.body?.types.includes('application/json') ?? true
      if (op.body && !json) {
        if (!op.body.types.includes(type)) {
          problems.push({
            status: 415,
            message: `${id}: content-type '${type}' not accepted (expected ${op.body.types.join(', ')})`
          })
        }
        return { problems, body: bodyText }
      }
      try {
        body = JSON.parse(bodyText) as unknown
      } catch {
        problems.push({
          status: 400,
          message: `${id}: body is not valid JSON`
        })
        return { problems, body }
      }
    }
    if (!op.body) {
      if (hasBody && !(isObj(body) && Object.keys(body).length === 0)) {
        problems.push({
          status: 422,
          message: `${id}: takes no request body but got ${describe(body)}`
        })
      }
      return { problems, body }
    }
    if (!hasBody) {
      if (op.body.required) {
        problems.push({ status: 422, message: `${id}: request body required` })
      }
      return { problems, body }
    }
    if (!op.body.schema) return { problems, body }
    const validate = this.compile(`${id} body`, op.body.schema)
    if (!validate(body)) {
      problems.push({
        status: 422,
        message: `${id}: ${formatErrors(validate.errors ?? [], body, 'body')}`
      })
    }
    for (const extra of this.unknownProperties(op.body.schema, body)) {
      problems.push({
        status: 422,
        message: `${id}: body has unknown property '${extra}'`
      })
    }
    return { problems, body }
  }

  /**
   * Top-level body properties the schema does not declare: Octokit sends
   * unknown parameters in the body and GitHub silently ignores them, so a
   * misspelt field would otherwise go unnoticed.
   */
  private unknownProperties(schema: Obj, body: unknown): string[] {
    if (!isObj(body)) return []
    const root = this.deref(schema)
    if (root.additionalProperties !== undefined) return []
    const allowed = new Set<string>()
    const collect = (s: Obj): void => {
      const d = this.deref(s)
      if (isObj(d.properties)) {
        for (const k of Object.keys(d.properties)) allowed.add(k)
      }
      for (const key of ['allOf', 'anyOf', 'oneOf']) {
        const list = d[key]
        if (Array.isArray(list)) for (const b of list) if (isObj(b)) collect(b)
      }
    }
    collect(root)
    if (allowed.size === 0) return []
    return Object.keys(body).filter((k) => !allowed.has(k))
  }

  private deref(s: Obj): Obj {
    return typeof s.$ref === 'string'
      ? this.spec.components.schemas[refName(s.$ref)]
      : s
  }

  private checkParam(
    op: Operation,
    p: RawParameter,
    value: string | undefined,
    where: 'path' | 'query'
  ): string | null {
    if (value === undefined) return `missing ${where} parameter '${p.name}'`
    const schema = p.schema ?? {}
    const type = schema.type
    let coerced: unknown = value
    if (type === 'integer') {
      if (!/^-?\d+$/.test(value)) {
        return `${where} parameter '${p.name}' must be an integer (got '${value}')`
      }
      coerced = Number(value)
    } else if (type === 'number') {
      coerced = Number(value)
      if (value.trim() === '' || !Number.isFinite(coerced)) {
        return `${where} parameter '${p.name}' must be a number (got '${value}')`
      }
    } else if (type === 'boolean') {
      if (value !== 'true' && value !== 'false') {
        return `${where} parameter '${p.name}' must be true or false (got '${value}')`
      }
      coerced = value === 'true'
    } else if (type === 'array') {
      coerced = value.split(',')
    }
    const validate = this.compile(
      `${op.operationId} ${where} ${p.name}`,
      schema
    )
    if (validate(coerced)) return null
    return formatErrors(
      validate.errors ?? [],
      coerced,
      `${where} parameter '${p.name}'`
    )
  }

  /** Checks a JSON body we answer with; null when valid or not described. */
  validateResponse(
    op: Operation,
    status: number,
    body: unknown
  ): string | null {
    if (!op.responses.has(status)) {
      return status >= 200 && status < 300
        ? `${op.operationId}: status ${status} is not declared (declared: ${[...op.responses.keys()].join(', ')})`
        : null
    }
    const schema = op.responses.get(status)
    if (!schema) return null
    const validate = this.compile(`${op.operationId} ${status}`, schema)
    if (validate(body)) return null
    return `${op.operationId}: response ${status} ${formatErrors(validate.errors ?? [], body, 'body')}`
  }
}

function describe(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))
  return `'${s.length > 60 ? `${s.slice(0, 57)}...` : s}'`
}

function pick(data: unknown, pointer: string): unknown {
  let cur = data
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(cur)) cur = cur[Number(key)]
    else if (isObj(cur)) cur = cur[key]
    else return undefined
  }
  return cur
}

/**
 * ajv errors → one line: specific errors first (anyOf/oneOf summaries last),
 * each with the JSON pointer, what was expected and the value we got.
 */
export function formatErrors(
  errors: ErrorObject[],
  data: unknown,
  label: string
): string {
  const summary = new Set(['anyOf', 'oneOf', 'if'])
  const sorted = [...errors].sort(
    (a, b) => Number(summary.has(a.keyword)) - Number(summary.has(b.keyword))
  )
  const seen = new Set<string>()
  const parts: string[] = []
  for (const e of sorted) {
    const where = `${label}${e.instancePath}`
    let text: string
    if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
      text = `${where} must be one of ${allowed.map((v) => `'${String(v)}'`).join(', ')} (got ${describe(pick(data, e.instancePath))})`
    } else if (e.keyword === 'type' || e.keyword === 'format') {
      text = `${where} ${e.message ?? 'is invalid'} (got ${describe(pick(data, e.instancePath))})`
    } else {
      text = `${where} ${e.message ?? 'is invalid'}`
    }
    if (seen.has(text)) continue
    seen.add(text)
    parts.push(text)
  }
  const shown = parts.slice(0, 4)
  if (parts.length > 4) shown.push(`and ${parts.length - 4} more`)
  return shown.join('; ')
}

let validatorsCache: Validators | null = null

/** The shared router/validator over the api.github.com description. */
export function openApi(): Validators {
  validatorsCache ??= new Validators(loadSpec())
  return validatorsCache
}

export type { Validators }
