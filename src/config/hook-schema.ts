/**
 * Hooks and confirm (DESIGN.md §3, §4): calls the rollout makes at gate and
 * step starts and ends, and the external yes a gate or a canary step waits
 * for before it changes anything. Kept apart from schema.ts, which imports
 * these pieces and adds only their keys.
 */
import { z } from 'zod'
import { duration, interval, json, name, obj, show, text } from './fields.js'
import { parsePath } from '../kernel/jsonpath.js'

/** The moments a hook can be called at, in the order they happen. */
export const HOOK_EVENTS = [
  'gate-start',
  'gate-end',
  'step-start',
  'step-end'
] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]

const GATE_NAMES = [
  'preflight',
  'migrate',
  'deploy',
  'health',
  'smoke',
  'canary',
  'soak',
  'promote',
  'watch'
] as const

const hookHeaders = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
    error: (iss) => `invalid header name ${show(iss.input)}`
  }),
  z.string({
    error: (iss) => `expected a header value (a string), got ${show(iss.input)}`
  })
)

/** Where a hook or a confirm sends its request. */
const target = obj({
  url: text('a URL'),
  headers: hookHeaders.optional()
})

const eventName = z.enum(HOOK_EVENTS, {
  error: (iss) =>
    `unknown event ${show(iss.input)} (use ${HOOK_EVENTS.join(', ')})`
})

const onFailure = z.enum(['warn', 'fail'], {
  error: (iss) => `must be 'warn' or 'fail', got ${show(iss.input)}`
})

/**
 * One hook: a command (the event as JSON in `DEPLOY_GATES_EVENT`) or an
 * HTTP POST (the event as the JSON body), at the events it lists.
 */
export const hook = obj({
  on: z
    .array(eventName)
    .min(1, { error: 'must list at least one event' })
    .default([...HOOK_EVENTS]),
  gates: z
    .array(
      z.enum(GATE_NAMES, {
        error: (iss) => `unknown gate ${show(iss.input)}`
      })
    )
    .optional(),
  run: text('a command').optional(),
  http: target.optional(),
  timeout: duration().default(30_000),
  'on-failure': onFailure.default('warn')
}).superRefine((h, ctx) => {
  if ((h.run === undefined) === (h.http === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: 'a hook needs exactly one of run or http',
      input: h
    })
  }
})

export const hooks = z.record(name('hook'), hook)

/**
 * What a gate or a step waits for: a URL or a command asked every
 * `interval` until it says yes or no, or `timeout` runs out.
 */
export const confirm = obj({
  name: name('confirm').default('confirm'),
  run: text('a command').optional(),
  http: target.optional(),
  /** A JSON path into the answer; without it the status is the answer. */
  path: text('a JSON path like approved').optional(),
  /** The answer that means yes: a JSON value, a status or an exit code. */
  yes: json().optional(),
  /** The answer that means no; anything else keeps waiting. */
  no: json().optional(),
  interval: interval().default(30_000),
  timeout: duration().default(60 * 60_000),
  'on-timeout': z
    .enum(['fail', 'continue'], {
      error: (iss) => `must be 'fail' or 'continue', got ${show(iss.input)}`
    })
    .default('fail')
}).superRefine((c, ctx) => {
  if ((c.run === undefined) === (c.http === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: 'confirm needs exactly one of run or http',
      input: c
    })
  }
  if (c.path !== undefined) {
    const p = parsePath(c.path)
    if (!p.ok) {
      ctx.addIssue({ code: 'custom', message: p.error, path: ['path'] })
    }
    if (c.run !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'path reads an HTTP answer; a command answers by exit code',
        path: ['path']
      })
    }
  }
  const statusLike = c.run !== undefined || c.path === undefined
  for (const k of ['yes', 'no'] as const) {
    const v = c[k]
    if (statusLike && v !== undefined && !Number.isInteger(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${c.run !== undefined ? 'an exit code' : 'a status code'}, got ${show(v)}`,
        path: [k]
      })
    }
  }
})

export type HookConfig = z.output<typeof hook>
export type HooksConfig = z.output<typeof hooks>
export type ConfirmConfig = z.output<typeof confirm>
