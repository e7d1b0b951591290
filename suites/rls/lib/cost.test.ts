import type { PolicyCost } from './cost.ts'
import { describe, expect, test } from 'vitest'
import { BUDGET_ENV, DEFAULT_BUDGET_MS, budgetFromEnv, defaultCaps, formatPolicyCost, overBudget } from './cost.ts'
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
    expect(defaultCaps(50)).toEqual({ queryMs: 1000, totalMs: 8000 })
    expect(defaultCaps(200)).toEqual({ queryMs: 4000, totalMs: 32_000 })
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
