/**
 * Observations against expectations: every cell in scope that disagrees (or was never probed)
 * becomes a mismatch naming table, operation and actor, in the expectations' order.
 */
import type { Actor, Expectations, Mismatch, Observation, Operation } from './types.ts'
import { UnknownTableError } from './errors.ts'
import { ACTORS, OPERATIONS } from './types.ts'

/** Which cells to compare; every table, operation and actor by default. */
export interface MatrixScope {
  tables?: readonly string[]
  operations?: readonly Operation[]
  actors?: readonly Actor[]
}

/** The tables of `scope`, checked against `expectations`. */
export function scopeTables(expectations: Expectations, scope: MatrixScope = {}): string[] {
  const tables = scope.tables ?? Object.keys(expectations)
  const unknown = tables.filter((table) => !Object.hasOwn(expectations, table))
  if (unknown.length > 0) throw new UnknownTableError(unknown, Object.keys(expectations))
  return [...tables]
}

function cellKey(table: string, operation: Operation, actor: Actor): string {
  return `${table}\u0000${operation}\u0000${actor}`
}

/** Every cell of `scope` whose observation differs from the expectation, or is missing. */
export function compareMatrix(expectations: Expectations, observations: readonly Observation[], scope: MatrixScope = {}): Mismatch[] {
  const seen = new Map<string, Observation>()
  for (const observation of observations) seen.set(cellKey(observation.table, observation.operation, observation.actor), observation)
  const mismatches: Mismatch[] = []
  for (const table of scopeTables(expectations, scope)) {
    const expectation = expectations[table]!
    for (const operation of scope.operations ?? OPERATIONS) {
      for (const actor of scope.actors ?? ACTORS) {
        const expected = expectation[operation][actor]
        const observation = seen.get(cellKey(table, operation, actor))
        if (!observation) {
          mismatches.push({ table, operation, actor, expected, observed: 'missing', detail: 'never probed' })
        } else if (observation.observed !== expected) {
          mismatches.push({ table, operation, actor, expected, observed: observation.observed, detail: observation.detail })
        }
      }
    }
  }
  return mismatches
}

/** One line per mismatch: `documents × select × outsider: expected deny, observed allow (saw all 2 rows)`. */
export function formatMismatches(mismatches: readonly Mismatch[]): string {
  if (mismatches.length === 0) return 'RLS matrix: every probed cell matches the expectations.'
  const lines = mismatches.map(
    (m) => `  ${m.table} × ${m.operation} × ${m.actor}: expected ${m.expected}, observed ${m.observed} (${m.detail})`,
  )
  return [`RLS matrix: ${mismatches.length} cell(s) disagree with suites/rls/expectations.ts:`, ...lines].join('\n')
}
