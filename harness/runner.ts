/**
 * The atoms-test runner: Vitest's own `TestRunner` plus the harness's lifecycle work.
 * Set it as the `runner` of a Vitest project (`runner: './harness/runner.ts'`).
 *
 * - Mode guards: a test whose `onlyIn`/`skipIn` excludes the current mode is skipped with a note.
 * - Cascade flows: before each step, decides from its dependencies' outcomes whether it runs,
 *   is skipped ("skipped: depends on "a" which failed"), or fails; records each outcome.
 * - harmful(): after every attempt of a plain test (passed, failed or timed out) flushes its
 *   rows; after a flow, the flow's rows; after a file, rows tracked too late; on SIGINT, all.
 * - Isolation: opens one unit per plain test and one per flow on the registered hooks.
 *
 * Only lifecycle hooks are overridden, each calling `super`.
 */
import type { RunnerTestCase, RunnerTestFile, RunnerTestSuite, SerializedConfig, TestContext, TestTryOptions, VitestTestRunner } from 'vitest'
import type { LeakError } from './errors.ts'
import type { UnitInfo } from './runner/isolation.ts'
import { TestRunner } from 'vitest'
import { currentMode } from './modes.ts'
import { failOnLeak, harmfulFor, leakError } from './harmful.ts'
import { closeAllScopes, closeScope, closeSuiteScopes, hasScope, openTrackers, resetScope, scopeTracker } from './harmful/scopes.ts'
import { decideStep, flowRunOf, recordOutcome } from './cascade/state.ts'
import { selectedFlows } from './cascade/flow.ts'
import { isFlowStep, isFlowSuite } from './internal/units.ts'
import { markRunnerActive } from './internal/runnerActive.ts'
import { beginUnit, endAllUnits, endUnit, isUnitOpen, openUnitCount, unitRollsBack } from './runner/isolation.ts'
import { installInterruptHandler } from './runner/interrupt.ts'
import { failSuite, guardNote, keepFlows, mergeReports, skipNote, skipPacks, skipWithNote, testsOf } from './runner/taskUtils.ts'

/** `describe > test` without the file path. */
function testName(task: RunnerTestCase | RunnerTestSuite): string {
  return task.fullTestName || task.name
}

function unitInfo(task: RunnerTestCase | RunnerTestSuite, kind: UnitInfo['kind']): UnitInfo {
  return { id: task.id, kind, name: testName(task), file: task.file.filepath }
}

function printLeaks(prefix: string, leaks: readonly { table: string; key: unknown; reason: string }[]): void {
  for (const leak of leaks) process.stderr.write(`${prefix} leaked row ${JSON.stringify(leak.key)} of "${leak.table}": ${leak.reason}\n`)
}

/** Flushes everything still open; used on SIGINT/SIGTERM and after the last file. */
async function flushEverything(reason: string): Promise<void> {
  const reports = await closeAllScopes()
  await endAllUnits()
  const rows = reports.reduce((sum, report) => sum + report.tracked, 0)
  if (rows > 0) process.stderr.write(`atoms-test: ${reason}: cleaned up ${rows} tracked row(s)\n`)
  for (const report of reports) printLeaks('atoms-test:', report.leaks)
}

/**
 * Flushes the rows a suite tracked outside its tests (beforeAll) and, for a file, the rows
 * tracked after their test's cleanup; adds the outcome to `suite.meta.harmful`.
 * Returns the LeakError to report under --fail-on-leak.
 */
async function flushSuite(suite: RunnerTestSuite): Promise<LeakError | undefined> {
  const fresh = await closeSuiteScopes(suite)
  if (!fresh) return undefined
  const earlier = suite.meta.harmful?.scope === 'flow-step' ? undefined : suite.meta.harmful
  suite.meta.harmful = mergeReports([earlier, fresh])
  const leaks = fresh.leaks.length > 0 && failOnLeak() ? leakError(fresh, suite.name) : undefined
  if (!leaks) printLeaks(`atoms-test: "${suite.name}"`, fresh.leaks)
  return leaks
}

