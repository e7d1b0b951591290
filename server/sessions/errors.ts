/**
 * Errors of the session layer. Each carries a stable `code` and the HTTP `status` the
 * middleware answers with, so transports map them without knowing every class.
 */

/** Base class: a refused request or a failed session operation. */
export class SessionError extends Error {
  code: string
  status: number

  constructor(message: string, code: string, status: number, options?: ErrorOptions) {
    super(message, options)
    this.name = 'SessionError'
    this.code = code
    this.status = status
  }
}

/** No bearer token on a request that needs one. */
export class TokenMissingError extends SessionError {
  constructor() {
    super('No bearer token: send "Authorization: Bearer <Supabase access token>" (or the access token from POST /auth/login)', 'TOKEN_MISSING', 401)
    this.name = 'TokenMissingError'
  }
}

/** The bearer token belongs to no session this server knows. */
export class TokenUnknownError extends SessionError {
  constructor() {
    super('Unknown access token: sign in with POST /auth/login or bind a token pair with POST /auth/session', 'TOKEN_UNKNOWN', 401)
    this.name = 'TokenUnknownError'
  }
}

/** A bearer token no session holds that also failed verification (forged, expired, wrong audience…); `reason` is safe to show. */
export class TokenInvalidError extends SessionError {
  reason: string

  constructor(reason: string) {
    super(`Access token rejected: ${reason}; sign in again and send the new token`, 'TOKEN_INVALID', 401)
    this.name = 'TokenInvalidError'
    this.reason = reason
  }
}

/**
 * A token that was rotated out (after its grace period), revoked, or belongs to an ended
 * session; or the expired token of a session adopted from a bare token (no refresh possible).
 */
export class TokenRefusedError extends SessionError {
  constructor(code: 'TOKEN_REUSED' | 'TOKEN_REVOKED' | 'TOKEN_EXPIRED', message: string) {
    super(message, code, 401)
    this.name = 'TokenRefusedError'
  }
}

/** The session ended: expired, revoked, evicted or revoked on hijack suspicion. */
export class SessionEndedError extends SessionError {
  reason: string

  constructor(code: 'SESSION_EXPIRED' | 'SESSION_REVOKED' | 'SESSION_EVICTED' | 'HIJACK_SUSPECTED', reason: string) {
    super(`Session ended (${code.toLowerCase().replace('_', ' ')}: ${reason}); sign in again with POST /auth/login`, code, 401)
    this.name = 'SessionEndedError'
    this.reason = reason
  }
}

/** The request looks different enough from the session's history to need a re-check. */
export class ChallengeRequiredError extends SessionError {
  score: number
  signals: string[]

  constructor(score: number, signals: string[]) {
    super(`Request refused pending a challenge (risk ${score.toFixed(2)}: ${signals.join(', ')}); answer with POST /auth/verify {"password"}`, 'CHALLENGE_REQUIRED', 401)
    this.name = 'ChallengeRequiredError'
    this.score = score
    this.signals = signals
  }
}

/** Too many requests in the sliding window. */
export class RateLimitedError extends SessionError {
  retryAfterMs: number
  budget: string

  constructor(budget: string, retryAfterMs: number) {
    super(`Rate limit for "${budget}" reached; retry after ${Math.ceil(retryAfterMs / 1000)} s`, 'RATE_LIMITED', 429)
    this.name = 'RateLimitedError'
    this.retryAfterMs = retryAfterMs
    this.budget = budget
  }
}

/** Supabase Auth refused or failed a grant. `retryable` is true for network errors, 5xx and 429. */
export class UpstreamAuthError extends SessionError {
  retryable: boolean
  upstreamStatus: number

  constructor(message: string, upstreamStatus: number, retryable: boolean, options?: ErrorOptions) {
    super(message, retryable ? 'UPSTREAM_UNAVAILABLE' : 'LOGIN_FAILED', retryable ? 503 : 401, options)
    this.name = 'UpstreamAuthError'
    this.retryable = retryable
    this.upstreamStatus = upstreamStatus
  }
}

/** The upstream token could not be refreshed and the current one has expired. */
export class TokenRefreshError extends SessionError {
  constructor(sessionId: string, attempts: number, options?: ErrorOptions) {
    super(`Could not refresh the upstream token of session "${sessionId}" after ${attempts} attempts; retry shortly`, 'TOKEN_REFRESH_FAILED', 503, options)
    this.name = 'TokenRefreshError'
  }
}

/** Bad input to a session operation; nothing was changed. */
export class SessionInputError extends SessionError {
  constructor(message: string) {
    super(message, 'INVALID_INPUT', 400)
    this.name = 'SessionInputError'
  }
}

/** A storage backend failed or answered something unexpected. */
export class SessionStoreError extends SessionError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'STORE_FAILED', 500, options)
    this.name = 'SessionStoreError'
  }
}

/** The session configuration is invalid; `issues` lists every problem found. */
export class SessionConfigError extends SessionError {
  issues: string[]

  constructor(issues: string[]) {
    super(`Invalid session configuration: ${issues.join('; ')}. Fix the settings listed in server/sessions/README.md`, 'INVALID_CONFIG', 500)
    this.name = 'SessionConfigError'
    this.issues = issues
  }
}
