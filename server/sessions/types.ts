/**
 * Public types of the session layer: sessions, token index entries, client facts and the
 * audit trail. Stored shapes are plain data so every storage backend can hold them.
 */

/** A point on the globe, used to spot impossible travel between two requests. */
export interface GeoPoint {
  lat: number
  lon: number
}

/** Facts about the client sending one request, gathered by the HTTP middleware. */
export interface ClientMeta {
  /** Remote address (`RequestContext.ip`). */
  ip: string
  /** Device fingerprint (see `deviceFingerprint`). */
  device: string
  /** Location from a trusted proxy header, when configured; otherwise `null`. */
  location?: GeoPoint | null
}

/** One signed-in client device: what the session manager keeps per session. */
export interface SessionRecord {
  id: string
  userId: string
  email: string | null
  /** Device fingerprint the session was created (or last verified) on. */
  device: string
  /** Address of the last accepted request. */
  ip: string
  /** Epoch ms. */
  createdAt: number
  /** Epoch ms of the last accepted request; drives the idle timeout. */
  lastSeenAt: number
  /** Upstream Supabase access token (sealed at rest when an encryption key is set). */
  accessToken: string
  /**
   * Upstream Supabase refresh token (sealed at rest when an encryption key is set); `''` for a
   * session adopted from a bare access token, which cannot be refreshed.
   */
  refreshToken: string
  /** Epoch ms when the upstream access token expires. */
  accessExpiresAt: number
  /** `tokenId` of the current access token. */
  tokenId: string
  /** `tokenId` of the access token it replaced, if any. */
  prevTokenId: string | null
  /** Epoch ms of the last rotation, if any. */
  rotatedAt: number | null
  /** MCP Streamable HTTP session id bound to this session, if any. */
  mcpSessionId: string | null
  /** Location of the last accepted request, if known. */
  location: GeoPoint | null
  /** Epoch ms the location was seen. */
  locationAt: number | null
  /** How many times the upstream tokens were refreshed. */
  refreshCount: number
  /** Failed challenge answers since the last success. */
  challengeFailures: number
}

/** A session as shown to its owner or an operator: no tokens. */
export type SessionInfo = Omit<SessionRecord, 'accessToken' | 'refreshToken'>

/**
 * State of one access token in the token index:
 * `c` current, `p` previous (valid during the grace period), `o` older (always refused),
 * `r` revoked, `e` its session expired, `v` its session was evicted.
 */
export type TokenState = 'c' | 'p' | 'o' | 'r' | 'e' | 'v'

/** What the token index says about one presented access token. */
export interface TokenEntry {
  tokenId: string
  state: TokenState
  sessionId: string
  /** Epoch ms the token stopped being current (`0` while current). */
  rotatedAt: number
}

/** Upstream tokens as returned by Supabase Auth. */
export interface TokenPair {
  accessToken: string
  refreshToken: string
  /** Epoch ms, on the session manager's clock. */
  expiresAt: number
  user: { id: string, email: string | null }
}

/** One entry of a session's token history. */
export interface TokenHistoryEntry {
  at: number
  kind: 'issued' | 'adopted' | 'rotated' | 'refresh_failed' | 'revoked' | 'reused' | 'grace_used'
  /** First 12 characters of the token id concerned; never the token itself. */
  token: string
  detail?: string
}

/** Every security-relevant action the audit trail records. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.token_bound',
  'auth.token_unknown',
  'session.created',
  'session.refreshed',
  'session.expired',
  'session.evicted',
  'session.revoked',
  'session.ip_changed',
  'session.device_changed',
  'session.mcp_bound',
  'token.issued',
  'token.adopted',
  'token.rejected',
  'token.rotated',
  'token.refresh_retry',
  'token.refresh_failed',
  'token.grace_used',
  'token.reused',
  'token.refused',
  'token.revoked',
  'token.user_mismatch',
  'user.revoked',
  'device.revoked',
  'rate.limited',
  'hijack.suspected',
  'challenge.issued',
  'challenge.passed',
  'challenge.failed',
  'upstream.rejected',
] as const

/** One audit action name. */
export type AuditAction = typeof AUDIT_ACTIONS[number]

/** One audit trail entry. */
export interface AuditEvent {
  id: string
  /** Epoch ms. */
  at: number
  action: AuditAction
  /** Who caused it: `system`, `user:<id>`, `admin:<name>` or `ip:<address>`. */
  actor: string
  /** What it concerns: `session:<id>`, `user:<id>`, `device:<fp>`, `token:<id12>` or `ip:<address>`. */
  subject: string
  ip: string | null
  reason: string
  userId: string | null
  sessionId: string | null
  details?: Record<string, string | number | boolean | null>
}

/** Filter for `AuditLog.query`; every given field must match. Newest first. */
export interface AuditQuery {
  action?: AuditAction | AuditAction[]
  userId?: string
  sessionId?: string
  subject?: string
  actor?: string
  /** Epoch ms, inclusive. */
  since?: number
  /** Epoch ms, exclusive. */
  until?: number
  /** Default 100. */
  limit?: number
}

/** Who performs a revocation and why, for the audit trail. */
export interface RevokeOptions {
  actor?: string
  reason?: string
  ip?: string | null
}
