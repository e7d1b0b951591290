import { expect, test } from 'vitest'
import { formatSummary } from './SuiteSummaryReporter.ts'

test('one line per suite with its counts and time', () => {
  expect(
    formatSummary('dry', [
      { suite: 'schema', passed: 61, failed: 0, skipped: 0, durationMs: 3_240 },
      { suite: 'rls', passed: 60, failed: 2, skipped: 1, durationMs: 21_050 },
    ]),
  ).toEqual([
    'atoms-test: dry schema       61 passed, 0 failed, 0 skipped  3.2 s',
    'atoms-test: dry rls          60 passed, 2 failed, 1 skipped  21.1 s',
  ])
})

test('wall time first when the run reported it, the summed file time beside it', () => {
  expect(
    formatSummary('cold', [{ suite: 'e2e', passed: 49, failed: 0, skipped: 0, durationMs: 7_700, wallMs: 4_150 }]),
  ).toEqual(['atoms-test: cold e2e          49 passed, 0 failed, 0 skipped  4.2 s wall (files 7.7 s)'])
})
