/** Deadlines and storage TTLs of a session, from its timestamps and the settings. */
import type { SessionConfig } from '../config.ts'
import type { SessionRecord } from '../types.ts'

type Times = Pick<SessionRecord, 'createdAt' | 'lastSeenAt'>

// Storage TTLs outlive deadlines by two sweeps (at least 10 min), so the sweep sees and audits
// an expiry before the store drops the record; the TTL is the backstop when no sweep runs.
/** How long storage keeps a record past its deadline. */
export const ttlSlackMs = (c: SessionConfig): number => Math.max(2 * c.sweepIntervalMs, 10 * 60_000)
const slack = ttlSlackMs

/** When the session expires: the idle or the absolute deadline, whichever is first. */
export function deadlineOf(s: Times, c: SessionConfig): number {
  return Math.min(s.lastSeenAt + c.idleTimeoutMs, s.createdAt + c.absoluteTimeoutMs)
}

/** Storage TTL of the session record. */
export function recordTtlMs(s: Times, now: number, c: SessionConfig): number {
  return Math.max(1, deadlineOf(s, c) - now) + slack(c)
}

/** Storage TTL of things that live as long as the session can (token entries, indexes, history). */
export function lifeTtlMs(s: Times, now: number, c: SessionConfig): number {
  return Math.max(1, s.createdAt + c.absoluteTimeoutMs - now) + slack(c)
}

/** Why the session has expired at `now`, or `null` while it is live. */
export function expiryReason(s: Times, now: number, c: SessionConfig): 'absolute' | 'idle' | null {
  if (now >= s.createdAt + c.absoluteTimeoutMs) return 'absolute'
  if (now >= s.lastSeenAt + c.idleTimeoutMs) return 'idle'
  return null
}
