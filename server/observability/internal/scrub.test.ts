import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { REDACTED, isSecretKey, scrubString, scrubValue } from './scrub.ts'

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTEiLCJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.c2lnbmF0dXJlLXZhbHVl'

describe('isSecretKey', () => {
  test.each(['authorization', 'Authorization', 'apikey', 'x-api-key', 'api_key', 'password', 'refresh_token', 'access_token',
    'accessToken', 'client_secret', 'SUPABASE_SERVICE_ROLE_KEY', 'cookie', 'set-cookie', 'x-vercel-signature', 'jwt'])('%s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true)
  })
  test.each(['requestId', 'tool', 'operation', 'status', 'userId', 'sessionId', 'route'])('%s is not secret', (key) => {
    expect(isSecretKey(key)).toBe(false)
  })
})

describe('scrubString', () => {
  test('removes JWTs, bearer values, opaque Supabase keys, URL credentials and key=value secrets', () => {
    const text = [
      `token ${JWT}`,
      'Authorization: Bearer abcdef123456',
      'key sb_secret_AbCdEf123456',
      'postgres://postgres:hunter2pw@db.local:5432/postgres',
      'https://x.test/cb?access_token=tok123456&state=ok',
    ].join('\n')
    const out = scrubString(text)
    for (const secret of [JWT, 'abcdef123456', 'sb_secret_AbCdEf123456', 'hunter2pw', 'tok123456']) expect(out).not.toContain(secret)
    expect(out).toContain('Bearer [REDACTED]')
    expect(out).toContain('postgres://postgres:[REDACTED]@db.local')
    expect(out).toContain('state=ok')
  })

  test('keeps ordinary text and is idempotent', () => {
    const text = 'tool "entity" failed: row not found'
    expect(scrubString(text)).toBe(text)
    const once = scrubString(`password=abc123 Bearer ${JWT}`)
    expect(scrubString(once)).toBe(once)
  })
})

describe('scrubValue', () => {
  test('redacts by key at any depth and leaves other fields alone', () => {
    const out = scrubValue({
      tool: 'entity',
      headers: { authorization: `Bearer ${JWT}`, apikey: 'anon-key-value', accept: 'application/json' },
      body: { grant_type: 'refresh_token', refresh_token: 'r-123', nested: [{ password: 'pw-1' }] },
    })
    expect(out).toEqual({
      tool: 'entity',
      headers: { authorization: REDACTED, apikey: REDACTED, accept: 'application/json' },
      body: { grant_type: 'refresh_token', refresh_token: REDACTED, nested: [{ password: REDACTED }] },
    })
  })

  test('turns errors into plain objects with scrubbed text, code and cause', () => {
    const cause = new Error(`upstream said ${JWT}`)
    const error = Object.assign(new Error('connect postgres://u:pw-secret@h/db failed', { cause }), { code: 'ECONNREFUSED', apikey: 'k-1' })
    const out = scrubValue(error) as Record<string, any>
    expect(out.type).toBe('Error')
    expect(out.code).toBe('ECONNREFUSED')
    expect(out.apikey).toBe(REDACTED)
    expect(JSON.stringify(out)).not.toMatch(/pw-secret|k-1|eyJhbGci/)
    expect(out.cause.message).toBe(`upstream said ${REDACTED}`)
  })

  test('survives cycles and very deep nesting', () => {
    const a: Record<string, unknown> = { name: 'a' }
    a.self = a
    expect(scrubValue(a)).toEqual({ name: 'a', self: '[Circular]' })
    let deep: Record<string, unknown> = { password: 'deep-pw' }
    for (let i = 0; i < 20; i++) deep = { child: deep }
    expect(JSON.stringify(scrubValue(deep))).not.toContain('deep-pw')
  })

  test('property: a secret under a secret key never survives, wherever it sits', () => {
    const secretKey = fc.constantFrom('authorization', 'apikey', 'password', 'refresh_token', 'access_token', 'client_secret', 'x-api-key')
    const plainKey = fc.constantFrom('a', 'b', 'data', 'headers', 'body', 'items')
    fc.assert(
      fc.property(fc.array(plainKey, { maxLength: 6 }), secretKey, fc.string({ minLength: 8, maxLength: 40 }).filter((s) => /^[\w-]+$/.test(s)), (path, key, secret) => {
        let value: unknown = { [key]: `S3CR3T-${secret}` }
        for (const p of [...path].reverse()) value = p === 'items' ? [value] : { [p]: value, other: 'visible' }
        expect(JSON.stringify(scrubValue(value))).not.toContain(`S3CR3T-${secret}`)
      }),
      { numRuns: 200 },
    )
  })
})
