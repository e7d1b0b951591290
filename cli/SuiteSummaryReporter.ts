/**
 * A Vitest reporter that ends an atoms-test run with one line per suite: how many tests passed,
 * failed and were skipped, and how long its files took (setup, import and tests).
 */
import type { Reporter, TestModule } from 'vitest/node'
import { countOutcomes } from '../harness/testing/TotalsReporter.ts'

/** One suite's totals. */
export interface SuiteSummary {
  suite: string
  passed: number
  failed: number
  skipped: number
  /** Summed over the suite's files, in ms. */
  durationMs: number
}

/** Totals per project (suite), in the order suites first appear. */
export function summarize(modules: readonly TestModule[]): SuiteSummary[] {
  const bySuite = new Map<string, SuiteSummary>()
  for (const module of modules) {
    const suite = module.project.name
    const summary = bySuite.get(suite) ?? { suite, passed: 0, failed: 0, skipped: 0, durationMs: 0 }
    const d = module.diagnostic()
    summary.durationMs += d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration
    const counts = countOutcomes([module])
    summary.passed += counts.passed
    summary.failed += counts.failed
    summary.skipped += counts.skipped
    bySuite.set(suite, summary)
  }
  return [...bySuite.values()]
}

/** The summary as printed lines. */
export function formatSummary(mode: string, summaries: readonly SuiteSummary[]): string[] {
  return summaries.map(
    (s) =>
      `atoms-test: ${mode} ${s.suite.padEnd(10)} ${String(s.passed).padStart(4)} passed, ${s.failed} failed, ${s.skipped} skipped  ${(s.durationMs / 1000).toFixed(1)} s`,
  )
}

export class SuiteSummaryReporter implements Reporter {
  readonly #mode: string
  readonly #print: (line: string) => void

  constructor(mode: string, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#mode = mode
    this.#print = print
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    for (const line of formatSummary(this.#mode, summarize(modules))) this.#print(line)
  }
}
