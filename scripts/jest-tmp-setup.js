// Jest's globalSetup: every suite's temporary files (workspaces, runner temp
// directories, servers' data and sockets) go under one directory of this
// run, which scripts/jest-tmp-teardown.js removes when the run ends, whatever
// a suite forgot. The workers and the processes they start inherit TMPDIR.
import { chmodSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'dg-jest-'))
  // Like /tmp: servers the e2e tests start under their own user (PostgreSQL
  // as postgres) reach their directories in it.
  chmodSync(dir, 0o1777)
  process.env.DEPLOY_GATES_TEST_TMPDIR = dir
  process.env.TMPDIR = dir
}
