import { describe, expect, test } from 'vitest'
import { CatalogFormatError, CatalogSourceError } from './errors.ts'
import { asSnapshot, readCatalog } from './readCatalog.ts'
import { snapshot } from './test-utils.ts'

describe('readCatalog', () => {
  test('without SQL or a client it refuses with a message saying what to pass', async () => {
    await expect(readCatalog({})).rejects.toThrow(CatalogSourceError)
    await expect(readCatalog({ sql: undefined, supabase: undefined })).rejects.toThrow(/SUPABASE_DB_URL/)
  })

  test('asSnapshot accepts the JSON value and its string form', () => {
    const s = snapshot()
    expect(asSnapshot(s)).toBe(s)
    expect(asSnapshot(JSON.stringify(s))).toEqual(s)
  })

  test.for([
    [null, /got null/],
    [42, /got number/],
    [{ formatVersion: 2 }, /formatVersion 2/],
    [{ ...snapshot(), tables: undefined }, /"tables" is missing/],
    [{ ...snapshot(), functions: null }, /"functions" is missing/],
    [{ ...snapshot(), schemas: 'public' }, /"schemas" is missing/],
  ] as const)('asSnapshot refuses %j', ([value, message]) => {
    expect(() => asSnapshot(value)).toThrow(CatalogFormatError)
    expect(() => asSnapshot(value)).toThrow(message)
  })
})
