/**
 * Settings of the session layer as one zod schema with defaults. `parseSessionConfig` reads an
 * object, `sessionConfigFromEnv` reads `ATOMS_SESSION_*` variables (one per setting, named after
 * its path: `rateLimits.auth.limit` -> `ATOMS_SESSION_RATE_LIMITS_AUTH_LIMIT`).
 */
import { z } from 'zod'
import { SessionConfigError } from './errors.ts'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

const ms = (fallback: number) => z.number().int().min(0).default(fallback)
const count = (fallback: number) => z.number().int().min(1).default(fallback)
const weight = (fallback: number) => z.number().min(0).max(1).default(fallback)
const budget = (limit: number, windowMs: number) => z.object({
  /** Requests allowed per window, per user and per IP. */
  limit: count(limit),
  /** Sliding window length in ms. */
  windowMs: z.number().int().min(1).default(windowMs),
}).prefault({})

/** The schema of every session setting, with its default. */
export const sessionConfigSchema = z.object({
  /** Live sessions per user; creating one more ends the oldest. */
  maxSessionsPerUser: count(5),
  /** A session with no request for this long is ended. */
  idleTimeoutMs: ms(30 * MINUTE),
  /** A session is ended this long after creation, active or not. */
  absoluteTimeoutMs: ms(8 * HOUR),
  /** How often the background sweep removes expired sessions. */
  sweepIntervalMs: count(MINUTE),
  /** Sessions handled per sweep batch (the sweep yields between batches). */
  sweepBatchSize: count(200),
  /** Refresh the upstream access token when it expires within this long. */
  refreshWindowMs: ms(5 * MINUTE),
  /** Tries per refresh, the first included. */
  refreshMaxAttempts: count(3),
  /** First backoff delay; doubled per try, with jitter. */
  refreshBaseDelayMs: ms(100),
  /** Upper bound of one backoff delay. */
  refreshMaxDelayMs: ms(2 * SECOND),
  /** Timeout of one call to Supabase Auth. */
  refreshTimeoutMs: count(5 * SECOND),
  /** Lifetime of the cross-instance refresh lock (must exceed a whole refresh with retries). */
  refreshLockTtlMs: count(20 * SECOND),
  /** How often an instance waiting on another's refresh looks again. */
  refreshPollMs: count(10),
  /** The previous access token stays valid this long after a rotation, then is refused. */
  rotationGraceMs: ms(5 * SECOND),
  /** How long a revoked, expired or rotated-out token is remembered (to answer precisely and spot reuse). */
  tombstoneTtlMs: count(2 * HOUR),
  /** Token history entries kept per session. */
  historyMaxEntries: count(50),
  /** Audit events kept in the global trail. */
  auditMaxEntries: count(10_000),
  /** Audit events kept per user. */
  auditUserMaxEntries: count(1_000),
  /** Failed challenge answers before the session is revoked. */
  challengeMaxFailures: count(3),
  /** Prefix of every storage key (Redis and Upstash). */
  keyPrefix: z.string().min(1).default('atoms:sessions:'),
  /** 32-byte key (base64 or hex) sealing upstream tokens at rest; `null` stores them plain. */
  tokenEncryptionKey: z.string().nullable().default(null),
  /** Sliding-window budgets, each applied per user and per IP. */
  rateLimits: z.object({
    /** Authentication-sensitive routes: login, token binding, challenge, logout. */
    auth: budget(10, MINUTE),
    /** MCP `tools/call` requests. */
    tool: budget(60, MINUTE),
    /** Every other authenticated request. */
    general: budget(300, MINUTE),
  }).prefault({}),
  /** Hijack detection: signal weights (combined as 1 - prod(1 - w)) and thresholds. */
  risk: z.object({
    /** The device fingerprint differs from the session's. */
    deviceChange: weight(0.6),
    /** The IP is outside the session IP's subnet. */
    subnetChange: weight(0.35),
    /** The IP changed within the same subnet. */
    ipChange: weight(0.1),
    /** Distance / time since the last request exceeds `maxTravelKmh`. */
    impossibleTravel: weight(0.8),
    /** A rotated-out token is presented after its grace period. */
    tokenReuse: weight(0.6),
    /** Score at or above which the request is refused with CHALLENGE_REQUIRED. */
    challengeThreshold: weight(0.5),
    /** Score at or above which the session is revoked. */
    revokeThreshold: weight(0.7),
    /** Fastest plausible travel speed. */
    maxTravelKmh: z.number().positive().default(900),
    /** Hops shorter than this never count as travel (IP geolocation is this coarse). */
    minTravelKm: z.number().min(0).default(100),
    /** IPv4 prefix length of "the same subnet". */
    ipv4SubnetBits: z.number().int().min(0).max(32).default(24),
    /** IPv6 prefix length of "the same subnet". */
    ipv6SubnetBits: z.number().int().min(0).max(128).default(64),
  }).prefault({}),
  /** Trusted proxy headers carrying the client's latitude/longitude; `null` disables travel checks. */
  geoHeaders: z.object({ lat: z.string().min(1), lon: z.string().min(1) }).nullable().default(null),
}).check((ctx) => {
  const v = ctx.value
  if (v.idleTimeoutMs > v.absoluteTimeoutMs) {
    ctx.issues.push({ code: 'custom', input: v, path: ['idleTimeoutMs'], message: 'must not exceed "absoluteTimeoutMs"' })
  }
  if (v.risk.challengeThreshold > v.risk.revokeThreshold) {
    ctx.issues.push({ code: 'custom', input: v, path: ['risk', 'challengeThreshold'], message: 'must not exceed "risk.revokeThreshold"' })
  }
})

