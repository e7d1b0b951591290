/**
 * Start-up configuration: every bad variable is named, values (secrets) never appear, stdio
 * needs the caller's token, defaults fill the rest.
 */
import { describe, expect, test } from 'vitest'
import { loadConfig } from '../config.ts'
import { ConfigError } from '../errors.ts'

const good = {
  SUPABASE_URL: 'http://127.0.0.1:54321/',
  SUPABASE_ANON_KEY: 'anon-key-anon-key-anon-key',
  SUPABASE_JWT_SECRET: 'super-secret-value-that-is-long-enough!!',
}

function failure(env: Record<string, string>, transport: 'stdio' | 'http' = 'http'): ConfigError {
  try {
    loadConfig(env, transport)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  test('defaults and normalisation', () => {
    const config = loadConfig(good, 'http')
    expect(config).toMatchObject({ supabaseUrl: 'http://127.0.0.1:54321', host: '127.0.0.1', port: 8787, jwtAudience: 'authenticated', dnsRebindingProtection: true })
    expect(loadConfig({ ...good, ATOMS_MCP_PORT: '9000', ATOMS_MCP_ALLOWED_HOSTS: 'a:1, b:2', ATOMS_MCP_DNS_REBINDING_PROTECTION: 'false' }, 'http'))
      .toMatchObject({ port: 9000, allowedHosts: ['a:1', 'b:2'], dnsRebindingProtection: false })
  })

  test('names every bad variable and never prints a value', () => {
    const error = failure({ SUPABASE_URL: 'ftp://nope', SUPABASE_JWT_SECRET: 'short-secret-value', ATOMS_MCP_PORT: 'eighty' })
    expect(error.variables.sort()).toEqual(['ATOMS_MCP_PORT', 'SUPABASE_ANON_KEY', 'SUPABASE_JWT_SECRET', 'SUPABASE_URL'])
    expect(error.message).toContain('SUPABASE_ANON_KEY is missing')
    expect(error.message).not.toContain('short-secret-value')
    expect(error.message).not.toContain('ftp://nope')
  })

  test('stdio needs ATOMS_ACCESS_TOKEN; empty strings count as unset', () => {
    expect(failure(good, 'stdio').variables).toEqual(['ATOMS_ACCESS_TOKEN'])
    expect(failure({ ...good, SUPABASE_ANON_KEY: '' }).variables).toEqual(['SUPABASE_ANON_KEY'])
    expect(loadConfig({ ...good, ATOMS_ACCESS_TOKEN: 'a'.repeat(40) }, 'stdio').accessToken).toBe('a'.repeat(40))
  })
})
