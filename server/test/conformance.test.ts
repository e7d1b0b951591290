/**
 * The official MCP conformance suite's server scenarios that apply to a tools-only server, run
 * against `atoms-mcp --transport http` on the machine's Postgres (see `conformanceRun.ts`).
 */
import type { ConformanceCheck } from './conformanceRun.ts'

import { describe, expect, it } from 'vitest'
import { APPLICABLE, passed, runConformance } from './conformanceRun.ts'

const summary = (checks: ConformanceCheck[]) => checks.map((c) => `${c.id}: ${c.status}${c.errorMessage ? ` (${c.errorMessage})` : ''}`)

describe('MCP conformance (server scenarios)', () => {
  it(`passes ${APPLICABLE.join(', ')}`, async () => {
    const results = await runConformance()
    expect(results.map((r) => r.scenario)).toEqual([...APPLICABLE])
    for (const result of results) {
      // Every scenario ran checks (none means the suite could not run it) and none failed.
      expect(result.checks.length, `${result.scenario} ran no check:\n${result.output.slice(-2_000)}`).toBeGreaterThan(0)
      expect(summary(result.checks).filter((line) => line.includes(': FAILURE')), result.scenario).toEqual([])
      expect(passed(result)).toBe(true)
    }
  }, 180_000)

  it('reports a failure when the server breaks a scenario (DNS-rebinding protection off)', async () => {
    const [result] = await runConformance(['dns-rebinding-protection'], { serverEnv: { ATOMS_MCP_DNS_REBINDING_PROTECTION: 'false' } })
    expect(result!.checks.some((c) => c.status === 'FAILURE'), summary(result!.checks).join('\n')).toBe(true)
    expect(passed(result!)).toBe(false)
  }, 120_000)
})
