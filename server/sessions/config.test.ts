import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { envName, listSettings, parseSessionConfig, sessionConfigFromEnv } from './config.ts'
import { SessionConfigError } from './errors.ts'

describe('session config', () => {
  test('defaults match the documented values', () => {
    const c = parseSessionConfig()
    expect(c.maxSessionsPerUser).toBe(5)
    expect(c.idleTimeoutMs).toBe(30 * 60_000)
    expect(c.absoluteTimeoutMs).toBe(8 * 3_600_000)
    expect(c.refreshWindowMs).toBe(5 * 60_000)
    expect(c.rateLimits.auth).toEqual({ limit: 10, windowMs: 60_000 })
    expect(c.risk.challengeThreshold).toBeLessThan(c.risk.revokeThreshold)
  })

  test('partial nested input keeps the other defaults', () => {
    const c = parseSessionConfig({ rateLimits: { tool: { limit: 7 } }, risk: { deviceChange: 0.9 } })
    expect(c.rateLimits.tool).toEqual({ limit: 7, windowMs: 60_000 })
    expect(c.rateLimits.auth.limit).toBe(10)
    expect(c.risk).toMatchObject({ deviceChange: 0.9, subnetChange: 0.35 })
  })

  test('every problem is reported at once', () => {
    let error: unknown
    try {
      parseSessionConfig({ maxSessionsPerUser: 0, idleTimeoutMs: 10, absoluteTimeoutMs: 5, risk: { challengeThreshold: 0.9, revokeThreshold: 0.5 } })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(SessionConfigError)
    const issues = (error as SessionConfigError).issues.join('\n')
    expect(issues).toContain('"maxSessionsPerUser"')
    expect(issues).toContain('"idleTimeoutMs" must not exceed "absoluteTimeoutMs"')
    expect(issues).toContain('"risk.challengeThreshold"')
  })

  test('environment variables are named after the setting path and parsed', () => {
    expect(envName(['rateLimits', 'auth', 'limit'])).toBe('ATOMS_SESSION_RATE_LIMITS_AUTH_LIMIT')
    const c = sessionConfigFromEnv({
      ATOMS_SESSION_MAX_SESSIONS_PER_USER: '3',
      ATOMS_SESSION_RATE_LIMITS_AUTH_LIMIT: '4',
      ATOMS_SESSION_KEY_PREFIX: 'x:',
      ATOMS_SESSION_GEO_HEADERS: 'x-lat, x-lon',
    })
    expect(c).toMatchObject({ maxSessionsPerUser: 3, keyPrefix: 'x:', geoHeaders: { lat: 'x-lat', lon: 'x-lon' } })
    expect(c.rateLimits.auth.limit).toBe(4)
    expect(() => sessionConfigFromEnv({ ATOMS_SESSION_IDLE_TIMEOUT_MS: 'soon' })).toThrow(/"ATOMS_SESSION_IDLE_TIMEOUT_MS" must be a number/)
  })

  test('listSettings covers every leaf once', () => {
    const paths = listSettings().map((s) => s.path.join('.'))
    expect(new Set(paths).size).toBe(paths.length)
    expect(paths).toContain('risk.tokenReuse')
    expect(paths).toContain('geoHeaders')
  })

  test('the README table lists every setting with its variable and default', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8')
    for (const s of listSettings()) {
      const row = `| \`${s.path.join('.')}\` | \`${s.env}\` | \`${JSON.stringify(s.default)}\` |`
      expect(readme, row).toContain(row)
    }
  })
})
