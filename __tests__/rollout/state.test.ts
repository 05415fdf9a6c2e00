import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  fileStateStore,
  StateCorruptError,
  type RolloutState
} from '../../src/rollout/state.js'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'state-test-'))
  file = join(dir, 'deploy-gates', 'state.json')
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function state(over: Partial<RolloutState> = {}): RolloutState {
  return {
    version: 1,
    service: 'matches-api',
    environment: 'staging',
    rolloutVersion: 'v1.4.0',
    previousVersion: 'v1.3.9',
    sha: '0123456789abcdef0123456789abcdef01234567',
    startedAt: 1_790_000_000_000,
    updatedAt: 1_790_000_060_000,
    phase: 'running',
    changed: {
      migrated: true,
      migrationReversible: true,
      deployed: true,
      trafficWeight: 25
    },
    currentGate: 'canary',
    currentStep: 25,
    rollbackAttempts: 0,
    ...over
  }
}

describe('fileStateStore', () => {
  it('returns undefined for a missing file, and clear tolerates it', async () => {
    const store = fileStateStore(file)
    expect(await store.load()).toBeUndefined()
    await expect(store.clear()).resolves.toBeUndefined()
  })

  it('round-trips a state, creating the directory, and clears it', async () => {
    const store = fileStateStore(file)
    const s = state()
    await store.save(s)
    expect(await store.load()).toEqual(s)
    expect(statSync(file).mode & 0o777).toBe(0o600)

    const next = state({
      phase: 'rolling-back',
      rollbackAttempts: 1,
      result: 'rolled-back',
      previousVersion: undefined
    })
    delete next.previousVersion
    await store.save(next)
    expect(await fileStateStore(file).load()).toEqual(next)
    expect(readdirSync(join(dir, 'deploy-gates'))).toEqual(['state.json'])

    await store.clear()
    expect(await store.load()).toBeUndefined()
  })

  it('refuses to save an invalid state and keeps the old one', async () => {
    const store = fileStateStore(file)
    await store.save(state())
    const bad = state({
      changed: {
        migrated: false,
        migrationReversible: false,
        deployed: true,
        trafficWeight: 150
      }
    })
    await expect(store.save(bad)).rejects.toThrow(
      /invalid rollout state \(changed\.trafficWeight: /
    )
    expect(await store.load()).toEqual(state())
  })

  describe('atomicity', () => {
    it('a crash between write and rename leaves the old state', async () => {
      await fileStateStore(file).save(state())
      const renames: string[] = []
      const crashing = fileStateStore(file, {
        rename: (from) => {
          renames.push(from)
          // The temp file is complete and synced when the crash hits.
          expect(JSON.parse(readFileSync(from, 'utf8')).phase).toBe('done')
          return Promise.reject(
            Object.assign(new Error('simulated crash'), { code: 'EIO' })
          )
        }
      })
      await expect(crashing.save(state({ phase: 'done' }))).rejects.toThrow(
        `cannot save rollout state '${file}': EIO`
      )
      expect(renames).toHaveLength(1)
      expect(await fileStateStore(file).load()).toEqual(state())
      // A failed save removes its temp file.
      expect(readdirSync(join(dir, 'deploy-gates'))).toEqual(['state.json'])
    })

    it('ignores a temp file a killed process left, and clear removes it', async () => {
      const store = fileStateStore(file)
      await store.save(state())
      const leftover = join(dir, 'deploy-gates', 'state.json.tmp-999-abcd')
      writeFileSync(leftover, '{"version":1,"servi')
      expect(await store.load()).toEqual(state())
      await store.save(state({ rollbackAttempts: 2 }))
      expect((await store.load())?.rollbackAttempts).toBe(2)
      await store.clear()
      expect(existsSync(leftover)).toBe(false)
      expect(existsSync(file)).toBe(false)
    })
  })

  describe('a corrupt file', () => {
    it('is moved aside and refused with a clear error', async () => {
      await fileStateStore(file).save(state())
      writeFileSync(file, '{"version":1,"service":"matches-api",')
      const store = fileStateStore(file, { now: () => 1234 })
      const err = await store.load().then(
        () => undefined,
        (e: unknown) => e
      )
      expect(err).toBeInstanceOf(StateCorruptError)
      const moved = `${file}.corrupt-1234`
      expect((err as StateCorruptError).message).toBe(
        `rollout state '${file}' is corrupt (not valid JSON); moved to '${moved}'`
      )
      expect((err as StateCorruptError).movedTo).toBe(moved)
      expect(readFileSync(moved, 'utf8')).toContain('"service"')
      // The next run starts clean.
      expect(await store.load()).toBeUndefined()
      await store.save(state())
      expect(await store.load()).toEqual(state())
    })

    it('names the bad field of a well-formed but wrong state', async () => {
      const store = fileStateStore(join(dir, 'state.json'), { now: () => 7 })
      writeFileSync(
        join(dir, 'state.json'),
        JSON.stringify({ ...state(), phase: 'exploded' })
      )
      await expect(store.load()).rejects.toThrow(
        /is corrupt \(phase: .*\); moved to '.*state\.json\.corrupt-7'/
      )
    })

    it('treats an empty file as corrupt', async () => {
      const store = fileStateStore(join(dir, 'state.json'), { now: () => 8 })
      writeFileSync(join(dir, 'state.json'), '')
      await expect(store.load()).rejects.toThrow('(empty file)')
    })

    it('leaves a state of another version where it is', async () => {
      const path = join(dir, 'state.json')
      writeFileSync(path, JSON.stringify({ ...state(), version: 2 }))
      await expect(fileStateStore(path).load()).rejects.toThrow(
        `rollout state '${path}' has version '2'; this action reads version 1`
      )
      expect(existsSync(path)).toBe(true)
    })
  })
})
