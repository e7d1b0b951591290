import type { PolicyCatalog } from './coverage.ts'
import type { Expectations, OperationExpectation } from './types.ts'
import { describe, expect, test } from 'vitest'
import { checkCoverage, formatCoverage } from './coverage.ts'

const deny: OperationExpectation = { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'deny', outsider: 'deny', service: 'allow' }
const table = (policies: Expectations[string]['policies']) => ({ target: 'x', policies, select: deny, insert: deny, update: deny, delete: deny })
const policy = (command: 'select' | 'insert' | 'update' | 'delete' | 'all') => ({ command, permissive: true, roles: ['authenticated'] })

const expectations: Expectations = {
  notes: table({ select: ['notes_select'], insert: ['notes_write'], update: ['notes_write'], delete: ['notes_write'] }),
}

/** A catalog exactly covered by `expectations`; tests break one thing at a time. */
function catalog(): PolicyCatalog {
  return {
    notes: {
      rls: true,
      forceRls: false,
      policies: { notes_select: policy('select'), notes_write: { ...policy('all'), command: 'all' } },
    },
  }
}

describe('checkCoverage', () => {
  test('a covered catalog has no problem', () => {
    expect(checkCoverage({ notes: table({ select: ['notes_select', 'notes_write'], insert: ['notes_write'], update: ['notes_write'], delete: ['notes_write'] }) }, catalog())).toEqual([])
  })

  test('an ALL policy listed under only some operations is misfiled', () => {
    const problems = checkCoverage(expectations, catalog())
    expect(problems.map((p) => [p.kind, p.policy])).toEqual([['policy-misfiled', 'notes_write']])
    expect(problems[0]!.message).toContain('decides select/insert/update/delete')
  })

  test('RLS off, a table without expectations, an unlisted and a missing policy are each named', () => {
    const db = catalog()
    db.notes!.rls = false
    db.notes!.policies.notes_select_all = policy('select')
    delete db.notes!.policies.notes_write
    db.secrets = { rls: true, forceRls: false, policies: {} }
    db.open = { rls: false, forceRls: false, policies: {} }
    const exp: Expectations = { ...expectations, gone: table({ select: [], insert: [], update: [], delete: [] }) }
    const problems = checkCoverage(exp, db)
    expect(problems.map((p) => [p.kind, p.table, p.policy ?? null])).toEqual([
      ['table-missing', 'gone', null],
      ['rls-disabled', 'notes', null],
      ['policy-uncovered', 'notes', 'notes_select_all'],
      ['policy-missing', 'notes', 'notes_write'],
      ['rls-disabled', 'open', null],
      ['table-uncovered', 'open', null],
      ['table-uncovered', 'secrets', null],
    ])
    const report = formatCoverage(problems)
    expect(report).toContain('[policy-uncovered] policy "notes_select_all" (select, permissive, to authenticated) on "notes" is not in the expectations')
    expect(report).toContain('[rls-disabled] table "notes" has row-level security disabled')
    expect(report).toContain('[policy-missing] policy "notes_write" (insert/update/delete) on "notes" is listed but does not exist')
  })

  test('a policy filed under the wrong operation is misfiled', () => {
    const problems = checkCoverage({ notes: table({ select: ['notes_select'], insert: ['notes_write'], update: ['notes_write'], delete: ['notes_write', 'notes_select'] }) }, catalog())
    expect(problems.map((p) => [p.kind, p.policy])).toEqual([
      ['policy-misfiled', 'notes_select'],
      ['policy-misfiled', 'notes_write'],
    ])
  })
})
