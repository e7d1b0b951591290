import { describe, expect, test } from 'vitest'
import { PostgrestError } from './errors.ts'
import { looksLikeFilter, parseFilterValue, parseLogicTree } from './parseFilter.ts'

const col = { name: 'c', jsonPath: [] }

function failure(fn: () => unknown): PostgrestError {
  try {
    fn()
  } catch (error) {
    if (error instanceof PostgrestError) return error
    throw error
  }
  throw new Error('expected a PostgrestError')
}

describe('parseFilterValue', () => {
  test.each([
    ['eq.5', { op: 'eq', value: '5' }],
    ['neq.a.b', { op: 'neq', value: 'a.b' }],
    ['gt.1', { op: 'gt', value: '1' }],
    ['gte.1', { op: 'gte', value: '1' }],
    ['lt.1', { op: 'lt', value: '1' }],
    ['lte.1', { op: 'lte', value: '1' }],
    ['like.*a*', { op: 'like', value: '*a*' }],
    ['ilike.A%', { op: 'ilike', value: 'A%' }],
    ['match.^a', { op: 'match', value: '^a' }],
    ['imatch.^a', { op: 'imatch', value: '^a' }],
    ['is.NULL', { op: 'is', value: 'null' }],
    ['is.true', { op: 'is', value: 'true' }],
    ['isdistinct.x', { op: 'isdistinct', value: 'x' }],
    ['in.(1,"a,b", c)', { op: 'in', values: ['1', 'a,b', ' c'] }],
    ['in.()', { op: 'in', values: [''] }],
    ['cs.{a,b}', { op: 'cs', value: '{a,b}' }],
    ['cd.{"k":1}', { op: 'cd', value: '{"k":1}' }],
    ['ov.{1}', { op: 'ov', value: '{1}' }],
    ['sl.[1,2)', { op: 'sl', value: '[1,2)' }],
    ['adj.[1,2)', { op: 'adj', value: '[1,2)' }],
    ['eq(any).{1,2}', { op: 'eq', quantifier: 'any', value: '{1,2}' }],
    ['like(all).{a*,*b}', { op: 'like', quantifier: 'all', value: '{a*,*b}' }],
    ['fts.cat', { op: 'fts', value: 'cat' }],
    ['wfts(english).fat cat', { op: 'wfts', language: 'english', value: 'fat cat' }],
    ['eq.', { op: 'eq', value: '' }],
  ])('%s', (value, operation) => {
    expect(parseFilterValue(col, value)).toEqual({ field: col, negate: false, operation })
  })

  test('not. negates', () => {
    expect(parseFilterValue(col, 'not.in.(1)')).toEqual({ field: col, negate: true, operation: { op: 'in', values: ['1'] } })
  })

  test('unknown operators and bad values are PGRST100', () => {
    expect(failure(() => parseFilterValue(col, 'noop.0')).toJSON()).toEqual({
      code: 'PGRST100',
      message: '"failed to parse filter (noop.0)" (line 1, column 1)',
      details: 'unexpected "n" expecting "not" or operator (eq, gt, ...)',
      hint: null,
    })
    expect(failure(() => parseFilterValue(col, 'is.maybe')).details).toContain('null or trilean value')
    expect(failure(() => parseFilterValue(col, 'in.1,2')).code).toBe('PGRST100')
    expect(failure(() => parseFilterValue(col, 'in.(1,2')).code).toBe('PGRST100')
    expect(failure(() => parseFilterValue(col, '5')).code).toBe('PGRST100')
    expect(failure(() => parseFilterValue(col, 'not.5')).details).toBe('unexpected "5" expecting operator (eq, gt, ...)')
  })

  test('looksLikeFilter tells RPC arguments from filters', () => {
    expect(looksLikeFilter('eq.1')).toBe(true)
    expect(looksLikeFilter('hello')).toBe(false)
    expect(looksLikeFilter('{1,2}')).toBe(false)
  })
})

describe('parseLogicTree', () => {
  test('nested and/or with quoted values and arrays', () => {
    expect(parseLogicTree('or', false, '(a.eq.1,and(b.is.null,c.not.in.(x,"y,z")),d.cs.{1,2},e.eq."q,)")')).toEqual({
      kind: 'expr',
      negate: false,
      op: 'or',
      children: [
        { kind: 'filter', filter: { field: { name: 'a', jsonPath: [] }, negate: false, operation: { op: 'eq', value: '1' } } },
        {
          kind: 'expr',
          negate: false,
          op: 'and',
          children: [
            { kind: 'filter', filter: { field: { name: 'b', jsonPath: [] }, negate: false, operation: { op: 'is', value: 'null' } } },
            { kind: 'filter', filter: { field: { name: 'c', jsonPath: [] }, negate: true, operation: { op: 'in', values: ['x', 'y,z'] } } },
          ],
        },
        { kind: 'filter', filter: { field: { name: 'd', jsonPath: [] }, negate: false, operation: { op: 'cs', value: '{1,2}' } } },
        { kind: 'filter', filter: { field: { name: 'e', jsonPath: [] }, negate: false, operation: { op: 'eq', value: 'q,)' } } },
      ],
    })
  })

  test('not.and(…) inside, JSON paths on fields', () => {
    const tree = parseLogicTree('and', true, '(meta->>k.eq.1,not.or(a.gt.1,a.lt.0))')
    expect(tree).toMatchObject({ negate: true, op: 'and', children: [{ kind: 'filter' }, { kind: 'expr', negate: true, op: 'or' }] })
    expect(tree.kind === 'expr' && tree.children[0]).toMatchObject({ filter: { field: { name: 'meta', jsonPath: [{ arrow: '->>', key: 'k' }] } } })
  })

  test('malformed trees are PGRST100', () => {
    expect(failure(() => parseLogicTree('or', false, '()')).toJSON()).toMatchObject({ code: 'PGRST100', message: '"failed to parse logic tree (())" (line 1, column 4)' })
    expect(failure(() => parseLogicTree('or', false, '(a.eq.1')).code).toBe('PGRST100')
    expect(failure(() => parseLogicTree('or', false, 'a.eq.1')).code).toBe('PGRST100')
    expect(failure(() => parseLogicTree('or', false, '(a.eq.1,xor(b.eq.2))')).code).toBe('PGRST100')
    expect(failure(() => parseLogicTree('or', false, '(a.eq.1))')).code).toBe('PGRST100')
    expect(failure(() => parseLogicTree('or', false, '(a.zz.1)')).code).toBe('PGRST100')
  })
})
