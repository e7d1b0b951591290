import type { TestModule } from 'vitest/node'
import { expect, test } from 'vitest'
import { countOutcomes } from './TotalsReporter.ts'

/** The parts of a reported module `countOutcomes` reads. */
function fakeModule(states: string[], errors: { module?: number, suites?: number[] } = {}): TestModule {
  const suites = (errors.suites ?? []).map((n) => ({ errors: () => Array.from({ length: n }, () => ({ message: 'beforeAll threw' })) }))
  return {
    errors: () => Array.from({ length: errors.module ?? 0 }, () => ({ message: 'import failed' })),
    children: {
      allTests: () => states.map((state) => ({ result: () => ({ state }) })),
      allSuites: () => suites,
    },
  } as unknown as TestModule
}

test('tests count by outcome; a file or suite that failed outside its tests counts as one failure', () => {
  expect(countOutcomes([fakeModule(['passed', 'passed', 'failed', 'skipped', 'pending'])])).toEqual({ passed: 2, failed: 1, skipped: 1 })
  // A throwing beforeAll leaves its tests skipped; the run still failed, and the line says so.
  expect(countOutcomes([fakeModule(['skipped'], { suites: [1, 0] }), fakeModule([], { module: 2 })])).toEqual({ passed: 0, failed: 2, skipped: 1 })
})
