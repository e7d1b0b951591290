import { describe, expect, test } from 'vitest'
import { observabilityOptionsFromEnv } from './env.ts'
import { ObservabilityConfigError } from './errors.ts'

describe('observabilityOptionsFromEnv', () => {
  test('reads every variable', () => {
    expect(observabilityOptionsFromEnv({
      LOG_LEVEL: 'DEBUG',
      VERCEL_WEBHOOK_SECRET: 's1',
      ALERT_WEBHOOK_URLS: 'https://alerts.test/a, http://127.0.0.1:9/b',
      ALERT_WEBHOOK_SECRET: 's2',
      ALERT_ERROR_RATE_THRESHOLD: '0.1',
      ALERT_DEAD_LETTER_FILE: '/tmp/dead.jsonl',
    })).toEqual({
      logger: { level: 'debug' },
      vercel: { secret: 's1' },
      alerts: { urls: ['https://alerts.test/a', 'http://127.0.0.1:9/b'], secret: 's2', errorRateThreshold: 0.1, deadLetterFile: '/tmp/dead.jsonl' },
    })
  })

  test('empty environment gives no receivers and no webhook secret', () => {
    expect(observabilityOptionsFromEnv({})).toEqual({ alerts: { urls: [] } })
  })

  test('reports every problem at once without echoing URLs (they may hold tokens)', () => {
    let error: unknown
    try {
      observabilityOptionsFromEnv({ LOG_LEVEL: 'loud', ALERT_WEBHOOK_URLS: 'ftp://h/x,not a url?token=abc', ALERT_ERROR_RATE_THRESHOLD: '2' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ObservabilityConfigError)
    const e = error as ObservabilityConfigError
    expect(e.name).toBe('ObservabilityConfigError')
    expect(e.code).toBe('OBSERVABILITY_CONFIG')
    expect(e.errors).toHaveLength(4)
    expect(e.message).toContain('"LOG_LEVEL" is "loud"')
    expect(e.message).toContain('"ALERT_WEBHOOK_URLS" entry 2 is not an http(s) URL')
    expect(e.message).toContain('"ALERT_ERROR_RATE_THRESHOLD" is "2"')
    expect(e.message).not.toContain('token=abc')
  })
})
