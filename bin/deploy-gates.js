#!/usr/bin/env node
// The deploy-gates CLI; the code lives in the bundled dist/cli/index.js.
// This file checks the Node version first, in syntax every Node parses: the
// bundle needs a newer one (undici uses node:zlib's zstd), and loading it on
// an older Node ends in a stack trace instead of a sentence.
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8')
)
const needed = /(\d+)\.(\d+)\.(\d+)/.exec(pkg.engines.node)
const have = process.versions.node.split('.').map(Number)
const want = needed.slice(1).map(Number)
const older =
  have[0] !== want[0]
    ? have[0] < want[0]
    : have[1] !== want[1]
      ? have[1] < want[1]
      : have[2] < want[2]
if (older) {
  process.stderr.write(
    `deploy-gates: needs Node ${want.join('.')} or newer (package.json engines '${pkg.engines.node}'); this is Node ${process.versions.node}\n`
  )
  process.exit(2)
}
const { runCli, keepYoungGenerationSmall } =
  await import('../dist/cli/index.js')
keepYoungGenerationSmall()
process.exitCode = await runCli(process.argv.slice(2), undefined, {
  toolVersion: pkg.version
})
