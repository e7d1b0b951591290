/**
 * Observability settings from environment variables, validated all at once:
 * `LOG_LEVEL`, `VERCEL_WEBHOOK_SECRET`, `ALERT_WEBHOOK_URLS` (comma-separated),
 * `ALERT_WEBHOOK_SECRET`, `ALERT_ERROR_RATE_THRESHOLD` (0..1), `ALERT_DEAD_LETTER_FILE`.
 */
import type { LogLevel, ObservabilityOptions } from './types.ts'

import { ObservabilityConfigError } from './errors.ts'

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * Reads the observability options from `env`; every problem found is reported in one
 * {@link ObservabilityConfigError}.
 */
export function observabilityOptionsFromEnv(env: Record<string, string | undefined> = process.env): ObservabilityOptions {
  const problems: string[] = []
  const options: ObservabilityOptions = {}

  const level = env.LOG_LEVEL?.trim().toLowerCase()
  if (level) {
    if ((LEVELS as readonly string[]).includes(level)) options.logger = { level: level as LogLevel }
    else problems.push(`"LOG_LEVEL" is "${env.LOG_LEVEL}"; use one of ${LEVELS.join(', ')}`)
  }

  if (env.VERCEL_WEBHOOK_SECRET) options.vercel = { secret: env.VERCEL_WEBHOOK_SECRET }

  const urls = (env.ALERT_WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean)
  urls.forEach((url, i) => {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {
      // reported below
    }
    // The URL itself may embed a token, so only its position is quoted.
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      problems.push(`"ALERT_WEBHOOK_URLS" entry ${i + 1} is not an http(s) URL`)
    }
  })
  const alerts: NonNullable<ObservabilityOptions['alerts']> = { urls }
  if (env.ALERT_WEBHOOK_SECRET) alerts.secret = env.ALERT_WEBHOOK_SECRET
  if (env.ALERT_DEAD_LETTER_FILE) alerts.deadLetterFile = env.ALERT_DEAD_LETTER_FILE
  const threshold = env.ALERT_ERROR_RATE_THRESHOLD
  if (threshold !== undefined && threshold !== '') {
    const n = Number(threshold)
    if (Number.isFinite(n) && n >= 0 && n <= 1) alerts.errorRateThreshold = n
    else problems.push(`"ALERT_ERROR_RATE_THRESHOLD" is "${threshold}"; use a number between 0 and 1`)
  }
  options.alerts = alerts

  if (problems.length > 0) throw new ObservabilityConfigError(problems)
  return options
}