/** Session settings after defaults. */
export type SessionConfig = z.output<typeof sessionConfigSchema>
/** Session settings as given: every field optional. */
export type SessionConfigInput = z.input<typeof sessionConfigSchema>

/** Validates settings and fills defaults; throws `SessionConfigError` listing every problem. */
export function parseSessionConfig(input: SessionConfigInput = {}): SessionConfig {
  const result = sessionConfigSchema.safeParse(input)
  if (!result.success) {
    throw new SessionConfigError(result.error.issues.map((i) => `"${i.path.join('.')}" ${i.message}`))
  }
  return result.data
}

/** The environment variable name of a setting path. */
export function envName(path: string[]): string {
  return 'ATOMS_SESSION_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')
}

/** Every setting path with its default, in schema order (for docs and `sessionConfigFromEnv`). */
export function listSettings(): Array<{ path: string[], env: string, default: unknown }> {
  const out: Array<{ path: string[], env: string, default: unknown }> = []
  const walk = (value: Record<string, unknown>, path: string[]) => {
    for (const [key, v] of Object.entries(value)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, [...path, key])
      else out.push({ path: [...path, key], env: envName([...path, key]), default: v })
    }
  }
  walk(parseSessionConfig({}) as unknown as Record<string, unknown>, [])
  return out
}

/**
 * Settings from `ATOMS_SESSION_*` variables, each named by `envName`; numbers are parsed,
 * `geoHeaders` is given as `ATOMS_SESSION_GEO_HEADERS=<lat header>,<lon header>`.
 */
export function sessionConfigFromEnv(env: Record<string, string | undefined>): SessionConfig {
  const input: Record<string, unknown> = {}
  const issues: string[] = []
  for (const setting of listSettings()) {
    const raw = env[setting.env]
    if (raw === undefined || raw === '' || setting.path[0] === 'geoHeaders') continue
    let value: unknown = raw
    if (typeof setting.default === 'number') {
      value = Number(raw)
      if (!Number.isFinite(value)) issues.push(`"${setting.env}" must be a number, got "${raw}"`)
    }
    let target = input
    for (const key of setting.path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>
    target[setting.path.at(-1)!] = value
  }
  const geo = env[envName(['geoHeaders'])]
  if (geo) {
    const [lat, lon] = geo.split(',').map((s) => s.trim())
    if (!lat || !lon) issues.push(`"${envName(['geoHeaders'])}" must be "<lat header>,<lon header>", got "${geo}"`)
    else input.geoHeaders = { lat, lon }
  }
  if (issues.length > 0) throw new SessionConfigError(issues)
  return parseSessionConfig(input as SessionConfigInput)
}
