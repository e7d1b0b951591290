import { expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

test('beforeAll rows live until their suite ends; a leaking flow fails under --fail-on-leak', async () => {
  const run = await runFixtures({ files: ['scopes.fixture.ts'], env: { ATOMS_FAIL_ON_LEAK: 'true' } })
  expect(run.test('suite with beforeAll rows > sees the shared row').state).toBe('passed')
  const suite = run.suites.find((s) => s.fullName === 'suite with beforeAll rows')
  expect(suite?.meta.harmful).toMatchObject({ scope: 'suite', tracked: 1, deleted: 1 })
  const flowSuite = run.suites.find((s) => s.fullName === 'leaky flow')
  expect(flowSuite?.state).toBe('failed')
  expect(flowSuite?.errors).toEqual([
    'RowLeakError: Row "flow-a1" of "audit_log" was left behind: permission denied for table audit_log. Delete it by hand or run "atoms-test sweep".',
  ])
  // The step itself passed; the flow carries the leak.
  expect(run.test('leaky flow > make').state).toBe('passed')
})

test('ATOMS_TEST_FLOW (the CLI\'s --flow) runs only the named flow; other suites do not even run beforeAll', async () => {
  const run = await runFixtures({ files: ['scopes.fixture.ts'], env: { ATOMS_TEST_FLOW: 'leaky flow' } })
  expect(run.events('ran').map((e) => e.what)).toEqual(['leaky flow > make'])
  const note = 'not in the selected flows ("leaky flow")'
  expect(run.tests.map((t) => [t.fullName, t.state, t.note])).toEqual([
    ['suite with beforeAll rows > sees the shared row', 'skipped', note],
    ['leaky flow > make', 'passed', undefined],
    ['plain', 'skipped', note],
  ])
})

test('file-level and late rows are deleted before file-scoped fixtures (the backend) are torn down', async () => {
  const run = await runFixtures({ files: ['filescope.fixture.ts'], env: { ATOMS_FAIL_ON_LEAK: '1' } })
  expect(run.log.map((e) => (e.kind === 'delete' ? `${String(e.id)} ${String(e.outcome)}` : e.kind))).toEqual([
    'projects:file-late deleted',
    'organizations:file-o deleted',
    'backend-closed',
  ])
  expect(run.test('times out, then tracks late').errors[0]).toMatch(/timed out in 100ms/)
  expect(run.test('waits').state).toBe('passed')
  expect(run.modules[0]?.errors).toEqual([])
  expect(run.modules[0]?.meta.harmful).toMatchObject({ scope: 'suite', tracked: 2, deleted: 2, leaks: [] })
})
