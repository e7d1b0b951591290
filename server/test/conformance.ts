/**
 * The MCP conformance suite against the bundled server, as a script (the same run as
 * `conformance.test.ts`, with the suite's output kept for reading).
 * Run: npx tsx server/test/conformance.ts [scenario ...]
 * Exit code: 0 when every selected scenario has no FAILURE check.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APPLICABLE, passed, runConformance } from './conformanceRun.ts'

const scenarios = process.argv.slice(2).length ? process.argv.slice(2) : [...APPLICABLE]
const outputDir = mkdtempSync(join(tmpdir(), 'atoms-conformance-'))
const results = await runConformance(scenarios, { outputDir })
for (const result of results) {
  const counts = result.checks.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }), {})
  console.log(`${passed(result) ? 'PASS' : 'FAIL'} ${result.scenario} ${JSON.stringify(counts)}`)
  for (const f of result.checks.filter((c) => c.status === 'FAILURE')) console.log(`  - ${f.id}: ${f.errorMessage ?? ''}`)
  if (result.checks.length === 0) console.log(result.output.slice(-2_000))
}
console.log(`results in ${outputDir}`)
process.exitCode = results.every(passed) ? 0 : 1
