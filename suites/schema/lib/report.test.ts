import { describe, expect, test } from 'vitest'
import { changed, missing, unexpected } from './drift.ts'
import { describeDrift, driftReportJson, formatDriftReport, show } from './report.ts'

const drifts = [
  changed('column', 'projects', 'name', 'nullable', false, true),
  changed('enum', null, 'visibility', 'values', ['private', 'public'], ['private', 'public', 'secret']),
  missing('check', 'projects', 'projects_slug_format', 'check constraint'),
  unexpected('function', null, 'leak(text)', { securityDefiner: true }),
  changed('column', 'documents', 'version', 'type', 'integer', 'bigint'),
]

describe('drift report', () => {
  test('groups by table, sorted, with one line per difference and the rest last', () => {
    expect(formatDriftReport(drifts)).toBe(
      [
        'schema drift: 5 differences',
        '  enum "visibility": values expected ["private","public"], found ["private","public","secret"] (added "secret")',
        '  function "leak(text)": unexpected (found {"securityDefiner":true})',
        '  table "documents"',
        '    column "version": type expected "integer", found "bigint"',
        '  table "projects"',
        '    check "projects_slug_format": missing (expected "check constraint")',
        '    column "name": nullable expected false, found true',
      ].join('\n'),
    )
  })

  test('says so when there is nothing, and uses the singular for one', () => {
    expect(formatDriftReport([])).toBe('schema drift: none')
    expect(formatDriftReport([drifts[0]!], 'SQL vs RPC').split('\n')[0]).toBe('SQL vs RPC: 1 difference')
  })

  test('the JSON form carries every drift with its values', () => {
    const json = driftReportJson(drifts)
    expect(json.ok).toBe(false)
    expect(json.count).toBe(5)
    expect(json.drifts[0]).toEqual({ kind: 'changed', object: 'enum', table: null, name: 'visibility', property: 'values', expected: ['private', 'public'], found: ['private', 'public', 'secret'] })
    expect(JSON.parse(JSON.stringify(json))).toEqual(json)
    expect(driftReportJson([])).toEqual({ ok: true, count: 0, drifts: [] })
  })

  test('lists that lose values or only change order say so; long values are cut', () => {
    expect(describeDrift(changed('grant', 't', 'anon', 'privileges', ['INSERT', 'SELECT'], ['INSERT']))).toContain('(removed "SELECT")')
    expect(describeDrift(changed('enum', null, 'e', 'values', ['a', 'b'], ['b', 'a']))).toContain('(reordered)')
    expect(show('x'.repeat(500)).length).toBeLessThanOrEqual(502)
    expect(show({ a: 'y'.repeat(500) })).toMatch(/\.\.\.$/)
    expect(show(null)).toBe('none')
  })
})
