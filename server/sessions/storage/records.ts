/**
 * How sessions and token entries are laid out in Redis-protocol stores: a session is a hash of
 * string fields, a token entry is the string `state|sessionId|rotatedAt`.
 */
import type { SessionRecord, TokenEntry, TokenState } from '../types.ts'
import type { SessionPatch } from './types.ts'
import { SessionStoreError } from '../errors.ts'

const num = (v: string | undefined): number => (v === undefined || v === '' ? 0 : Number(v))
const optNum = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v))
const optStr = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v)

const patchFields = (patch: SessionPatch): Array<[string, string]> => {
  const out: Array<[string, string]> = []
  if (patch.lastSeenAt !== undefined) out.push(['lastSeenAt', String(patch.lastSeenAt)])
  if (patch.ip !== undefined) out.push(['ip', patch.ip])
  if (patch.device !== undefined) out.push(['device', patch.device])
  if (patch.location !== undefined) {
    out.push(['lat', patch.location ? String(patch.location.lat) : ''], ['lon', patch.location ? String(patch.location.lon) : ''])
  }
  if (patch.locationAt !== undefined) out.push(['locationAt', patch.locationAt === null ? '' : String(patch.locationAt)])
  if (patch.mcpSessionId !== undefined) out.push(['mcpSessionId', patch.mcpSessionId ?? ''])
  if (patch.challengeFailures !== undefined) out.push(['challengeFailures', String(patch.challengeFailures)])
  return out
}

/** A session as a flat `[field, value, …]` list for HSET. */
export function sessionToFields(r: SessionRecord): string[] {
  return [
    ['id', r.id], ['userId', r.userId], ['email', r.email ?? ''], ['createdAt', String(r.createdAt)],
    ['accessToken', r.accessToken], ['refreshToken', r.refreshToken], ['accessExpiresAt', String(r.accessExpiresAt)],
    ['tokenId', r.tokenId], ['prevTokenId', r.prevTokenId ?? ''], ['rotatedAt', r.rotatedAt === null ? '' : String(r.rotatedAt)],
    ['refreshCount', String(r.refreshCount)],
    ...patchFields({
      lastSeenAt: r.lastSeenAt, ip: r.ip, device: r.device, location: r.location, locationAt: r.locationAt,
      mcpSessionId: r.mcpSessionId, challengeFailures: r.challengeFailures,
    }),
  ].flat()
}

/** A patch as a flat `[field, value, …]` list for HSET. */
export function patchToFields(patch: SessionPatch): string[] {
  return patchFields(patch).flat()
}

/** A session from an HGETALL reply (flat list or object); `null` when empty. */
export function fieldsToSession(reply: unknown): SessionRecord | null {
  let f: Record<string, string>
  if (Array.isArray(reply)) {
    if (reply.length === 0) return null
    f = {}
    for (let i = 0; i + 1 < reply.length; i += 2) f[String(reply[i])] = String(reply[i + 1])
  } else if (reply && typeof reply === 'object') {
    f = reply as Record<string, string>
    if (Object.keys(f).length === 0) return null
  } else {
    return null
  }
  if (!f.id || !f.userId || !f.tokenId) throw new SessionStoreError(`Stored session "${f.id ?? '?'}" is missing fields; remove it with revokeSession`)
  const lat = optNum(f.lat)
  const lon = optNum(f.lon)
  return {
    id: f.id,
    userId: f.userId,
    email: optStr(f.email),
    device: f.device ?? '',
    ip: f.ip ?? '',
    createdAt: num(f.createdAt),
    lastSeenAt: num(f.lastSeenAt),
    accessToken: f.accessToken ?? '',
    refreshToken: f.refreshToken ?? '',
    accessExpiresAt: num(f.accessExpiresAt),
    tokenId: f.tokenId,
    prevTokenId: optStr(f.prevTokenId),
    rotatedAt: optNum(f.rotatedAt),
    mcpSessionId: optStr(f.mcpSessionId),
    location: lat === null || lon === null ? null : { lat, lon },
    locationAt: optNum(f.locationAt),
    refreshCount: num(f.refreshCount),
    challengeFailures: num(f.challengeFailures),
  }
}

const STATES = new Set<string>(['c', 'p', 'o', 'r', 'e', 'v'])

/** A token entry from its stored string. */
export function parseTokenEntry(tokenId: string, raw: string): TokenEntry {
  const [state, sessionId, rotatedAt] = raw.split('|')
  if (!state || !STATES.has(state) || !sessionId) throw new SessionStoreError(`Stored token entry "${tokenId.slice(0, 12)}" is malformed`)
  return { tokenId, state: state as TokenState, sessionId, rotatedAt: num(rotatedAt) }
}

/** The stored string of a token entry. */
export function formatTokenEntry(state: TokenState, sessionId: string, rotatedAt: number): string {
  return `${state}|${sessionId}|${rotatedAt}`
}
