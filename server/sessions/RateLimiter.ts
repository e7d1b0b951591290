/**
 * Sliding-window rate limiting per IP and per user, with separate budgets for
 * authentication-sensitive routes, tool calls and other requests. Windows live in the
 * session store, so every server instance sharing it shares the budgets.
 */
import type { AuditLog } from './AuditLog.ts'
import type { Clock } from './clock.ts'
import type { SessionConfig } from './config.ts'
import type { SessionStore } from './storage/types.ts'
import { RateLimitedError } from './errors.ts'

/** Which budget a request draws from. */
export type RateBudget = keyof SessionConfig['rateLimits']

/** Checks and records hits against the configured budgets. */
export class RateLimiter {
  #store: SessionStore
  #clock: Clock
  #limits: SessionConfig['rateLimits']
  #audit: AuditLog

  constructor(options: { store: SessionStore, clock: Clock, limits: SessionConfig['rateLimits'], audit: AuditLog }) {
    this.#store = options.store
    this.#clock = options.clock
    this.#limits = options.limits
    this.#audit = options.audit
  }

  /**
   * Records one request of `budget` for the IP and, when given, the user (a user id, or
   * `login:<hash>` of a login name before sign-in). Throws `RateLimitedError` (and audits it)
   * when either is over; a refused IP does not spend the user's budget.
   */
  async check(budget: RateBudget, keys: { ip: string, user?: string | null }): Promise<void> {
    await this.checkIp(budget, keys.ip)
    if (keys.user) await this.checkUser(budget, keys.user, keys.ip)
  }

  /** Records one request of `budget` for an IP. */
  checkIp(budget: RateBudget, ip: string): Promise<void> {
    return this.#hit(budget, 'ip', ip, ip)
  }

  /** Records one request of `budget` for a user (seen from `ip`). */
  checkUser(budget: RateBudget, user: string, ip: string): Promise<void> {
    return this.#hit(budget, 'user', user, ip)
  }

  async #hit(budget: RateBudget, kind: 'ip' | 'user', value: string, ip: string): Promise<void> {
    const { limit, windowMs } = this.#limits[budget]
    const hit = await this.#store.hitWindow(`${budget}:${kind}:${value}`, this.#clock.now(), windowMs, limit)
    if (hit.allowed) return
    const who = kind === 'ip' ? `ip:${value}` : value.startsWith('login:') ? value : `user:${value}`
    await this.#audit.record({
      action: 'rate.limited',
      actor: who,
      subject: who,
      ip,
      userId: kind === 'user' && !value.startsWith('login:') ? value : null,
      reason: `${hit.count} "${budget}" requests within ${windowMs} ms (limit ${limit}) per ${kind}`,
      details: { budget, retryAfterMs: hit.retryAfterMs },
    })
    throw new RateLimitedError(budget, hit.retryAfterMs)
  }
}
