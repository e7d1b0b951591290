/**
 * Policy cost: on a scratch database seeded with generate_series (10 000 rows per content table
 * by default, `ATOMS_RLS_COST_ROWS` to change), `EXPLAIN (ANALYZE, FORMAT JSON)` of every table's
 * `select *` as a workspace member, the way the API runs it. The report is attached to the test;
 * a table over `ATOMS_RLS_BUDGET_MS` (default 50 ms per query) in each of 3 measurements fails it, by name.
 */
import { expect, test } from '../../fixtures/index.ts'
import { rlsExpectations } from './expectations.ts'
import {
  budgetFromEnv,
  costRowsFromEnv,
  defaultCaps,
  formatPolicyCost,
  measurePolicyCost,
  memberClaims,
  overBudget,
  seedCostData,
} from './lib/index.ts'

test('policy cost: every table\'s select as a member stays within the budget on >= 10k rows', { timeout: 600_000 }, async ({ scratch, annotate }) => {
  const budget = budgetFromEnv()
  const db = await scratch({ migrate: true })
  const seed = await seedCostData(db, { rows: costRowsFromEnv() })
  expect(seed.total, 'the data set holds at least 10 000 rows').toBeGreaterThanOrEqual(10_000)

  const tables = Object.keys(rlsExpectations)
  const costs = await measurePolicyCost(db, memberClaims(seed.memberId), tables, seed.counts, defaultCaps(budget))
  const report = `${formatPolicyCost(costs, budget)}\n  (seed: ${seed.total} rows in ${Math.round(seed.ms)} ms)`
  await annotate(report, 'rls-policy-cost')
  console.log(report)

  // Not vacuous: every table was filled, and where measured the member saw a share, not everything.
  for (const table of tables) expect(seed.counts[table], `rows seeded in "${table}"`).toBeGreaterThan(0)
  const measured = costs.filter((c) => c.status === 'measured' && c.table !== 'profiles')
  for (const cost of measured) expect(cost.visible, `"${cost.table}": the member sees only part of the table`).toBeLessThan(cost.rows)
  if (measured.length > 0) expect(measured.some((c) => c.visible > 0), 'the member sees its own workspace').toBe(true)
  expect(overBudget(costs, budget).map((c) => c.table), report).toEqual([])
})
