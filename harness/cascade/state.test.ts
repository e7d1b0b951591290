import type { RunnerTestSuite } from 'vitest'
import { describe, expect, test } from 'vitest'
import { planFlow } from './plan.ts'
import { ancestorResults, decideStep, recordOutcome, registerFlowRun } from './state.ts'

const run = () => undefined
const plan = planFlow('f', [
  { id: 'a', run },
  { id: 'b', dependsOn: ['a'], run },
  { id: 'c', dependsOn: ['b'], run },
  { id: 'd', dependsOn: ['a', 'x'], run },
  { id: 'x', run },
  { id: 'e', dependsOn: ['x'], run, onDependencyFailure: 'run' },
], 'l')

describe('decideStep', () => {
  test('names the failed step, directly and through a skipped one', () => {
    const flow = registerFlowRun({} as RunnerTestSuite, plan, 'skip')
    expect(decideStep(flow, 'a')).toEqual({ action: 'run', reason: '', blockedBy: [] })
    recordOutcome(flow, 'a', { status: 'failed' })
    expect(decideStep(flow, 'b')).toEqual({ action: 'skip', reason: 'depends on "a" which failed', blockedBy: ['a'], rootFailure: 'a' })
    recordOutcome(flow, 'b', { status: 'skipped', rootFailure: 'a' })
    expect(decideStep(flow, 'c').reason).toBe('depends on "a" which failed (via "b")')
    recordOutcome(flow, 'x', { status: 'skipped' })
    expect(decideStep(flow, 'd').reason).toBe('depends on "a" which failed and "x" which was skipped')
  })

  test('policies: fail and run, per flow and per step', () => {
    const failing = registerFlowRun({} as RunnerTestSuite, plan, 'fail')
    recordOutcome(failing, 'a', { status: 'failed' })
    expect(decideStep(failing, 'b').action).toBe('fail')
    expect(decideStep(failing, 'e')).toMatchObject({ action: 'run', reason: 'depends on "x" which did not run', blockedBy: ['x'] })
  })

  test('results of all ancestors are handed on', () => {
    const flow = registerFlowRun({} as RunnerTestSuite, plan, 'skip')
    flow.results.set('a', 1)
    flow.results.set('b', 2)
    flow.results.set('x', 3)
    expect(ancestorResults(flow, 'c')).toEqual({ a: 1, b: 2 })
  })
})
