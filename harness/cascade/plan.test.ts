import { describe, expect, test } from 'vitest'
import { CascadeCycleError, DuplicateStepError, FlowDefinitionError, UnknownStepError } from '../errors.ts'
import { planFlow } from './plan.ts'

const run = () => undefined
const ids = (steps: { id: string }[]) => steps.map((s) => s.id)

describe('planFlow', () => {
  test('orders by phases, keeping declaration order inside a phase', () => {
    const plan = planFlow('f', [
      { id: 'report', dependsOn: ['update', 'list'], run },
      { id: 'create', run },
      { id: 'update', dependsOn: ['create'], run },
      { id: 'list', dependsOn: ['create'], run },
      { id: 'audit', run },
    ], 'here')
    expect(ids(plan.steps)).toEqual(['create', 'audit', 'update', 'list', 'report'])
    expect(plan.steps.map((s) => s.phase)).toEqual([0, 0, 1, 1, 2])
    expect(plan.steps.find((s) => s.id === 'report')?.ancestors).toEqual(['create', 'update', 'list'])
  })

  test('reports every problem at once, with step names and locations', () => {
    let error: unknown
    try {
      planFlow('broken', [
        { id: 'a', dependsOn: ['c'], run, location: 'x.ts:1:1' },
        { id: 'b', dependsOn: ['ghost'], run, location: 'x.ts:2:1' },
        { id: 'c', dependsOn: ['a'], run, location: 'x.ts:3:1' },
        { id: 'b', run, location: 'x.ts:4:1' },
        { id: 'self', dependsOn: ['self'], run },
      ], 'flow.ts:9:9')
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(FlowDefinitionError)
    const problems = (error as FlowDefinitionError).errors
    expect(problems.map((p) => p.constructor)).toEqual([DuplicateStepError, UnknownStepError, CascadeCycleError, CascadeCycleError])
    expect(problems[0].message).toContain('"b" 2 times (at x.ts:2:1, x.ts:4:1)')
    expect(problems[1].message).toContain('Step "b" of flow "broken" (at x.ts:2:1) depends on unknown step "ghost"')
    expect((problems[2] as CascadeCycleError).cycle).toEqual(['a', 'c'])
    expect(problems[2].message).toContain('"a" -> "c" -> "a"')
    expect(problems[3].message).toContain('"self" -> "self" (step "self" at flow.ts:9:9)')
    expect((error as Error).message).toContain('4 problem(s)')
  })

  test('a step downstream of a cycle is not reported as a cycle itself', () => {
    expect(() => planFlow('f', [{ id: 'a', dependsOn: ['b'], run }, { id: 'b', dependsOn: ['a'], run }, { id: 'c', dependsOn: ['a'], run }], 'l'))
      .toThrow(expect.objectContaining({ errors: [expect.objectContaining({ cycle: ['a', 'b'] })] }))
  })

  test('missing ids and run functions are definition errors', () => {
    expect(() => planFlow('f', [{ id: '', run }, { id: 'x' } as never], 'l')).toThrow(/#1 of flow "f".*\n.*"x".*no run function/)
  })
})
