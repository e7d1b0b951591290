/**
 * Runs Vitest programmatically on fixture test files under `harness/test/fixtures/` and
 * returns what happened: every test's state, skip note, errors and meta, every suite's
 * meta and errors, and the events the fixtures logged (deletes, steps, units).
 */
import type { TaskMeta } from 'vitest'
import type { TestModule } from 'vitest/node'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createVitest } from 'vitest/node'

/** Repository root; fixture runs use it as Vitest's root so Vite's cache stays in node_modules. */
export const ROOT = resolve(import.meta.dirname, '../..')
export const FIXTURES = 'harness/test/fixtures'
export const RUNNER = resolve(ROOT, 'harness/runner.ts')

/** One event a fixture wrote with `log()`. */
export interface LogEntry {
  kind: string
  pid: number
  [field: string]: unknown
}

/** One test as Vitest reported it. */
export interface TestOutcome {
  file: string
  name: string
  fullName: string
  state: string
  note: string | undefined
  errors: string[]
  meta: TaskMeta
}

/** One suite (or module) as Vitest reported it. */
export interface SuiteOutcome {
  file: string
  fullName: string
  state: string
  errors: string[]
  meta: TaskMeta
}

/** Everything a fixture run produced. */
export interface RunOutcome {
  tests: TestOutcome[]
  suites: SuiteOutcome[]
  modules: SuiteOutcome[]
  log: LogEntry[]
  /** Errors outside any test (a crashed worker, an unhandled rejection). */
  unhandled: string[]
  durationMs: number
  /** The test with this full name (`describe > test`); throws when missing. */
  test(fullName: string): TestOutcome
  /** Log entries of one kind. */
  events(kind: string): LogEntry[]
}

/** Options of one fixture run. */
export interface RunFixturesOptions {
  /** File names under `harness/test/fixtures/`. */
  files: string[]
  env?: Record<string, string>
  /** Use the atoms-test runner (default) or Vitest's plain one. */
  runner?: boolean
  pool?: 'threads' | 'forks'
  testTimeout?: number
  /** Called once the run started, with the log reader (to interrupt a worker, say). */
  whileRunning?: (readLog: () => Promise<LogEntry[]>) => Promise<void>
}

async function readLog(path: string): Promise<LogEntry[]> {
  const text = await readFile(path, 'utf8').catch(() => '')
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LogEntry)
}

const messages = (errors: readonly { message?: string; name?: string }[] | undefined): string[] =>
  (errors ?? []).map((error) => `${error.name ?? 'Error'}: ${error.message ?? ''}`)

function collect(module: TestModule): { tests: TestOutcome[]; suites: SuiteOutcome[]; module: SuiteOutcome } {
  const file = module.relativeModuleId
  const tests = [...module.children.allTests()].map((test): TestOutcome => {
    const result = test.result()
    return {
      file,
      name: test.name,
      fullName: test.fullName,
      state: result.state,
      note: 'note' in result ? result.note : undefined,
      errors: messages(result.errors),
      meta: test.meta(),
    }
  })
  const suites = [...module.children.allSuites()].map((suite): SuiteOutcome => ({
    file,
    fullName: suite.fullName,
    state: suite.state(),
    errors: messages(suite.errors()),
    meta: suite.meta(),
  }))
  const own: SuiteOutcome = { file, fullName: file, state: module.state(), errors: messages(module.errors()), meta: module.meta() }
  return { tests, suites, module: own }
}

/** Runs the fixture files with Vitest's Node API and reports the outcome. */
export async function runFixtures(options: RunFixturesOptions): Promise<RunOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'atoms-harness-'))
  const logPath = join(dir, 'events.jsonl')
  const exitCode = process.exitCode
  const started = performance.now()
  const vitest = await createVitest('test', {
    config: false,
    root: ROOT,
    include: options.files.map((file) => `${FIXTURES}/${file}`),
    runner: options.runner === false ? undefined : RUNNER,
    pool: options.pool ?? 'threads',
    maxWorkers: 2,
    watch: false,
    reporters: [],
    testTimeout: options.testTimeout ?? 5_000,
    env: { ATOMS_TEST_MODE: 'dry', ...options.env, HARNESS_LOG: logPath },
  })
  try {
    const running = vitest.start()
    await options.whileRunning?.(() => readLog(logPath))
    await running
    const collected = vitest.state.getTestModules().map(collect)
    const tests = collected.flatMap((c) => c.tests)
    const log = await readLog(logPath)
    return {
      tests,
      suites: collected.flatMap((c) => c.suites),
      modules: collected.map((c) => c.module),
      log,
      unhandled: messages(vitest.state.getUnhandledErrors() as { message?: string; name?: string }[]),
      durationMs: performance.now() - started,
      test(fullName) {
        const found = tests.find((t) => t.fullName === fullName)
        if (!found) throw new Error(`No test "${fullName}" in the run; have: ${tests.map((t) => `"${t.fullName}"`).join(', ')}`)
        return found
      },
      events: (kind) => log.filter((entry) => entry.kind === kind),
    }
  } finally {
    await vitest.close()
    // A failing fixture run sets the exit code of this process; the outer test decides instead.
    process.exitCode = exitCode
    await rm(dir, { recursive: true, force: true })
  }
}
