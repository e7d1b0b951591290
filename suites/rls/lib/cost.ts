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

/**
 * How a table's measurement ended: measured; cancelled by the per-query cap (server engines);
 * or not run because the measurements together used up their time cap.
 */
export type CostStatus = 'measured' | 'cancelled' | 'not-measured'

/** One table's measurement. */
export interface PolicyCost {
  table: string
  status: CostStatus
  /** Rows in the table. */
  rows: number
  /** Rows the member's select returned (0 unless measured). */
  visible: number
  planningMs: number
  /** The execution time; for a cancelled query, the cap it hit. */
  executionMs: number
  /** Execution time per row of the table, in microseconds. */
  perRowUs: number
}

/** Caps that keep a run short however slow the policies are (the verdict is known once over budget). */
export interface CostCaps {
  /** The budget a measurement is judged against. */
  budgetMs: number
  /**
   * Measurements of a table over budget, first included, before it counts as over (default 3).
   * The fastest counts: a slow policy is slow every time, a moment of load on the machine is not.
   */
  attempts: number
  /** `statement_timeout` of each EXPLAIN; honoured by Postgres, ignored by PGlite (default 20 x budget, at least 1 s). */
  queryMs: number
  /** Tables left once the measurements took this long are reported as not measured (default 8 x queryMs). */
  totalMs: number
}

/** The default caps for `budgetMs`. */
export function defaultCaps(budgetMs: number): CostCaps {
  const queryMs = Math.max(1_000, Math.ceil(budgetMs * 20))
  return { budgetMs, attempts: 3, queryMs, totalMs: queryMs * 8 }
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

const QUERY_CANCELED = '57014'

/** Explains `select * from public.<table>` as role `authenticated` with `claims`, cancelled after `capMs`. */
export async function explainSelect(db: SqlExecutor, claims: JwtClaims, table: string, rows: number, capMs = 0): Promise<PolicyCost> {
  let plan: ExplainRoot
  try {
    const result = await db.asRole('authenticated', claims, async (tx) => {
      if (capMs > 0) await tx.query(`select set_config('statement_timeout', $1, true)`, [String(Math.ceil(capMs))])
      return tx.query<Record<string, unknown>>(`explain (analyze, format json) select * from public."${table.replaceAll('"', '""')}"`)
    })
    const row = result.rows[0]
    plan = parsePlan(row ? Object.values(row)[0] : undefined)
  } catch (error) {
    if ((error as { code?: string }).code !== QUERY_CANCELED) throw error
    return { table, status: 'cancelled', rows, visible: 0, planningMs: 0, executionMs: capMs, perRowUs: rows > 0 ? (capMs * 1000) / rows : 0 }
  }
  const executionMs = plan['Execution Time']
  return {
    table,
    status: 'measured',
    rows,
    visible: plan.Plan['Actual Rows'],
    planningMs: plan['Planning Time'],
    executionMs,
    perRowUs: rows > 0 ? (executionMs * 1000) / rows : 0,
  }
}

/** Measures every table in `tables` one after another, so the figures do not compete. */
export async function measurePolicyCost(
  db: SqlExecutor,
  claims: JwtClaims,
  tables: readonly string[],
  counts: Readonly<Record<string, number>>,
  caps: CostCaps,
): Promise<PolicyCost[]> {
  const costs: PolicyCost[] = []
  const started = performance.now()
  for (const table of tables) {
    const rows = counts[table] ?? 0
    if (performance.now() - started > caps.totalMs) {
      costs.push({ table, status: 'not-measured', rows, visible: 0, planningMs: 0, executionMs: 0, perRowUs: 0 })
      continue
    }
    let cost = await explainSelect(db, claims, table, rows, caps.queryMs)
    // Only a finished measurement over budget is taken again; a cancelled one ran 20 x the budget.
    for (let attempt = 1; attempt < caps.attempts && cost.status === 'measured' && cost.executionMs > caps.budgetMs; attempt++) {
      const again = await explainSelect(db, claims, table, rows, caps.queryMs)
      if (again.status === 'measured' && again.executionMs < cost.executionMs) cost = again
    }
    costs.push(cost)
  }
  return costs
}

/** The measurements over `budgetMs`, with those cancelled or never run (their cost is unknown but high). */
export function overBudget(costs: readonly PolicyCost[], budgetMs: number): PolicyCost[] {
  return costs.filter((cost) => cost.status !== 'measured' || cost.executionMs > budgetMs)
}

/** A table of the measurements, slowest first, marking those over budget. */
export function formatPolicyCost(costs: readonly PolicyCost[], budgetMs: number): string {
  const rank = (c: PolicyCost) => (c.status === 'not-measured' ? -1 : c.executionMs)
  const lines = [...costs]
    .sort((a, b) => rank(b) - rank(a))
    .map((c) => {
      const head = `  ${c.table.padEnd(26)} ${String(c.rows).padStart(7)} rows`
      if (c.status === 'not-measured') return `${head}  not measured: the measurements used up their time cap  OVER BUDGET`
      if (c.status === 'cancelled') return `${head}  cancelled after ${c.executionMs} ms (> ${c.perRowUs.toFixed(2)} µs/row)  OVER BUDGET`
      const flag = c.executionMs > budgetMs ? '  OVER BUDGET' : ''
      return `${head} ${String(c.visible).padStart(6)} visible ${c.executionMs.toFixed(2).padStart(9)} ms ` +
        `(${c.perRowUs.toFixed(2)} µs/row, plan ${c.planningMs.toFixed(2)} ms)${flag}`
    })
  return [`RLS policy cost (select * as a workspace member; budget ${budgetMs} ms per query):`, ...lines].join('\n')
}
