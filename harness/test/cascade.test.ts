import type { RunOutcome } from './test-utils.ts'
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixtures } from './test-utils.ts'

const steps = (run: RunOutcome, flow: string) => run.events('step').filter((e) => e.flow === flow)

describe('cascade flows under the runner', () => {
  let run: RunOutcome
  beforeAll(async () => {
    run = await runFixtures({ files: ['flows.fixture.ts', 'cycle.fixture.ts'] })
  })

  test('steps run phase by phase in a stable order and receive their ancestors\' results', () => {
    expect(steps(run, 'order').map((e) => e.id)).toEqual(['create', 'audit', 'update', 'list', 'report'])
    expect(steps(run, 'order').find((e) => e.id === 'update')?.results).toEqual({ create: { id: 'x1' } })
    expect(steps(run, 'order').find((e) => e.id === 'report')?.results).toEqual({ create: { id: 'x1' }, update: 'updated', list: ['x1'] })
    const order = run.tests.filter((t) => t.meta.flow === 'order')
    expect(order.map((t) => [t.fullName, t.meta.step?.phase])).toEqual([
      ['order > create', 0],
      ['order > audit', 0],
      ['order > update', 1],
      ['order > list', 1],
      ['order > report', 2],
    ])
    expect(order.every((t) => t.state === 'passed')).toBe(true)
  })

  test('dependents of a failed step are skipped with the reason, directly and transitively; others still run', () => {
    expect(run.test('skip-policy > a').state).toBe('failed')
    expect(run.test('skip-policy > b')).toMatchObject({ state: 'skipped', note: 'skipped: depends on "a" which failed' })
    expect(run.test('skip-policy > c')).toMatchObject({ state: 'skipped', note: 'skipped: depends on "a" which failed (via "b")' })
    expect(run.test('skip-policy > b').meta.step?.blocked).toBe('skipped: depends on "a" which failed')
    expect(steps(run, 'skip-policy').map((e) => e.id)).toEqual(['independent'])
  })

  test('onDependencyFailure "fail" fails dependents with the reason; "run" runs them and says what was blocked', () => {
    expect(run.test('fail-policy > b').state).toBe('failed')
    expect(run.test('fail-policy > b').errors[0]).toBe('DependencyFailedError: Step "b" of flow "fail-policy" depends on "a" which failed; fix that step first, or set onDependencyFailure to "skip" or "run".')
    expect(run.test('fail-policy > c').errors[0]).toContain('depends on "b" which failed')
    expect(steps(run, 'fail-policy').map((e) => e.id)).toEqual(['independent'])
    expect(steps(run, 'run-policy').map((e) => [e.id, e.blockedBy])).toEqual([['independent', undefined], ['b', ['a']], ['c', undefined]])
    expect(run.test('run-policy > b')).toMatchObject({ state: 'passed' })
    expect(run.test('run-policy > b').meta.step?.blocked).toBe('ran although it depends on "a" which failed')
  })

  test('rows created by steps live until the flow ends, then go children first', () => {
    const flowSteps = steps(run, 'rows')
    expect(flowSteps).toEqual([
      expect.objectContaining({ id: 'project', orgStillThere: true }),
      expect.objectContaining({ id: 'check', projectStillThere: true }),
    ])
    const deleted = run.events('delete').filter((e) => String(e.id).includes('flow-')).map((e) => e.id)
    expect(deleted).toEqual(['projects:flow-p', 'organizations:flow-o'])
    const kinds = run.log.map((e) => (e.kind === 'delete' ? e.id : `${String(e.flow)}:${String(e.id)}`))
    expect(kinds.indexOf('rows:check')).toBeLessThan(kinds.indexOf('projects:flow-p'))
    expect(run.test('rows > org').meta.harmful).toEqual({ scope: 'flow-step', handedToFlow: 1 })
    const suite = run.suites.find((s) => s.fullName === 'rows')
    expect(suite?.meta.harmful).toMatchObject({ scope: 'flow', tracked: 2, deleted: 2, leaks: [] })
    expect(suite?.meta.flow).toBe('rows')
  })

  test('predefined patterns: CRUD lifecycle, hierarchy and relationship graph', () => {
    expect(steps(run, 'crud').map((e) => e.id)).toEqual(['read', 'list', 'update', 'delete', 'verify'])
    expect(steps(run, 'crud')[0]?.created).toEqual({ id: 'c1', title: 'draft' })
    expect(steps(run, 'crud').at(-1)?.gone).toBe(true)
    // The row was deleted by the flow itself, so cleanup finds it missing.
    expect(run.suites.find((s) => s.fullName === 'crud')?.meta.harmful).toMatchObject({ tracked: 1, missing: 1 })
    expect(steps(run, 'hierarchy')[0]?.all).toEqual({ org: 'o', project: 'o/p', document: 'o/p/d', requirement: 'o/p/d/r' })
    expect(run.tests.filter((t) => t.meta.flow === 'graph').map((t) => [t.name, t.state])).toEqual([
      ['link', 'passed'],
      ['list', 'failed'],
      ['graph', 'passed'],
      ['unlink', 'skipped'],
    ])
    expect(run.test('graph > unlink').note).toBe('skipped: depends on "list" which failed')
  })

  test('steps registered through test.extend() get exactly the fixtures they destructure, patterns included', () => {
    expect(steps(run, 'with fixtures')).toEqual([expect.objectContaining({ id: 'second', seed: 'seeded', first: 'SEEDED' })])
    expect(steps(run, 'crud with fixtures')).toEqual([expect.objectContaining({ id: 'read', seed: 'seeded', created: { id: 'seeded' } })])
    const fixtureEvents = run.events('fixture').map((e) => `${String(e.name)} ${String(e.phase)}`)
    // Set up and torn down once per step that uses it (first, second, create, read); never for "unused".
    expect(fixtureEvents).toEqual(Array(4).fill(['seed setup', 'seed teardown']).flat())
  })

  test('a cycle, an unknown step and a duplicate id fail the file at collection, all reported together', () => {
    const file = run.modules.find((m) => m.file.endsWith('cycle.fixture.ts'))
    expect(file?.state).toBe('failed')
    // Vitest lists the problems of the FlowDefinitionError (an AggregateError) one by one.
    expect(file?.errors.map((e) => e.split(':')[0])).toEqual(['DuplicateStepError', 'UnknownStepError', 'CascadeCycleError'])
    const message = file?.errors.join('\n') ?? ''
    expect(message).toMatch(/declares step "a" 2 times \(at harness\/test\/fixtures\/cycle\.fixture\.ts:9:3, harness\/test\/fixtures\/cycle\.fixture\.ts:12:3\)/)
    expect(message).toContain('Step "b" of flow "tangled" (at harness/test/fixtures/cycle.fixture.ts:10:3) depends on unknown step "ghost"')
    expect(message).toContain('dependency cycle "a" -> "c" -> "b" -> "a"')
    expect(run.events('should-not-run')).toEqual([])
  })
})

test('without the atoms-test runner, harmful() refuses with a RunnerMissingError that says how to fix it', async () => {
  const run = await runFixtures({ files: ['plain.fixture.ts'], runner: false })
  expect(run.test('tracks a row').errors[0]).toMatch(/^RunnerMissingError: harmful\(\) needs the atoms-test runner; set "runner: 'harness\/runner.ts'"/)
})
