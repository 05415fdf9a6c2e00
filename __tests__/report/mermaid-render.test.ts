/**
 * Every Mermaid block the reports emit renders in a real browser: the
 * markdown of real rollouts (a promoted one and one rolled back) and of a
 * soak and a per-step report, drawn by the `mermaid` package in headless
 * Chromium. A parse or render error fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { renderMarkdown } from '../../src/report/markdown.js'
import type { RolloutReport } from '../../src/rollout/events.js'
import { baseYaml, scenario } from '../helpers/scenario.js'
import {
  CHROMIUM_MISSING,
  findChromium,
  MermaidBrowser,
  mermaidBlocks
} from '../helpers/mermaid-browser.js'

/**
 * Chromium's start and first render take seconds on an idle machine and far
 * longer on a loaded one; no verdict here depends on time, so wait widely.
 */
const RENDER_MS = 240_000

const chromium = findChromium()
const onCi = process.env.CI === 'true'

if (chromium === undefined && onCi) {
  describe('report charts in headless Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(CHROMIUM_MISSING)
    })
  })
} else if (chromium === undefined) {
  console.warn(`skipping chart rendering tests: ${CHROMIUM_MISSING}`)
  describe.skip('report charts in headless Chromium', () => {
    it('needs Chromium', () => undefined)
  })
} else {
  renderTests(chromium)
}

const RED = '#d62728'
const BLUE = '#1f77b4'
const GREY = '#7f7f7f'

/** A report around gates, for the shapes no scenario here produces. */
function reportOf(partial: Partial<RolloutReport>): RolloutReport {
  return {
    service: 'api',
    environment: 'staging',
    version: 'v2',
    sha: 'abc',
    result: 'passed',
    reason: 'every gate passed',
    startedAt: 0,
    endedAt: 60_000,
    gates: [],
    chart: [],
    timeline: [],
    ...partial
  }
}

function renderTests(executable: string): void {
  describe('report charts in headless Chromium', () => {
    let browser: MermaidBrowser
    let rendered = 0

    beforeAll(async () => {
      browser = await MermaidBrowser.start(executable)
    }, RENDER_MS)

    afterAll(async () => {
      await browser?.close()
    })

    /** Renders every block of a report; returns the SVGs. */
    const renderAll = async (markdown: string): Promise<string[]> => {
      const blocks = mermaidBlocks(markdown)
      const svgs: string[] = []
      for (const b of blocks) {
        const r = await browser.render(b, `chart${rendered++}`)
        if (r.error !== undefined) {
          throw new Error(`mermaid could not render:\n${b}\n→ ${r.error}`)
        }
        svgs.push(r.svg ?? '')
      }
      return svgs
    }

    it(
      'fails on a block Mermaid cannot parse (the check can fail)',
      async () => {
        const r = await browser.render(
          'xychart-beta\n  line [1, two, 3]',
          'broken'
        )
        expect(r.error).toBeDefined()
        expect(r.svg).toBeUndefined()
      },
      RENDER_MS
    )

    it(
      'draws each bake of a promoted rollout look by look',
      async () => {
        const run = await scenario({
          canary: { errorRate: 0, latencyMs: 5 },
          stable: { errorRate: 0, latencyMs: 5 },
          yaml: (u) => baseYaml(u, { bake: '3m' })
        })
        expect(run.report.result).toBe('promoted')
        const bakes = run.report.gates.filter((g) => g.series)
        expect(bakes.map((g) => g.step)).toEqual([10, 50])
        const markdown = renderMarkdown(run.report)
        const blocks = mermaidBlocks(markdown)
        // One chart per metric (error-rate, p95) per bake.
        expect(blocks).toHaveLength(4)
        for (const b of blocks) {
          const line = b.match(/^ {2}line \[(.*)\]$/m)
          // A 3-minute bake at 1 s is ~180 looks, drawn as at most 40 points.
          expect(line?.[1].split(', ').length).toBeLessThanOrEqual(40)
          expect(line?.[1].split(', ').length).toBeGreaterThan(20)
          expect(b).toContain(`"plotColorPalette": "${RED}, ${BLUE}, ${GREY}"`)
        }
        expect(markdown).toContain(
          'canary (red) vs baseline (blue), fail threshold (grey)'
        )
        const svgs = await renderAll(markdown)
        for (const svg of svgs) {
          for (const colour of [RED, BLUE, GREY]) {
            expect(svg.toLowerCase()).toContain(colour)
          }
        }
      },
      RENDER_MS
    )

    it(
      'draws the bake of a rolled-back rollout up to its early fail',
      async () => {
        const run = await scenario({
          canary: { errorRate: 0.3, latencyMs: 2 },
          stable: { errorRate: 0, latencyMs: 2 },
          yaml: (u) => baseYaml(u, { bake: '10m' })
        })
        expect(run.report.result).toBe('rolled-back')
        const markdown = renderMarkdown(run.report)
        const blocks = mermaidBlocks(markdown)
        expect(blocks.length).toBeGreaterThanOrEqual(1)
        const errors = blocks.find((b) => b.includes('error-rate, canary 10%'))
        expect(errors).toBeDefined()
        await renderAll(markdown)
      },
      RENDER_MS
    )

    it(
      'draws a soak without a baseline and the per-step chart',
      async () => {
        const soak = reportOf({
          gates: [
            {
              gate: 'soak',
              outcome: 'passed',
              reason: 'passed',
              startedAt: 0,
              endedAt: 600_000,
              findings: [],
              series: {
                at: Array.from({ length: 61 }, (_, i) => i * 10_000),
                metrics: [
                  {
                    name: 'memory',
                    kind: 'number',
                    source: 'external',
                    canary: Array.from({ length: 61 }, (_, i) => 200 + i * 1.5),
                    threshold: Array.from({ length: 61 }, () => 400)
                  }
                ]
              }
            }
          ]
        })
        const steps = reportOf({
          chart: [
            {
              weight: 10,
              canary: { errorRate: 0.004, p95Ms: 182 },
              baseline: { errorRate: 0.003, p95Ms: 176 }
            },
            {
              weight: 25,
              canary: { errorRate: 0.07, p95Ms: 410 },
              baseline: { errorRate: 0.004, p95Ms: 178 }
            }
          ]
        })
        const soakMd = renderMarkdown(soak)
        expect(soakMd).toContain('canary (red), fail threshold (grey)')
        expect(mermaidBlocks(soakMd)).toHaveLength(1)
        const stepMd = renderMarkdown(steps)
        expect(mermaidBlocks(stepMd)).toHaveLength(2)
        await renderAll(soakMd)
        await renderAll(stepMd)
      },
      RENDER_MS
    )
  })
}
