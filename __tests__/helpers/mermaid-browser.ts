/**
 * Renders Mermaid blocks the way GitHub does: the `mermaid` package in a
 * real browser (headless Chromium, the Debian package), so a chart that
 * does not parse or draw fails a test instead of a pull request.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser'
]

export const CHROMIUM_MISSING =
  'headless Chromium not found: install the Debian package (apt-get install chromium) or set CHROMIUM_PATH'

/** The Chromium binary, when one is installed. */
export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p))
}

/** Every ```mermaid block of a markdown text, without its fences. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map(
    (m) => m[1]
  )
}

export interface Rendered {
  /** The SVG Mermaid drew, or undefined when it failed. */
  svg?: string
  error?: string
}

export class MermaidBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly page: Page
  ) {}

  static async start(executablePath: string): Promise<MermaidBrowser> {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      // Puppeteer's 30 s default is too short for a loaded 2-core machine.
      timeout: 180_000,
      protocolTimeout: 180_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run'
      ]
    })
    try {
      const page = await browser.newPage()
      page.setDefaultTimeout(180_000)
      await page.goto('about:blank')
      const require = createRequire(import.meta.url)
      await page.addScriptTag({
        path: require.resolve('mermaid/dist/mermaid.min.js')
      })
      await page.evaluate(() => {
        const w = globalThis as unknown as {
          mermaid: { initialize(c: object): void }
        }
        w.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })
      })
      return new MermaidBrowser(browser, page)
    } catch (e) {
      await browser.close()
      throw e
    }
  }

  /** Parses and draws one block; a parse or render error is returned. */
  async render(text: string, id: string): Promise<Rendered> {
    return this.page.evaluate(
      async (source: string, name: string): Promise<Rendered> => {
        const m = (
          globalThis as unknown as {
            mermaid: {
              parse(t: string): Promise<unknown>
              render(id: string, t: string): Promise<{ svg: string }>
            }
          }
        ).mermaid
        try {
          await m.parse(source)
          const { svg } = await m.render(name, source)
          return { svg }
        } catch (e) {
          return { error: e instanceof Error ? e.message : String(e) }
        }
      },
      text,
      id
    )
  }

  async close(): Promise<void> {
    await this.browser.close()
  }
}
