import { expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

test('one isolation unit per plain test attempt and one per flow, begun even when hooks register late', async () => {
  const run = await runFixtures({ files: ['isolation.fixture.ts'] })
  const sequence = run.log
    .filter((e) => ['begin', 'end', 'body'].includes(e.kind))
    .map((e) => (e.kind === 'body' ? `body ${String(e.name)}${e.attempt !== undefined ? `#${String(e.attempt)}` : ''}` : `${e.kind} ${String(e.unit)} ${String(e.name)}${e.failed ? ' (failed)' : ''}`))
  expect(sequence).toEqual([
    'begin test first',
    'body first',
    'end test first',
    'begin flow unit flow',
    'body s1',
    'body s2',
    'end flow unit flow (failed)',
    'begin test fails',
    'body fails',
    'end test fails (failed)',
    'begin test retried',
    'body retried#0',
    'end test retried (failed)',
    'begin test retried',
    'body retried#1',
    'end test retried',
  ])
  // The flow's unit id is its suite's id; each test's is its own.
  const flowSuite = run.suites.find((s) => s.fullName === 'unit flow')
  expect(flowSuite).toBeDefined()
  expect(run.test('retried').state).toBe('passed')
  // Without a rolling-back hook, harmful() still deletes.
  expect(run.test('first').meta.harmful).toMatchObject({ deleted: 1, rolledBack: 0 })
})

test('when the unit rolls back, harmful() deletes nothing for it, but still deletes rows tracked after the unit ended', async () => {
  const run = await runFixtures({ files: ['rollback.fixture.ts'] })
  expect(run.test('creates two rows').meta.harmful).toMatchObject({ tracked: 2, rolledBack: 2, deleted: 0 })
  expect(run.suites.find((s) => s.fullName === 'rolled back flow')?.meta.harmful).toMatchObject({ tracked: 1, rolledBack: 1 })
  expect(run.events('rollback').map((e) => e.name)).toEqual(['creates two rows', 'rolled back flow', 'times out, then tracks late', 'waits for the late row'])
  expect(run.events('late-tracked')).toHaveLength(1)
  expect(run.events('delete').map((e) => [e.id, e.outcome])).toEqual([['organizations:rb-late', 'deleted']])
  // …and they are deleted when the file ends, not later.
  expect(run.modules[0]?.meta.harmful).toMatchObject({ scope: 'late', tracked: 1, deleted: 1, rolledBack: 0 })
})
