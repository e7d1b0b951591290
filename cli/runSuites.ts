/**
 * The main job: resolve the mode, then run the chosen suites through Vitest's Node API with
 * `vitest.workspace.ts`. The exit code is Vitest's; configuration errors exit 2.
 */
import type { Mode } from '../harness/modes.ts'
import { fileURLToPath } from 'node:url'
import type { TestModule } from 'vitest/node'
import { availableParallelism } from 'node:os'
import { createVitest } from 'vitest/node'
import { readHotConfig, guardProduction } from '../harness/backends/hotConfig.ts'
import { FLOW_ENV } from '../harness/cascade.ts'
import { SuiteSummaryReporter } from './SuiteSummaryReporter.ts'

/** The suites `atoms-test` runs, each a project of `vitest.workspace.ts`. */
export const SUITES = ['schema', 'rls', 'migrations', 'e2e', 'examples'] as const

/** Options of the main command, as commander parsed them. */
export interface RunOptions {
  mode: Mode
  suite?: string[]
  flow?: string
  shard?: string
  reporter?: string[]
  failOnLeak?: boolean
  allowProduction?: boolean
  isolation?: 'rollback' | 'cleanup'
  provider?: string
  /** Test files run at once (default: one per CPU core). */
  maxWorkers?: number
  /** cold: `per-file` (default) or `shared`. */
  database?: 'per-file' | 'shared'
  filters?: string[]
}

/** A suite name that is not a project. */
export class UnknownSuiteError extends Error {
  override name = 'UnknownSuiteError'
  readonly exitCode = 2
  constructor(names: string[]) {
    super(`Unknown suite ${names.map((n) => `"${n}"`).join(', ')}; choose from ${SUITES.join(', ')}.`)
  }
}

/** Options that do not fit together. */
export class UsageError extends Error {
  override name = 'UsageError'
  readonly exitCode = 2
}

const configFile = fileURLToPath(new URL('../vitest.workspace.ts', import.meta.url))
const root = fileURLToPath(new URL('../', import.meta.url))

/** What one run produced. */
export interface SuiteRun {
  exitCode: number
  modules: readonly TestModule[]
  root: string
}

/** Runs the suites; resolves to the process exit code. */
export async function runSuites(options: RunOptions): Promise<number> {
  return (await runSuitesDetailed(options)).exitCode
}

/** Runs the suites; resolves to the exit code and every test module's results. */
export async function runSuitesDetailed(options: RunOptions): Promise<SuiteRun> {
  process.exitCode = undefined
  const suites = options.suite?.length ? options.suite : [...SUITES]
  const unknown = suites.filter((s) => !(SUITES as readonly string[]).includes(s))
  if (unknown.length > 0) throw new UnknownSuiteError(unknown)
  if (options.database === 'shared' && options.isolation !== 'cleanup') {
    throw new UsageError('--database=shared needs --isolation=cleanup: a database other files use cannot be rolled back per test.')
  }
  if (options.mode === 'hot') guardProduction(readHotConfig(process.env), process.env, options.allowProduction ?? false)

  // Workers inherit these: the mode, isolation and leak policy reach every test file through the environment.
  process.env.ATOMS_TEST_MODE = options.mode
  process.env.ATOMS_ISOLATION = options.mode === 'hot' ? 'cleanup' : (options.isolation ?? 'rollback')
  if (options.failOnLeak) process.env.ATOMS_FAIL_ON_LEAK = '1'
  if (options.provider) process.env.ATOMS_COLD_PROVIDER = options.provider
  if (options.database) process.env.ATOMS_DATABASE = options.database
  if (options.allowProduction) process.env.ATOMS_ALLOW_PRODUCTION = '1'
  // The runner keeps only the steps of the named flow(s); other tests are skipped with that reason.
  if (options.flow) process.env[FLOW_ENV] = options.flow

  const vitest = await createVitest({
    config: configFile,
    root,
    run: true,
    watch: false,
    project: suites,
    // Vitest keeps a core free for watch mode; a one-shot run is faster with a worker per core
    // (workers spend their time in PGlite or waiting on Postgres, the main process mostly idles).
    maxWorkers: options.maxWorkers ?? availableParallelism(),
    ...(options.shard ? { shard: options.shard } : {}),
    // The chosen reporters (Vitest's default otherwise), then one line per suite.
    reporters: [...(options.reporter?.length ? options.reporter : ['default']), new SuiteSummaryReporter(options.mode)],
  })
  // Ctrl-C cancels the run instead of killing it, so workers can run harmful()'s cleanup.
  const cancel = () => void vitest.cancelCurrentRun('keyboard-input')
  process.once('SIGINT', cancel)
  try {
    await vitest.start(options.filters ?? [])
  } catch (error) {
    // Vitest has reported it and set the exit code (e.g. no test files matched the filters).
    process.exitCode ||= 1
    if (!(error instanceof Error)) throw error
  } finally {
    process.off('SIGINT', cancel)
    await vitest.close()
  }
  return { exitCode: process.exitCode === undefined ? 0 : Number(process.exitCode), modules: vitest.state.getTestModules(), root }
}