/** Vitest's default runner with harmful() cleanup, cascade-flow control, mode notes and isolation units. */
export default class AtomsRunner extends TestRunner {
  // Rows the flow tracker held when a step started, to report what the step handed over.
  #flowRowsAtStart = new WeakMap<RunnerTestCase, number>()
  // Leaks found by the file's final afterAll flush, reported once the suite has its result.
  #suiteErrors = new WeakMap<RunnerTestSuite, unknown[]>()

  constructor(config: SerializedConfig) {
    super(config)
    markRunnerActive()
    installInterruptHandler({
      pending: () => openUnitCount() > 0 || openTrackers().some((tracker) => tracker.rows.length > 0),
      flush: (signal) => flushEverything(`interrupted by ${signal}`),
    })
  }

  /** Applies `ATOMS_TEST_FLOW` (the CLI's `--flow`): only the named flows run. */
  onCollected(files: RunnerTestFile[]): void {
    const flows = selectedFlows()
    if (flows) for (const file of files) keepFlows(file, flows)
  }

  override async onBeforeRunSuite(suite: RunnerTestSuite): Promise<void> {
    await super.onBeforeRunSuite(suite)
    if (suite.mode === 'skip') {
      // Vitest never visits the tests of a skipped suite; report their skip notes (mode, --flow) here.
      const noted = testsOf(suite).filter((test) => {
        const note = guardNote(test, currentMode)
        if (note) skipWithNote(test, note)
        return skipNote(test) !== undefined
      })
      // Vitest wires `onTaskUpdate` to the main process when it creates the runner.
      if (noted.length > 0) await (this as VitestTestRunner).onTaskUpdate?.(...skipPacks(noted))
      return
    }
    if ('filepath' in suite) {
      // Vitest tears file-scoped fixtures (the backend and its deleter) down right after the
      // file's afterAll hooks, before onAfterRunSuite; so the file's own rows and late rows are
      // flushed by an afterAll hook that runs after the user's ones.
      const hooks = TestRunner.getSuiteHooks(suite).afterAll
      // It must not throw: a failing afterAll makes Vitest skip the fixture teardown.
      const flush = async () => {
        const leaks = await flushSuite(suite).catch((error: unknown) => error)
        if (leaks) this.#suiteErrors.set(suite, [...(this.#suiteErrors.get(suite) ?? []), leaks])
      }
      if (this.config.sequence.hooks === 'stack') hooks.unshift(flush)
      else hooks.push(flush)
    }
    if (isFlowSuite(suite)) {
      try {
        await beginUnit(unitInfo(suite, 'flow'))
      } catch (error) {
        // A failed suite is not run: its steps are reported skipped and the error on the flow.
        failSuite(suite, [error])
      }
    }
  }

  override async onBeforeRunTask(test: RunnerTestCase): Promise<void> {
    await super.onBeforeRunTask(test)
    const note = guardNote(test, currentMode)
    if (note) skipWithNote(test, note)
    const run = isFlowStep(test) ? flowRunOf(test.suite) : undefined
    const id = test.meta.step?.id
    if (!run || id === undefined) return
    if (test.mode !== 'run' && test.mode !== 'queued') {
      if (note) recordOutcome(run, id, { status: 'skipped' })
      return
    }
    const decision = decideStep(run, id)
    if (decision.blockedBy.length === 0) return
    const step = test.meta.step
    if (decision.action === 'skip') {
      const skipNote = `skipped: ${decision.reason}`
      skipWithNote(test, skipNote)
      if (step) step.blocked = skipNote
      recordOutcome(run, id, decision.rootFailure ? { status: 'skipped', rootFailure: decision.rootFailure } : { status: 'skipped' })
    } else if (step) {
      step.blocked = decision.action === 'fail' ? `failed: ${decision.reason}` : `ran although it ${decision.reason}`
    }
  }

