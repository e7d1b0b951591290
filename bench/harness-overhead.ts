/**
 * Harness overhead: 200 trivial tests under the atoms-test runner with a harmful fixture
 * (each test tracks one row, deleted after it) vs the same 200 tests under Vitest's plain
 * runner with a hand-written fixture doing the same bookkeeping. Both variants run
 * programmatically in this one process, alternating, and the medians are compared.
 *
 * Target: custom / plain <= 1.1x.   Run: npx tsx bench/harness-overhead.ts [rounds]
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createVitest } from 'vitest/node'
import { median, percentile } from './stats.ts'

const ROOT = resolve(import.meta.dirname, '..')
const TARGET = 1.1
const FILES = 10
const TESTS_PER_FILE = 20
const ROUNDS = Number(process.argv[2] ?? 5)
const dir = join(ROOT, '.tmp', `bench-harness-overhead-${process.pid}`)
// The suites' fixtures import harmful() from here, not the whole harness index.
const harness = resolve(ROOT, 'harness/harmful.ts')

type Variant = 'plain' | 'harness'

function source(variant: Variant, file: number): string {
  const tests = `for (let i = 0; i < ${TESTS_PER_FILE}; i++) {
  test(\`test \${i}\`, ({ harmful }) => {
    const key = \`f${file}-\${i}\`
    rows.add(key)
    harmful.track({ table: 'rows', key })
    expect(i + 1).toBe(i + 1)
  })
}
`
  if (variant === 'harness') {
    return `import type { HarmfulTracker } from '${harness}'
import { expect, test as base } from 'vitest'
import { configureHarmful, harmfulFor } from '${harness}'

const rows = new Set<string>()
configureHarmful({ deleter: { deleteRow: async (row) => (rows.delete(String(row.key)) ? 'deleted' : 'missing') } })
const test = base.extend<{ harmful: HarmfulTracker }>({
  harmful: async ({ task }, use) => use(harmfulFor(task)),
})
${tests}`
  }
  return `import { expect, test as base } from 'vitest'

const rows = new Set<string>()
const test = base.extend<{ harmful: { track: (row: { table: string; key: string }) => void } }>({
  harmful: async ({}, use) => {
    const tracked: string[] = []
    await use({ track: (row) => void tracked.push(row.key) })
    for (const key of tracked.reverse()) rows.delete(key)
  },
})
${tests}`
}

interface RoundResult {
  /** Wall time of the whole programmatic run (workers, transforms, tests). */
  ms: number
  /** Time the workers spent collecting and running the files (sum over files); less exposed to process start-up. */
  workerMs: number
  /** Of which: running the tests (hooks, fixtures, runner lifecycle), without importing the files. */
  runMs: number
  passed: number
  deleted: number
}

async function runOnce(variant: Variant): Promise<RoundResult> {
  const started = performance.now()
  const vitest = await createVitest('test', {
    config: false,
    root: ROOT,
    include: [`.tmp/${dir.split('/').pop()}/${variant}/*.test.ts`],
    runner: variant === 'harness' ? resolve(ROOT, 'harness/runner.ts') : undefined,
    pool: 'forks',
    maxWorkers: 2,
    watch: false,
    reporters: [],
    env: { ATOMS_TEST_MODE: 'dry' },
  })
  try {
    await vitest.start()
    const ms = performance.now() - started
    const modules = vitest.state.getTestModules()
    const workerMs = modules.reduce((sum, module) => sum + module.diagnostic().collectDuration + module.diagnostic().duration, 0)
    const runMs = modules.reduce((sum, module) => sum + module.diagnostic().duration, 0)
    const tests = modules.flatMap((module) => [...module.children.allTests()])
    const passed = tests.filter((test) => test.result().state === 'passed').length
    const deleted = tests.filter((test) => (test.meta().harmful as { deleted?: number } | undefined)?.deleted === 1).length
    return { ms, workerMs, runMs, passed, deleted }
  } finally {
    await vitest.close()
  }
}

const p95 = (values: number[]): number => percentile(values, 95)

async function main(): Promise<void> {
  for (const variant of ['plain', 'harness'] as const) {
    await mkdir(join(dir, variant), { recursive: true })
    for (let file = 0; file < FILES; file++) await writeFile(join(dir, variant, `f${file}.test.ts`), source(variant, file))
  }
  const times: Record<Variant, number[]> = { plain: [], harness: [] }
  const inWorkers: Record<Variant, number[]> = { plain: [], harness: [] }
  const running: Record<Variant, number[]> = { plain: [], harness: [] }
  const exitCode = process.exitCode
  try {
    // One warm-up of each variant fills Vite's transform cache, so the rounds compare like with like.
    await runOnce('plain')
    await runOnce('harness')
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of round % 2 ? (['harness', 'plain'] as const) : (['plain', 'harness'] as const)) {
        const result = await runOnce(variant)
        const total = FILES * TESTS_PER_FILE
        if (result.passed !== total) throw new Error(`${variant}: only ${result.passed} of ${total} tests passed`)
        if (variant === 'harness' && result.deleted !== total) throw new Error(`harness: only ${result.deleted} of ${total} tests deleted their row`)
        times[variant].push(result.ms)
        inWorkers[variant].push(result.workerMs)
        running[variant].push(result.runMs)
      }
    }
  } finally {
    process.exitCode = exitCode
    await rm(dir, { recursive: true, force: true })
  }
  const plain = median(times.plain)
  const custom = median(times.harness)
  const ratio = custom / plain
  const format = (ms: number) => `${ms.toFixed(0)} ms`
  console.log(`harness overhead: ${FILES * TESTS_PER_FILE} trivial tests, ${ROUNDS} rounds each (forks pool, 2 workers)`)
  console.log(`  plain Vitest runner + hand-written fixture : median ${format(plain)}, p95 ${format(p95(times.plain))}`)
  console.log(`  atoms-test runner + harmful fixture         : median ${format(custom)}, p95 ${format(p95(times.harness))}`)
  const plainWorkers = median(inWorkers.plain)
  const customWorkers = median(inWorkers.harness)
  console.log(`  inside the workers (collect + run, summed over files): plain ${format(plainWorkers)}, atoms-test ${format(customWorkers)}, ratio ${(customWorkers / plainWorkers).toFixed(3)}x`)
  console.log(`  running the tests only (no imports): plain ${format(median(running.plain))}, atoms-test ${format(median(running.harness))}, ratio ${(median(running.harness) / median(running.plain)).toFixed(3)}x`)
  console.log(`  per-test overhead (wall): ${(((custom - plain) / (FILES * TESTS_PER_FILE)) * 1000).toFixed(0)} µs`)
  console.log(`  ratio ${ratio.toFixed(3)}x (target <= ${TARGET}x): ${ratio <= TARGET ? 'within target' : 'ABOVE TARGET'}`)
}

await main()
