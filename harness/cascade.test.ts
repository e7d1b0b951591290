import { expect, test } from 'vitest'
import { flowNamePattern, selectedFlows, step } from './cascade.ts'

test('flowNamePattern matches the steps of a top-level flow and nothing else', () => {
  const pattern = flowNamePattern('crud (docs)')
  expect(pattern.test('crud (docs) create')).toBe(true)
  expect(pattern.test('crud (docs)x create')).toBe(false)
  expect(pattern.test('other crud (docs) create')).toBe(false)
})

test('selectedFlows reads comma-separated names from ATOMS_TEST_FLOW', () => {
  expect(selectedFlows({})).toBeUndefined()
  expect(selectedFlows({ ATOMS_TEST_FLOW: ' ' })).toBeUndefined()
  expect(selectedFlows({ ATOMS_TEST_FLOW: 'a, b,,c' })).toEqual(new Set(['a', 'b', 'c']))
})

test('step() records where it was defined', () => {
  const defined = step({ id: 'x', run: () => 1 })
  expect(defined.location).toMatch(/^harness\/cascade\.test\.ts:\d+:\d+$/)
  expect(step({ id: 'y', run: () => 1, location: 'kept' }).location).toBe('kept')
})
