// Jest's globalTeardown: removes the run's temporary directory (see
// scripts/jest-tmp-setup.js).
import { rmSync } from 'node:fs'

export default function teardown() {
  const dir = process.env.DEPLOY_GATES_TEST_TMPDIR
  if (dir) rmSync(dir, { recursive: true, force: true })
}
