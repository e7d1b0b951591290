import { describe, expect, test } from 'vitest'
import { canonicalType, jsonEqual, normalizeSearchPath, qualifiedName, shortName } from './normalize.ts'

describe('canonicalType', () => {
  test.for([
    ['timestamp with time zone', 'timestamptz'],
    ['timestamp(3) with time zone', 'timestamptz(3)'],
    ['timestamp with time zone[]', 'timestamptz[]'],
    ['timestamp without time zone', 'timestamp'],
    ['time with time zone', 'timetz'],
    ['character varying(255)', 'varchar(255)'],
    ['character(2)', 'char(2)'],
    ['bit varying(8)', 'varbit(8)'],
    ['int4', 'integer'],
    ['int8[]', 'bigint[]'],
    ['float8', 'double precision'],
    ['bool', 'boolean'],
    ['public.visibility', 'visibility'],
    ['public.visibility[]', 'visibility[]'],
    ['auth.factor_type', 'auth.factor_type'],
    ['public."Mood"', 'mood'],
    ['  Text ', 'text'],
    ['double precision', 'double precision'],
    ['interval', 'interval'],
  ] as const)('%s -> %s', ([input, output]) => {
    expect(canonicalType(input)).toBe(output)
  })

  test('never maps a different type onto another one', () => {
    expect(canonicalType('integer')).not.toBe(canonicalType('bigint'))
    expect(canonicalType('text')).not.toBe(canonicalType('varchar'))
    expect(canonicalType('timestamp with time zone')).not.toBe(canonicalType('timestamp without time zone'))
  })
})

describe('normalizeSearchPath', () => {
  test('the empty path in every spelling is the empty string', () => {
    expect(normalizeSearchPath('""')).toBe('')
    expect(normalizeSearchPath("''")).toBe('')
    expect(normalizeSearchPath('')).toBe('')
  })

  test('lists are trimmed and unquoted; not pinned stays null', () => {
    expect(normalizeSearchPath('public, "extensions"')).toBe('public, extensions')
    expect(normalizeSearchPath('pg_catalog,public')).toBe('pg_catalog, public')
    expect(normalizeSearchPath(null)).toBeNull()
    expect(normalizeSearchPath(undefined)).toBeNull()
  })
})

describe('names and JSON equality', () => {
  test('shortName and qualifiedName are inverse for the default schema only', () => {
    expect(shortName('public.projects')).toBe('projects')
    expect(shortName('auth.users')).toBe('auth.users')
    expect(qualifiedName('projects')).toBe('public.projects')
    expect(qualifiedName('auth.users')).toBe('auth.users')
  })

  test('jsonEqual compares objects by keys and arrays by order', () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true)
    expect(jsonEqual([1, 2], [2, 1])).toBe(false)
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
    expect(jsonEqual(null, {})).toBe(false)
    expect(jsonEqual([], {})).toBe(false)
  })
})
