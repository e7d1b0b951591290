import { describe, expect, test } from 'vitest'
import { MissingHotVariablesError, ProductionTargetError, guardProduction, projectRefOf, readHotConfig, runPrefix, newRunId } from './hotConfig.ts'

const env = {
  SUPABASE_URL: 'https://abcdefgh.supabase.co/',
  SUPABASE_ANON_KEY: 'anon',
  SUPABASE_SERVICE_ROLE_KEY: 'service',
}

describe('hot config', () => {
  test('lists every missing variable and exits 2', () => {
    const error = (() => {
      try {
        readHotConfig({ SUPABASE_ANON_KEY: 'x' })
      } catch (e) {
        return e
      }
    })() as MissingHotVariablesError
    expect(error).toBeInstanceOf(MissingHotVariablesError)
    expect(error.missing).toEqual(['SUPABASE_URL', 'SUPABASE_SERVICE_ROLE_KEY'])
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('"SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY"')
  })

  test('reads the project ref and trims the URL', () => {
    const config = readHotConfig({ ...env, SUPABASE_DB_URL: 'postgres://x@db/postgres' })
    expect(config).toMatchObject({ supabaseUrl: 'https://abcdefgh.supabase.co', projectRef: 'abcdefgh', dbUrl: 'postgres://x@db/postgres' })
    expect(projectRefOf('http://127.0.0.1:54321')).toBe('127.0.0.1')
  })

  test('refuses a production ref or ATOMS_ENV=production unless allowed', () => {
    const config = readHotConfig(env)
    expect(() => guardProduction(config, { ATOMS_PRODUCTION_REFS: 'zzz, abcdefgh' }, false)).toThrow(ProductionTargetError)
    expect(() => guardProduction(config, { ATOMS_ENV: 'Production' }, false)).toThrow(/ATOMS_ENV is "production"/)
    expect(() => guardProduction(config, { ATOMS_PRODUCTION_REFS: 'abcdefgh' }, true)).not.toThrow()
    expect(() => guardProduction(config, { ATOMS_PRODUCTION_REFS: 'other' }, false)).not.toThrow()
  })

  test('run ids are unique and prefix what a run creates', () => {
    const a = newRunId()
    expect(a).not.toBe(newRunId())
    expect(runPrefix(a)).toBe(`atst-${a}-`)
  })
})
