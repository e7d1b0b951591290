import { describe, expect, test } from 'vitest'
import { PostgrestError } from './errors.ts'
import { parseSelect } from './parseSelect.ts'

function failure(fn: () => unknown): PostgrestError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PostgrestError) return error
    throw error
  }
  throw new Error('expected a PostgrestError')
}

describe('parseSelect', () => {
  test('columns, star, aliases, casts and JSON paths', () => {
    expect(parseSelect('*,id, name:title ,n:meta->k::int,meta->>"a b",data->0')).toEqual([
      { kind: 'star' },
      { kind: 'field', field: { name: 'id', jsonPath: [] } },
      { kind: 'field', field: { name: 'title', jsonPath: [] }, alias: 'name' },
      { kind: 'field', field: { name: 'meta', jsonPath: [{ arrow: '->', key: 'k', index: false }] }, alias: 'n', cast: 'int' },
      { kind: 'field', field: { name: 'meta', jsonPath: [{ arrow: '->>', key: 'a b', index: false }] } },
      { kind: 'field', field: { name: 'data', jsonPath: [{ arrow: '->', key: '0', index: true }] } },
    ])
  })

  test('quoted names keep commas, colons and parentheses', () => {
    expect(parseSelect('"a,b":"c(d)"')).toEqual([{ kind: 'field', field: { name: 'c(d)', jsonPath: [] }, alias: 'a,b' }])
  })

  test('embeds with alias, hint and join type, nested', () => {
    expect(parseSelect('id,owner:projects!projects_org_id_fkey!inner(id,tasks(*)),details!left()')).toEqual([
      { kind: 'field', field: { name: 'id', jsonPath: [] } },
      {
        kind: 'embed',
        relation: 'projects',
        alias: 'owner',
        hint: 'projects_org_id_fkey',
        joinType: 'inner',
        items: [
          { kind: 'field', field: { name: 'id', jsonPath: [] } },
          { kind: 'embed', relation: 'tasks', items: [{ kind: 'star' }] },
        ],
      },
      { kind: 'embed', relation: 'details', joinType: 'left', items: [] },
    ])
  })

  test('an empty select selects nothing', () => {
    expect(parseSelect('')).toEqual([])
  })

  test('syntax errors are PGRST100 with the column', () => {
    const error = failure(() => parseSelect('id,name!x'))
    expect(error.status).toBe(400)
    expect(error.toJSON()).toMatchObject({ code: 'PGRST100', message: '"failed to parse select parameter (id,name!x)" (line 1, column 10)' })
    expect(failure(() => parseSelect('projects(id')).code).toBe('PGRST100')
    expect(failure(() => parseSelect('id)')).code).toBe('PGRST100')
    expect(failure(() => parseSelect('name::')).code).toBe('PGRST100')
    expect(failure(() => parseSelect(',id')).code).toBe('PGRST100')
  })

  test('aggregates answer PGRST123 and spreads answer unsupported', () => {
    expect(failure(() => parseSelect('count()')).toJSON()).toMatchObject({ code: 'PGRST123', message: 'Use of aggregate functions is not allowed' })
    expect(failure(() => parseSelect('budget.sum()')).code).toBe('PGRST123')
    const spread = failure(() => parseSelect('id,...projects(name)'))
    expect(spread.status).toBe(501)
    expect(spread.toJSON()).toMatchObject({ code: 'PGRST127', details: expect.stringContaining('Spread embedding') })
  })
})