  override async onBeforeTryTask(test: RunnerTestCase, options: TestTryOptions): Promise<void> {
    await super.onBeforeTryTask(test, options)
    if (isFlowStep(test)) {
      if (test.suite && hasScope(test.suite)) this.#flowRowsAtStart.set(test, scopeTracker(test.suite).rows.length)
      return
    }
    // Every attempt is a fresh unit with a fresh tracker.
    resetScope(test)
    await beginUnit(unitInfo(test, 'test'))
  }

  /** Runs after the test body (passed, failed or timed out), while fixtures are still alive. */
  async onTaskFinished(test: RunnerTestCase): Promise<void> {
    if (isFlowStep(test)) {
      const start = this.#flowRowsAtStart.get(test) ?? 0
      const now = test.suite && hasScope(test.suite) ? scopeTracker(test.suite).rows.length : 0
      test.meta.harmful = { scope: 'flow-step', handedToFlow: Math.max(0, now - start) }
      return
    }
    const report = await closeScope(test, { rolledBack: unitRollsBack(test.id) })
    if (!report) return
    test.meta.harmful = report
    // Reading the environment costs more than the rest of a clean flush; only leaks need it.
    const error = report.leaks.length > 0 && failOnLeak() ? leakError(report, testName(test)) : undefined
    if (error) throw error
    printLeaks(`atoms-test: "${testName(test)}"`, report.leaks)
  }

  override async onAfterRetryTask(test: RunnerTestCase, options: TestTryOptions): Promise<void> {
    await super.onAfterRetryTask(test, options)
    this.#recordStep(test)
    if (!isFlowStep(test) && isUnitOpen(test.id)) await endUnit(test.id, test.result?.state === 'fail')
  }

  override onAfterRunTask(test: RunnerTestCase): void {
    super.onAfterRunTask(test)
    this.#recordStep(test)
  }

  override async onAfterRunSuite(suite: RunnerTestSuite): Promise<void> {
    const errors: unknown[] = []
    try {
      if (isFlowSuite(suite)) {
        const report = await closeScope(suite, { rolledBack: unitRollsBack(suite.id) })
        if (report) suite.meta.harmful = report
        const leaks = report && report.leaks.length > 0 && failOnLeak() ? leakError(report, `flow "${suite.name}"`) : undefined
        if (leaks) errors.push(leaks)
        else if (report) printLeaks(`atoms-test: flow "${suite.name}"`, report.leaks)
        if (isUnitOpen(suite.id)) await endUnit(suite.id, suite.result?.state === 'fail').catch((error) => errors.push(error))
      } else {
        // Rows tracked in a suite's beforeAll; for a file, also rows tracked after its afterAll flush.
        const leaks = await flushSuite(suite)
        if (leaks) errors.push(leaks)
      }
      errors.unshift(...(this.#suiteErrors.get(suite) ?? []))
      if (errors.length > 0) failSuite(suite, errors)
    } finally {
      await super.onAfterRunSuite(suite)
    }
  }

  override async onAfterRunFiles(files: RunnerTestFile[]): Promise<void> {
    try {
      await flushEverything('end of run')
    } finally {
      await super.onAfterRunFiles(files)
    }
  }

  override extendTaskContext(context: TestContext): TestContext {
    const extended = super.extendTaskContext(context)
    // A getter for plain tests; a `harmful` fixture of the same name replaces it on assignment.
    Object.defineProperty(extended, 'harmful', {
      configurable: true,
      enumerable: false,
      get: () => harmfulFor(extended.task as RunnerTestCase),
      set: (value: unknown) => {
        Object.defineProperty(extended, 'harmful', { value, configurable: true, enumerable: true, writable: true })
      },
    })
    return extended
  }

  #recordStep(test: RunnerTestCase): void {
    const run = isFlowStep(test) ? flowRunOf(test.suite) : undefined
    const id = test.meta.step?.id
    if (!run || id === undefined) return
    const state = test.result?.state
    if (state === 'pass') recordOutcome(run, id, { status: 'passed' })
    else if (state === 'fail') recordOutcome(run, id, { status: 'failed' })
    else if (state === 'skip') recordOutcome(run, id, { status: 'skipped' })
  }
}
