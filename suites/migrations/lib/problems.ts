/**
 * What a migrations check found wrong: which check, which migration file, what happened, and
 * the schema differences behind it (for the round trip and the no-op check).
 */
import type { Drift } from '../../schema/lib/index.ts'
import { describeDrift } from '../../schema/lib/index.ts'

/** The checks of the migrations suite. */
export type MigrationCheck = 'fresh' | 'apply' | 'rollback' | 're-apply' | 'no-op' | 'table' | 'tamper' | 'atomic'

/** One problem. */
export interface MigrationProblem {
  check: MigrationCheck
  /** The migration's file name, when one is to blame. */
  migration: string | null
  message: string
  /** Schema differences (reference first), when the problem is one of schema. */
  drifts: Drift[]
}

/** Builds a problem. */
export function problem(check: MigrationCheck, migration: string | null, message: string, drifts: Drift[] = []): MigrationProblem {
  return { check, migration, message, drifts }
}

/** A problem from an error a step threw, with its SQLSTATE when it has one. */
export function errorProblem(check: MigrationCheck, migration: string | null, what: string, error: unknown): MigrationProblem {
  const code = (error as { code?: unknown } | null)?.code
  const text = error instanceof Error ? error.message : String(error)
  return problem(check, migration, `${what} failed: ${typeof code === 'string' ? `[${code}] ` : ''}${text}`)
}

/** One problem as text: `[rollback] "…_rpc_functions.sql": message`, then one line per drift. */
export function formatProblem(p: MigrationProblem): string {
  const head = `[${p.check}]${p.migration ? ` "${p.migration}"` : ''}: ${p.message}`
  return [head, ...p.drifts.map((d) => `    ${d.table ? `table "${d.table}" ` : ''}${describeDrift(d)}`)].join('\n')
}

/** Every problem as one report. */
export function formatProblems(problems: MigrationProblem[]): string {
  if (problems.length === 0) return 'migrations: no problems'
  return [`migrations: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, ...problems.map(formatProblem)].join('\n')
}
