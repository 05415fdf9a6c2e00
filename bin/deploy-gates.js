#!/usr/bin/env node
// The deploy-gates CLI; the code lives in the bundled dist/cli/index.js.
import { runCli } from '../dist/cli/index.js'

process.exitCode = await runCli(process.argv.slice(2))
