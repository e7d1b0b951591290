/**
 * Per-test verdicts of a run and the difference between two runs: the mode-parity check
 * (the same suites must reach the same verdicts in dry and in cold).
 */
import type { TestModule } from 'vitest/node'

/** `passed`, `failed`, or `skipped` with the note a mode guard gave. */
export type Verdict = string

/** Full test name (`file > describe > test`) → verdict. */
export type Verdicts = Map<string, Verdict>

/**
 * The name a test is compared under. Flows that run once per MCP transport carry it in their name
 * (`crud over stdio`), and the transports differ by mode (in-process in dry; stdio and HTTP in
 * cold), so the transport is folded away: all of a flow's runs must reach one verdict.
 */
export function parityName(fullName: string): string {
  return fullName.replace(/ over (memory|stdio|http)\b/g, ' over <transport>')
}

/** Collects the verdict of every test of a finished run (several runs of one name must agree). */
export function collectVerdicts(modules: readonly TestModule[], root: string): Verdicts {
  const verdicts: Verdicts = new Map()
  for (const module of modules) {
    const file = module.moduleId.startsWith(root) ? module.moduleId.slice(root.length).replace(/^\/+/, '') : module.moduleId
    for (const test of module.children.allTests()) {
      const result = test.result()
      const note = result.state === 'skipped' ? result.note : undefined
      const name = `${file} > ${parityName(test.fullName)}`
      const verdict = note ? `skipped (${note})` : result.state
      const earlier = verdicts.get(name)
      verdicts.set(name, earlier === undefined || earlier === verdict ? verdict : [...new Set([...earlier.split(' | '), verdict])].sort().join(' | '))
    }
  }
  return verdicts
}

/** One test whose verdicts differ. */
export interface VerdictDifference {
  test: string
  left: Verdict | 'absent'
  right: Verdict | 'absent'
}

/**
 * Tests whose verdicts differ. A test skipped by a mode guard in exactly one mode is expected
 * (the guard says why) and is not a difference; everything else is.
 */
export function diffVerdicts(left: Verdicts, right: Verdicts): VerdictDifference[] {
  const names = [...new Set([...left.keys(), ...right.keys()])].sort()
  const differences: VerdictDifference[] = []
  for (const test of names) {
    const a = left.get(test) ?? 'absent'
    const b = right.get(test) ?? 'absent'
    if (a === b) continue
    const guarded = (v: string) => /^skipped \((requires mode|skipped in mode)/.test(v)
    if (guarded(a) || guarded(b)) continue
    differences.push({ test, left: a, right: b })
  }
  return differences
}
