import { expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

const outcome = (run: Awaited<ReturnType<typeof runFixtures>>) => run.tests.map((t) => [t.fullName, t.state, t.note])

test('in dry, tests that need other modes are skipped and the report says why', async () => {
  const run = await runFixtures({ files: ['modes.fixture.ts'], env: { ATOMS_TEST_MODE: 'dry' } })
  expect(outcome(run)).toEqual([
    ['everywhere', 'passed', undefined],
    ['cold and hot only', 'skipped', 'requires mode cold|hot; running dry'],
    ['not in dry', 'skipped', 'skipped in mode dry: no network in dry'],
    ['decides inside', 'skipped', 'requires mode hot; running dry: needs a live project'],
    ['live only > first', 'skipped', 'requires mode hot; running dry: talks to a live project'],
    ['live only > nested > second', 'skipped', 'requires mode hot; running dry: talks to a live project'],
  ])
  // A suite skipped for its mode does not run its beforeAll either.
  expect(run.events('ran').map((e) => e.test)).toEqual(['everywhere'])
  expect(run.events('ran')[0]?.mode).toBe('dry')
})

test('in cold, the same file runs what cold allows', async () => {
  const run = await runFixtures({ files: ['modes.fixture.ts'], env: { ATOMS_TEST_MODE: 'cold' } })
  expect(outcome(run).filter(([, state]) => state === 'passed').map(([name]) => name)).toEqual(['everywhere', 'cold and hot only', 'not in dry'])
  expect(run.test('decides inside').note).toBe('requires mode hot; running cold: needs a live project')
  expect(run.events('ran').map((e) => e.test)).toEqual(['everywhere', 'cold and hot only', 'not in dry'])
})

test('an unknown ATOMS_TEST_MODE fails collection with a ModeError naming the value', async () => {
  const run = await runFixtures({ files: ['modes.fixture.ts'], env: { ATOMS_TEST_MODE: 'warm' } })
  expect(run.modules[0]?.errors[0]).toBe('ModeError: Unknown test mode "warm" from ATOMS_TEST_MODE; use one of "hot", "cold" or "dry".')
  expect(run.events('ran')).toEqual([])
})
