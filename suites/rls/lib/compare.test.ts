import type { Expectations, Observation, OperationExpectation } from './types.ts'
import { describe, expect, test } from 'vitest'
import { compareMatrix, formatMismatches, scopeTables } from './compare.ts'
import { UnknownTableError } from './errors.ts'
import { ACTORS, OPERATIONS } from './types.ts'

const onlyService: OperationExpectation = { anon: 'deny', member: 'deny', editor: 'deny', viewer: 'deny', admin: 'deny', owner: 'deny', outsider: 'deny', service: 'allow' }
const expectations: Expectations = {
  notes: {
    target: 'a note',
    policies: { select: ['notes_select'], insert: [], update: [], delete: [] },
    select: { ...onlyService, owner: 'allow' },
    insert: onlyService,
    update: onlyService,
    delete: onlyService,
  },
}

/** Observations that agree with `expectations` everywhere. */
function agreeing(): Observation[] {
  return OPERATIONS.flatMap((operation) =>
    ACTORS.map((actor) => ({ table: 'notes', operation, actor, observed: expectations.notes![operation][actor], detail: 'probe' })),
  )
}

describe('compareMatrix', () => {
  test('no mismatch when every cell agrees', () => {
    expect(compareMatrix(expectations, agreeing())).toEqual([])
  })

  test('a disagreeing cell is named by table, operation and actor', () => {
    const observations = agreeing().map((o) =>
      o.operation === 'select' && o.actor === 'outsider' ? { ...o, observed: 'allow' as const, detail: 'saw all 2 rows' } : o,
    )
    const mismatches = compareMatrix(expectations, observations)
    expect(mismatches).toEqual([{ table: 'notes', operation: 'select', actor: 'outsider', expected: 'deny', observed: 'allow', detail: 'saw all 2 rows' }])
    expect(formatMismatches(mismatches)).toBe(
      'RLS matrix: 1 cell(s) disagree with suites/rls/expectations.ts:\n  notes × select × outsider: expected deny, observed allow (saw all 2 rows)',
    )
  })

  test('an error is never a match, and a cell never probed is reported as missing', () => {
    const observations = agreeing()
      .filter((o) => !(o.operation === 'delete' && o.actor === 'owner'))
      .map((o) => (o.operation === 'insert' && o.actor === 'service' ? { ...o, observed: 'error' as const } : o))
    expect(compareMatrix(expectations, observations).map((m) => [m.operation, m.actor, m.observed])).toEqual([
      ['insert', 'service', 'error'],
      ['delete', 'owner', 'missing'],
    ])
  })

  test('the scope limits the cells compared', () => {
    expect(compareMatrix(expectations, [], { operations: ['select'], actors: ['anon', 'owner'] })).toHaveLength(2)
  })

  test('an unknown table in the scope is a typed error naming it', () => {
    expect(() => scopeTables(expectations, { tables: ['notes', 'nope'] })).toThrow(UnknownTableError)
    expect(() => scopeTables(expectations, { tables: ['nope'] })).toThrow('"nope"')
  })
})

test('formatMismatches says so when everything agrees', () => {
  expect(formatMismatches([])).toContain('every probed cell matches')
})
