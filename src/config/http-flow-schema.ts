/**
 * The parts of an HTTP probe that go beyond one request: values captured
 * from an answer for the requests after it (`steps`), and a burst of the
 * same request judged by how many answers carry a status (`burst`).
 */
import { z } from 'zod'
import { intBetween, obj, show, text } from './fields.js'
import { parsePercent } from './units.js'
import { parsePath } from '../kernel/jsonpath.js'

/** A JSON path checked at load time, so a typo never reaches a run. */
const jsonPath = text('a JSON path like $.data.id').superRefine((p, ctx) => {
  const r = parsePath(p)
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error })
})

/** Where a captured value comes from, and whether it must be masked. */
export type CaptureSource =
  | { from: 'json'; path: string; secret: boolean }
  | { from: 'header'; name: string; secret: boolean }

/**
 * `id: $.id` is shorthand for `id: { json: $.id }`. A capture marked
 * `secret: true` is masked in every log, reason and report from the moment
 * it is read.
 */
const capture = z.union(
  [
    jsonPath.transform((path): CaptureSource => ({
      from: 'json',
      path,
      secret: false
    })),
    obj({
      json: jsonPath,
      secret: z.boolean().default(false)
    }).transform((c): CaptureSource => ({
      from: 'json',
      path: c.json,
      secret: c.secret
    })),
    obj({
      header: text('a header name'),
      secret: z.boolean().default(false)
    }).transform((c): CaptureSource => ({
      from: 'header',
      name: c.header.toLowerCase(),
      secret: c.secret
    }))
  ],
  {
    error: (iss) =>
      `expected a JSON path, { json: <path> } or { header: <name> }, got ${show(iss.input)}`
  }
)

export const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

export const captures = z.record(
  z.string().regex(CAPTURE_NAME, {
    error: (iss) =>
      `invalid capture name ${show(iss.input)} (letters, digits, _ and -)`
  }),
  capture
)

/** A count (`1`) or a share of the requests (`2%`). */
export type Share = { count: number } | { ratio: number }

const share = z.union(
  [
    intBetween(0, 100_000).transform((count): Share => ({ count })),
    z.string().transform((s, ctx): Share => {
      const r = parsePercent(s)
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.error })
        return z.NEVER
      }
      return { ratio: r.value }
    })
  ],
  {
    error: (iss) =>
      `expected a count like 1 or a share like 5%, got ${show(iss.input)}`
  }
)

const statusCode = intBetween(100, 599)
const statusClass = z.string().regex(/^[1-5]xx$/, {
  error: (iss) =>
    `expected a status code or a class like '4xx', got ${show(iss.input)}`
})

export const burst = obj({
  requests: intBetween(1, 10_000),
  /** Requests in flight at once; default all of them, at most 100. */
  concurrency: intBetween(1, 1_000).optional(),
  /** Requests started per second; without it they all start at once. */
  rate: z
    .number()
    .positive({ error: 'must be above 0 (requests per second)' })
    .optional(),
  expect: obj({
    status: z
      .union(
        [statusCode, statusClass, z.array(z.union([statusCode, statusClass]))],
        {
          error: (iss) =>
            `expected a status code, a class like '4xx' or a list, got ${show(iss.input)}`
        }
      )
      .transform((v) => (Array.isArray(v) ? v : [v])),
    'at-least': share.optional(),
    'at-most': share.optional()
  })
})
