/**
 * Policy cost: `EXPLAIN (ANALYZE, FORMAT JSON)` of each table's plain select, run the way the API
 * runs it (role `authenticated`, the member's JWT claims), so the figure is what the table's
 * SELECT policy costs on the seeded data set. Over budget fails, naming table and time.
 */
import type { JwtClaims, SqlExecutor } from '../../../harness/sql/index.ts'
import { CostSettingError } from './errors.ts'

/** The per-query budget when `ATOMS_RLS_BUDGET_MS` is unset. */
export const DEFAULT_BUDGET_MS = 50

/** The environment variable that overrides the budget. */
export const BUDGET_ENV = 'ATOMS_RLS_BUDGET_MS'

/** One table's measurement. */
export interface PolicyCost {
  table: string
  /** Rows in the table. */
  rows: number
  /** Rows the member's select returned. */
  visible: number
  planningMs: number
  executionMs: number
  /** Execution time per row of the table, in microseconds. */
  perRowUs: number
}

/** The budget in ms from `env` (default 50). @throws CostSettingError for a non-positive or non-numeric value. */
export function budgetFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env[BUDGET_ENV]
  if (raw === undefined || raw.trim() === '') return DEFAULT_BUDGET_MS
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new CostSettingError(BUDGET_ENV, raw)
  return value
}

/** The claims PostgREST would hand Postgres for `userId`. */
export function memberClaims(userId: string): JwtClaims {
  return { sub: userId, role: 'authenticated', aud: 'authenticated', email: `${userId}@example.test` }
}

interface ExplainRoot {
  Plan: { 'Actual Rows': number }
  'Planning Time': number
  'Execution Time': number
}

// node-postgres parses the json column; PGlite may hand the text back.
function parsePlan(value: unknown): ExplainRoot {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value
  const root = Array.isArray(parsed) ? parsed[0] : parsed
  if (!root || typeof root !== 'object' || !('Plan' in root)) throw new Error(`EXPLAIN returned no plan: ${JSON.stringify(value).slice(0, 200)}`)
  return root as ExplainRoot
}

/** Explains `select * from public.<table>` as role `authenticated` with `claims`. */
export async function explainSelect(db: SqlExecutor, claims: JwtClaims, table: string, rows: number): Promise<PolicyCost> {
  const result = await db.asRole('authenticated', claims, (tx) =>
    tx.query<Record<string, unknown>>(`explain (analyze, format json) select * from public."${table.replaceAll('"', '""')}"`),
  )
  const row = result.rows[0]
  const plan = parsePlan(row ? Object.values(row)[0] : undefined)
  const executionMs = plan['Execution Time']
  return {
    table,
    rows,
    visible: plan.Plan['Actual Rows'],
    planningMs: plan['Planning Time'],
    executionMs,
    perRowUs: rows > 0 ? (executionMs * 1000) / rows : 0,
  }
}

/** Measures every table in `tables` (sequentially, so the figures do not compete). */
export async function measurePolicyCost(
  db: SqlExecutor,
  claims: JwtClaims,
  tables: readonly string[],
  counts: Readonly<Record<string, number>>,
): Promise<PolicyCost[]> {
  const costs: PolicyCost[] = []
  for (const table of tables) costs.push(await explainSelect(db, claims, table, counts[table] ?? 0))
  return costs
}

/** The measurements over `budgetMs`. */
export function overBudget(costs: readonly PolicyCost[], budgetMs: number): PolicyCost[] {
  return costs.filter((cost) => cost.executionMs > budgetMs)
}

/** A table of the measurements, slowest first, marking those over budget. */
export function formatPolicyCost(costs: readonly PolicyCost[], budgetMs: number): string {
  const lines = [...costs]
    .sort((a, b) => b.executionMs - a.executionMs)
    .map((c) => {
      const flag = c.executionMs > budgetMs ? '  OVER BUDGET' : ''
      return `  ${c.table.padEnd(26)} ${String(c.rows).padStart(7)} rows ${String(c.visible).padStart(6)} visible ` +
        `${c.executionMs.toFixed(2).padStart(9)} ms (${c.perRowUs.toFixed(2)} µs/row, plan ${c.planningMs.toFixed(2)} ms)${flag}`
    })
  return [`RLS policy cost (select * as a member; budget ${budgetMs} ms per query):`, ...lines].join('\n')
}
