import type { SqlExecutor, SqlSession } from '../../../harness/sql/index.ts'
import type { PolicyCost } from './cost.ts'
import { describe, expect, test } from 'vitest'
import { BUDGET_ENV, DEFAULT_BUDGET_MS, budgetFromEnv, defaultCaps, formatPolicyCost, measurePolicyCost, overBudget } from './cost.ts'
import { COST_ROWS_ENV, DEFAULT_COST_ROWS, costRowsFromEnv, costSeedSql } from './costSeed.ts'
import { CostSettingError } from './errors.ts'

const measured = (table: string, executionMs: number): PolicyCost => ({
  table,
  status: 'measured',
  rows: 10_000,
  visible: 10,
  planningMs: 0.5,
  executionMs,
  perRowUs: executionMs / 10,
})

describe('settings', () => {
  test('the budget defaults to 50 ms and reads ATOMS_RLS_BUDGET_MS', () => {
    expect(budgetFromEnv({})).toBe(DEFAULT_BUDGET_MS)
    expect(budgetFromEnv({ [BUDGET_ENV]: ' ' })).toBe(50)
    expect(budgetFromEnv({ [BUDGET_ENV]: '12.5' })).toBe(12.5)
  })
  test('a budget that is not a positive number is a typed error naming the variable', () => {
    for (const value of ['0', '-3', 'fast', 'Infinity']) {
      expect(() => budgetFromEnv({ [BUDGET_ENV]: value })).toThrow(CostSettingError)
    }
    expect(() => budgetFromEnv({ [BUDGET_ENV]: 'fast' })).toThrow('"ATOMS_RLS_BUDGET_MS" must be a positive number of milliseconds, got "fast"')
  })
  test('rows per table default to 10 000 and must be a positive whole number', () => {
    expect(costRowsFromEnv({})).toBe(DEFAULT_COST_ROWS)
    expect(costRowsFromEnv({ [COST_ROWS_ENV]: '2000' })).toBe(2000)
    expect(() => costRowsFromEnv({ [COST_ROWS_ENV]: '1.5' })).toThrow(CostSettingError)
  })
  test('caps scale with the budget and never drop under a second per query', () => {
    expect(defaultCaps(50)).toEqual({ budgetMs: 50, attempts: 3, queryMs: 1000, totalMs: 8000 })
    expect(defaultCaps(200)).toEqual({ budgetMs: 200, attempts: 3, queryMs: 4000, totalMs: 32_000 })
  })
})

describe('budget verdicts', () => {
  test('over budget: slower than the budget, cancelled, or never measured', () => {
    const costs: PolicyCost[] = [
      measured('fast', 3),
      measured('slow', 80),
      { ...measured('stuck', 1000), status: 'cancelled' },
      { ...measured('late', 0), status: 'not-measured' },
    ]
    expect(overBudget(costs, 50).map((c) => c.table)).toEqual(['slow', 'stuck', 'late'])
    const report = formatPolicyCost(costs, 50).split('\n')
    expect(report[0]).toBe('RLS policy cost (select * as a workspace member; budget 50 ms per query):')
    expect(report[1]).toContain('stuck')
    expect(report[1]).toContain('cancelled after 1000 ms')
    expect(report.find((line) => line.includes('slow'))).toContain('80.00 ms')
    expect(report.find((line) => line.includes('slow'))).toContain('OVER BUDGET')
    expect(report.find((line) => line.includes('fast'))).not.toContain('OVER BUDGET')
    expect(report.at(-1)).toContain('late')
  })
})

test('the seed script fills every table of the matrix from generate_series', () => {
  const sql = costSeedSql(1000)
  for (const table of ['organizations', 'organization_members', 'organization_invitations', 'projects', 'project_members', 'documents', 'blocks',
    'properties', 'requirements', 'test_req', 'requirement_tests', 'trace_links', 'assignments', 'workflows', 'workflow_runs']) {
    expect(sql, table).toContain(`insert into public.${table} `)
  }
  expect(sql).toContain('generate_series(0, 999)')
  expect(sql).toContain('insert into auth.users ')
})

describe('measuring', () => {
  /** An executor whose EXPLAIN of each table reports the next of its listed execution times. */
  function explaining(times: Record<string, number[]>): { db: SqlExecutor, runs: Record<string, number> } {
    const runs: Record<string, number> = {}
    const session: SqlSession = {
      query: async <R>(sql: string) => {
        const table = /public\."([^"]+)"/.exec(sql)?.[1]
        if (!table) return { rows: [] as R[], rowCount: 0, fields: [] }
        const n = (runs[table] = (runs[table] ?? 0) + 1)
        const ms = times[table]![Math.min(n, times[table]!.length) - 1]!
        const plan = [{ Plan: { 'Actual Rows': 5 }, 'Planning Time': 0.2, 'Execution Time': ms }]
        return { rows: [{ 'QUERY PLAN': plan }] as R[], rowCount: 1, fields: [] }
      },
      exec: async () => undefined,
    }
    const db = { asRole: (_role: unknown, _claims: unknown, fn: (tx: SqlSession) => Promise<unknown>) => fn(session) } as unknown as SqlExecutor
    return { db, runs }
  }
  const caps = defaultCaps(50)

  test('a table over budget once and within it next time is measured again and passes; one within budget runs once', async () => {
    const { db, runs } = explaining({ blip: [120, 20], quick: [5] })
    const costs = await measurePolicyCost(db, {}, ['blip', 'quick'], { blip: 100, quick: 100 }, caps)
    expect(costs.map((c) => [c.table, c.executionMs])).toEqual([['blip', 20], ['quick', 5]])
    expect(runs).toEqual({ blip: 2, quick: 1 })
    expect(overBudget(costs, 50)).toEqual([])
  })

  test('a table over budget every time stays over budget, reported with its fastest time', async () => {
    const { db, runs } = explaining({ slow: [90, 70, 80] })
    const costs = await measurePolicyCost(db, {}, ['slow'], { slow: 100 }, caps)
    expect(runs.slow).toBe(3)
    expect(overBudget(costs, 50).map((c) => [c.table, c.executionMs])).toEqual([['slow', 70]])
  })
})
