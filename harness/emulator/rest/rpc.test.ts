import { describe, expect, test } from 'vitest'
import { SqlParams } from './internal/sql.ts'
import { callSql, resolveFunction } from './rpc.ts'
import { fakeCatalog } from './test/test-utils.ts'

const catalog = fakeCatalog()

describe('resolveFunction', () => {
  test('matches by argument names, optional parameters may be omitted', () => {
    expect(resolveFunction(catalog, 'add_numbers', ['a'], true).named.map((p) => p.name)).toEqual(['a'])
    expect(resolveFunction(catalog, 'add_numbers', ['b', 'a'], true).named.map((p) => p.name)).toEqual(['a', 'b'])
    expect(resolveFunction(catalog, 'tick', [], false).fn.name).toBe('tick')
  })

  test('unknown names or arguments are PGRST202 (404); overloads with the same names are PGRST203 (300)', () => {
    expect(() => resolveFunction(catalog, 'add_numbers', ['b'], true)).toThrowError(
      expect.objectContaining({
        status: 404,
        code: 'PGRST202',
        message: 'Could not find the function public.add_numbers(b) in the schema cache',
        details: 'Searched for the function public.add_numbers with parameter b or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      }),
    )
    expect(() => resolveFunction(catalog, 'nope', [], false)).toThrowError(expect.objectContaining({ message: 'Could not find the function public.nope without parameters in the schema cache' }))
    expect(() => resolveFunction(catalog, 'overloaded', ['a'], true)).toThrowError(expect.objectContaining({ status: 300, code: 'PGRST203' }))
  })

  test('a single unnamed json parameter takes the whole body (POST only)', () => {
    expect(resolveFunction(catalog, 'echo_json', ['x', 'y'], true).singleJson).toBe(true)
    expect(() => resolveFunction(catalog, 'echo_json', ['x'], false)).toThrowError(expect.objectContaining({ code: 'PGRST202' }))
  })
})

describe('callSql', () => {
  test('named arguments come from json_to_record, typed from the catalog', () => {
    const params = new SqlParams()
    const call = resolveFunction(catalog, 'add_numbers', ['a', 'b'], true)
    expect(callSql(call, '{"a":1,"b":2}', params)).toBe(
      'SELECT pgrst_call.pgrst_scalar FROM json_to_record($1::json) AS pgrst_body("a" integer, "b" integer), ' +
        'LATERAL (SELECT "public"."add_numbers"("a" := pgrst_body."a", "b" := pgrst_body."b") pgrst_scalar) pgrst_call',
    )
    expect(params.values).toEqual(['{"a":1,"b":2}'])
  })

  test('set-returning composites, no-argument and single-json calls', () => {
    expect(callSql(resolveFunction(catalog, 'projects_of', ['org'], true), '{}', new SqlParams())).toContain('LATERAL "public"."projects_of"("org" := pgrst_body."org") pgrst_call')
    expect(callSql(resolveFunction(catalog, 'tick', [], true), '{}', new SqlParams())).toBe('SELECT pgrst_call.pgrst_scalar FROM (SELECT "public"."tick"() pgrst_scalar) pgrst_call')
    expect(callSql(resolveFunction(catalog, 'echo_json', ['k'], true), '{"k":1}', new SqlParams())).toContain('"public"."echo_json"($1::jsonb)')
  })
})
