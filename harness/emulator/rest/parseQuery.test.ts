import { describe, expect, test } from 'vitest'
import { PostgrestError } from './errors.ts'
import { parseOrder } from './parseOrder.ts'
import { parseQuery, parseTreePath } from './parseQuery.ts'

const parse = (qs: string, rpcRead = false) => parseQuery(new URLSearchParams(qs), { rpcRead })

describe('parseQuery', () => {
  test('sorts parameters into select, filters, logic, order, ranges, columns and on_conflict', () => {
    const ast = parse(
      'select=id,tasks(id)&id=gt.1&tasks.done=is.true&or=(a.eq.1,b.eq.2)&tasks.not.and=(x.eq.1,y.eq.2)' +
        '&order=id.desc&tasks.order=position.asc.nullslast&limit=10&offset=5&tasks.limit=2&columns="a","b"&on_conflict=a,b',
    )
    expect(ast.select).toHaveLength(2)
    expect(ast.filters).toEqual([
      { path: [], value: { field: { name: 'id', jsonPath: [] }, negate: false, operation: { op: 'gt', value: '1' } } },
      { path: ['tasks'], value: { field: { name: 'done', jsonPath: [] }, negate: false, operation: { op: 'is', value: 'true' } } },
    ])
    expect(ast.logic.map((l) => [l.path, l.value.kind === 'expr' && [l.value.op, l.value.negate]])).toEqual([
      [[], ['or', false]],
      [['tasks'], ['and', true]],
    ])
    expect(ast.order).toEqual([
      { path: [], value: [{ field: { name: 'id', jsonPath: [] }, direction: 'desc' }] },
      { path: ['tasks'], value: [{ field: { name: 'position', jsonPath: [] }, direction: 'asc', nulls: 'last' }] },
    ])
    expect(Object.fromEntries(ast.ranges)).toEqual({ '': { limit: 10, offset: 5 }, tasks: { limit: 2 } })
    expect(ast.columns).toEqual(['a', 'b'])
    expect(ast.onConflict).toEqual(['a', 'b'])
  })

  test('defaults to select=* and ignores a limit that is not an integer, as PostgREST does', () => {
    const ast = parse('limit=ten')
    expect(ast.select).toEqual([{ kind: 'star' }])
    expect(ast.ranges.size).toBe(0)
  })

  test('GET RPC: parameters without an operator are arguments', () => {
    const ast = parse('a=1&b=hello&c=gt.3', true)
    expect(ast.rpcArgs).toEqual([['a', '1'], ['b', 'hello']])
    expect(ast.filters).toHaveLength(1)
  })

  test('the gateway\'s apikey parameter is not a filter', () => {
    expect(parse('apikey=abc&id=eq.1').filters).toHaveLength(1)
  })

  test('a filter without an operator is PGRST100 outside RPC', () => {
    expect(() => parse('id=5')).toThrowError(PostgrestError)
  })

  test('tree paths with JSON and quoted names', () => {
    expect(parseTreePath('tasks.meta->>k')).toEqual({ path: ['tasks'], field: { name: 'meta', jsonPath: [{ arrow: '->>', key: 'k', index: false }] } })
    expect(parseTreePath('"a.b"')).toEqual({ path: [], field: { name: 'a.b', jsonPath: [] } })
    expect(() => parseTreePath('a;drop')).toThrowError(/failed to parse tree path/)
  })
})

describe('parseOrder', () => {
  test('terms, directions, nulls, JSON paths and related terms', () => {
    expect(parseOrder('a,b.desc,c.nullsfirst,d.asc.nullslast,meta->>k.desc,clients(name).asc')).toEqual([
      { field: { name: 'a', jsonPath: [] } },
      { field: { name: 'b', jsonPath: [] }, direction: 'desc' },
      { field: { name: 'c', jsonPath: [] }, nulls: 'first' },
      { field: { name: 'd', jsonPath: [] }, direction: 'asc', nulls: 'last' },
      { field: { name: 'meta', jsonPath: [{ arrow: '->>', key: 'k', index: false }] }, direction: 'desc' },
      { field: { name: 'name', jsonPath: [] }, direction: 'asc', relation: 'clients' },
    ])
  })

  test.each(['id.ac', 'id.descc', 'id.nullslasttt', 'id.asc.smth', 'id;drop table x', ''])('%s is PGRST100', (value) => {
    expect(() => parseOrder(value)).toThrowError(expect.objectContaining({ code: 'PGRST100' }))
  })
})
