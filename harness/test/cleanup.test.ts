import type { LogEntry, RunOutcome } from './test-utils.ts'
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

const deletes = (run: RunOutcome, prefix: string) =>
  run.events('delete').map((e: LogEntry) => `${String(e.id)} ${String(e.outcome)}`).filter((line) => line.includes(`:${prefix}-`))

describe('harmful() cleanup under the runner', () => {
  let run: RunOutcome
  beforeAll(async () => {
    run = await runFixtures({ files: ['cleanup.fixture.ts', 'leak.fixture.ts'] })
  })

  test('after a passing test its rows are deleted, children first', () => {
    expect(run.test('passes').state).toBe('passed')
    expect(deletes(run, 'pass')).toEqual(['projects:pass-p deleted', 'organizations:pass-o deleted'])
    expect(run.test('passes').meta.harmful).toMatchObject({ scope: 'test', tracked: 2, deleted: 2, leaks: [] })
  })

  test('after a thrown error the rows are deleted and the error is kept', () => {
    const failed = run.test('throws')
    expect(failed.state).toBe('failed')
    expect(failed.errors).toEqual(['Error: boom after creating rows'])
    expect(deletes(run, 'throw')).toEqual(['projects:throw-p deleted', 'organizations:throw-o deleted'])
  })

  test('after a timeout the rows are deleted, and a row tracked by the still-running body is removed at file end', () => {
    const timedOut = run.test('times out')
    expect(timedOut.state).toBe('failed')
    expect(timedOut.errors[0]).toMatch(/timed out in 200ms/)
    expect(deletes(run, 'slow')).toEqual(['projects:slow-p deleted', 'organizations:slow-o deleted', 'organizations:slow-late deleted'])
    // The late row was tracked after the test's cleanup and before the file ended.
    const kinds = run.log.map((e) => (e.kind === 'delete' ? String(e.id) : e.kind))
    expect(kinds.indexOf('organizations:slow-o')).toBeLessThan(kinds.indexOf('timeout-body-resumed'))
    expect(kinds.indexOf('timeout-body-resumed')).toBeLessThan(kinds.indexOf('organizations:slow-late'))
    const file = run.modules.find((m) => m.file.endsWith('cleanup.fixture.ts'))
    expect(file?.meta.harmful).toMatchObject({ scope: 'late', tracked: 1, deleted: 1 })
  })

  test('newest first, but children before parents even when a parent is newer', () => {
    expect(deletes(run, 'fk')).toEqual([
      'documents:fk-d2 deleted',
      'documents:fk-d1 deleted',
      'projects:fk-p2 deleted',
      'projects:fk-p1 deleted',
      'organizations:fk-o deleted',
    ])
  })

  test('a row already gone counts as missing, not as a leak; soft rows are deleted softly', () => {
    expect(run.test('soft rows and rows the test deleted itself').meta.harmful).toMatchObject({ tracked: 2, deleted: 1, missing: 1, leaks: [] })
    expect(run.events('delete').find((e) => e.id === 'organizations:soft-gone')).toMatchObject({ mode: 'soft', outcome: 'missing' })
  })

  test('leaks are reported with their keys; the other rows are still deleted; the test passes without --fail-on-leak', () => {
    const leaky = run.test('leaks one row')
    expect(leaky.state).toBe('passed')
    expect(leaky.meta.harmful).toMatchObject({
      tracked: 4,
      deleted: 2,
      leaks: [
        { table: 'audit_log', key: 'a-43', reason: 'permission denied for table audit_log' },
        { table: 'audit_log', key: 'a-42', reason: 'permission denied for table audit_log' },
      ],
    })
    expect(deletes(run, 'leak')).toEqual(['projects:leak-p deleted', 'organizations:leak-o deleted'])
  })
})

test('with --fail-on-leak (ATOMS_FAIL_ON_LEAK=1) a leaking test fails with one error per leaked row', async () => {
  const run = await runFixtures({ files: ['leak.fixture.ts'], env: { ATOMS_FAIL_ON_LEAK: '1' } })
  const leaky = run.test('leaks one row')
  expect(leaky.state).toBe('failed')
  expect(leaky.errors).toEqual([
    'RowLeakError: Row "a-43" of "audit_log" was left behind: permission denied for table audit_log. Delete it by hand or run "atoms-test sweep".',
    'RowLeakError: Row "a-42" of "audit_log" was left behind: permission denied for table audit_log. Delete it by hand or run "atoms-test sweep".',
  ])
  expect(run.events('body-end')).toHaveLength(1)
})
