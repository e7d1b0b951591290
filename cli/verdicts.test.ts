import { describe, expect, test } from 'vitest'
import { diffVerdicts, parityName } from './verdicts.ts'

describe('diffVerdicts', () => {
  test('same verdicts: no difference', () => {
    const run = new Map([['a > t1', 'passed'], ['a > t2', 'failed']])
    expect(diffVerdicts(run, new Map(run))).toEqual([])
  })

  test('a verdict that changed, and a test present in one run only, are differences', () => {
    const dry = new Map([['a > t1', 'passed'], ['a > t2', 'passed']])
    const cold = new Map([['a > t1', 'failed'], ['a > t3', 'passed']])
    expect(diffVerdicts(dry, cold)).toEqual([
      { test: 'a > t1', left: 'passed', right: 'failed' },
      { test: 'a > t2', left: 'passed', right: 'absent' },
      { test: 'a > t3', left: 'absent', right: 'passed' },
    ])
  })

  test('a mode-guard skip in one mode is expected, any other skip is not', () => {
    const dry = new Map([['a > t1', 'skipped (requires mode cold|hot; running dry)'], ['a > t2', 'skipped (flaky)']])
    const cold = new Map([['a > t1', 'passed'], ['a > t2', 'passed']])
    expect(diffVerdicts(dry, cold)).toEqual([{ test: 'a > t2', left: 'skipped (flaky)', right: 'passed' }])
  })
})

test('the MCP transport in a flow name is folded away', () => {
  expect(parityName('e2e > crud over stdio > create')).toBe('e2e > crud over <transport> > create')
  expect(parityName('e2e > crud over memory > create')).toBe('e2e > crud over <transport> > create')
  expect(parityName('rls > left over rows')).toBe('rls > left over rows')
})
