/**
 * The audit trail: every security-relevant event with time, actor, subject, IP and reason,
 * kept by the session store (capped globally and per user) and queryable by its fields.
 */
import type { Clock } from './clock.ts'
import type { SessionStore } from './storage/types.ts'
import type { AuditAction, AuditEvent, AuditQuery } from './types.ts'
import { SessionInputError } from './errors.ts'
import { newId } from './internal/ids.ts'
import { AUDIT_ACTIONS } from './types.ts'

/** What a caller gives to record one event; `at` and `id` are filled in. */
export interface AuditInput {
  action: AuditAction
  subject: string
  reason: string
  actor?: string
  ip?: string | null
  userId?: string | null
  sessionId?: string | null
  details?: AuditEvent['details']
}

const KNOWN = new Set<string>(AUDIT_ACTIONS)

/** Writes and queries audit events. */
export class AuditLog {
  #store: SessionStore
  #clock: Clock
  #max: number
  #userMax: number

  constructor(options: { store: SessionStore, clock: Clock, maxEntries: number, userMaxEntries: number }) {
    this.#store = options.store
    this.#clock = options.clock
    this.#max = options.maxEntries
    this.#userMax = options.userMaxEntries
  }

  /** Records one event and returns it. */
  async record(input: AuditInput): Promise<AuditEvent> {
    if (!KNOWN.has(input.action)) throw new SessionInputError(`Unknown audit action "${input.action}"; use one of AUDIT_ACTIONS`)
    const event: AuditEvent = {
      id: newId(12),
      at: this.#clock.now(),
      action: input.action,
      actor: input.actor ?? 'system',
      subject: input.subject,
      ip: input.ip ?? null,
      reason: input.reason,
      userId: input.userId ?? null,
      sessionId: input.sessionId ?? null,
      ...(input.details ? { details: input.details } : {}),
    }
    await this.#store.appendAudit(event, this.#max, this.#userMax)
    return event
  }

  /** Events matching every given field, newest first. */
  async query(q: AuditQuery = {}): Promise<AuditEvent[]> {
    const limit = q.limit ?? 100
    if (!Number.isInteger(limit) || limit < 1) throw new SessionInputError(`Audit query "limit" must be a positive integer, got "${q.limit}"`)
    const actions = q.action === undefined ? null : new Set<string>([q.action].flat())
    for (const a of actions ?? []) {
      if (!KNOWN.has(a)) throw new SessionInputError(`Unknown audit action "${a}" in query; use one of AUDIT_ACTIONS`)
    }
    const filtered = actions || q.sessionId || q.subject || q.actor || q.since !== undefined || q.until !== undefined
    const source = await this.#store.readAudit({
      ...(q.userId ? { userId: q.userId } : {}),
      limit: filtered ? (q.userId ? this.#userMax : this.#max) : limit,
    })
    const out: AuditEvent[] = []
    for (const e of source) {
      if (actions && !actions.has(e.action)) continue
      if (q.userId && e.userId !== q.userId) continue
      if (q.sessionId && e.sessionId !== q.sessionId) continue
      if (q.subject && e.subject !== q.subject) continue
      if (q.actor && e.actor !== q.actor) continue
      if (q.since !== undefined && e.at < q.since) continue
      if (q.until !== undefined && e.at >= q.until) continue
      out.push(e)
      if (out.length >= limit) break
    }
    return out
  }
}
