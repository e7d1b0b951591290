/**
 * A Vitest reporter that ends an atoms-test run with one line per suite: how many tests passed,
 * failed and were skipped, its wall time (first file queued → last file done, as the main process
 * saw it) and the summed time of its files (setup, import and tests). With several workers the
 * files of a suite overlap, so wall time is the one to compare with a budget.
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
  /** First file queued to last file done, in ms; absent when the run did not report it. */
  wallMs?: number
}

/** Totals per project (suite), in the order suites first appear; `wallMs` from `walls` by suite. */
export function summarize(modules: readonly TestModule[], walls: ReadonlyMap<string, number> = new Map()): SuiteSummary[] {
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
    const wallMs = walls.get(suite)
    if (wallMs !== undefined) summary.wallMs = wallMs
    bySuite.set(suite, summary)
  }
  return [...bySuite.values()]
}

/** The summary as printed lines. */
export function formatSummary(mode: string, summaries: readonly SuiteSummary[]): string[] {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  return summaries.map((s) => {
    const time = s.wallMs === undefined ? seconds(s.durationMs) : `${seconds(s.wallMs)} wall (files ${seconds(s.durationMs)})`
    return `atoms-test: ${mode} ${s.suite.padEnd(10)} ${String(s.passed).padStart(4)} passed, ${s.failed} failed, ${s.skipped} skipped  ${time}`
  })
}

/** First-queued and last-done times per suite, from the reporter hooks. */
class SuiteClock {
  readonly #spans = new Map<string, { start: number, end: number }>()

  queued(suite: string, now: number): void {
    if (!this.#spans.has(suite)) this.#spans.set(suite, { start: now, end: now })
  }

  ended(suite: string, now: number): void {
    const span = this.#spans.get(suite)
    if (span) span.end = Math.max(span.end, now)
    else this.#spans.set(suite, { start: now, end: now })
  }

  walls(): Map<string, number> {
    return new Map([...this.#spans].map(([suite, span]) => [suite, span.end - span.start]))
  }
}

export class SuiteSummaryReporter implements Reporter {
  readonly #mode: string
  readonly #print: (line: string) => void
  readonly #clock = new SuiteClock()

  constructor(mode: string, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.#mode = mode
    this.#print = print
  }

  onTestModuleQueued(module: TestModule): void {
    this.#clock.queued(module.project.name, performance.now())
  }

  onTestModuleEnd(module: TestModule): void {
    this.#clock.ended(module.project.name, performance.now())
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    for (const line of formatSummary(this.#mode, summarize(modules, this.#clock.walls()))) this.#print(line)
  }
}
