/**
 * The checks GoTrue runs before its handlers: body parsing, bearer authentication, the admin
 * role, email and password validation. Each failure is the `GoTrueError` GoTrue would send.
 */
import type { JwtClaims } from '../../sql/index.ts'
import type { AuthConfig, AuthEnv } from './config.ts'
import type { SessionRow } from './sessions.ts'
import type { UserRow } from './users.ts'
import { bearerToken } from './caller.ts'
import { ADMIN_ROLES, MAX_PASSWORD_LENGTH } from './config.ts'
import { GoTrueError, badRequest, forbidden, weakPassword } from './errors.ts'
import { JwtVerificationError, verifyJwt } from './jwt.ts'
import { findSession } from './sessions.ts'
import { findUserById, isBanned } from './users.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const NIL_UUID = '00000000-0000-0000-0000-000000000000'
// The WHATWG form of a valid email address, close to the check GoTrue uses.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

/** True for a UUID string. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value)

/** The JSON object body of the request (GoTrue's `retrieveRequestParams`). */
export async function readParams(env: AuthEnv, optional = false): Promise<Record<string, unknown>> {
  const text = await env.request.text()
  if (optional && text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${(error as Error).message}`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected a JSON object')
  }
  return parsed as Record<string, unknown>
}

/** A string field of the body, or `''` when absent; any other type is a 400 like Go's decoder. */
export function stringParam(params: Record<string, unknown>, name: string): string {
  const value = params[name]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') {
    throw badRequest('bad_json', `Could not parse request body as JSON: field "${name}" must be a string`)
  }
  return value
}

/** An object field of the body, or undefined when absent. */
export function objectParam(params: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = params[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('bad_json', `Could not parse request body as JSON: field "${name}" must be an object`)
  }
  return value as Record<string, unknown>
}

/** GoTrue's `validateEmail`: required, at most 255 characters, well formed; lower-cased. */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required')
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long')
  if (!EMAIL.test(email)) throw badRequest('validation_failed', 'Unable to validate email address: invalid format')
  return email.toLowerCase()
}

/** GoTrue's `checkPasswordStrength` with its default rules (length only). */
export function checkPasswordStrength(password: string, config: AuthConfig): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`)
  }
  if (password.length < config.passwordMinLength) {
    throw weakPassword(`Password should be at least ${config.passwordMinLength} characters.`, ['length'])
  }
}

/** The caller of an authenticated endpoint: the verified claims, the user and the session. */
export interface Authenticated {
  claims: JwtClaims
  user: UserRow
  session: SessionRow | undefined
}

/** The bearer token, or GoTrue's 401 `no_authorization`. */
function requireBearer(env: AuthEnv): string {
  const token = bearerToken(env.request)
  if (!token) throw new GoTrueError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  return token
}

/** Verifies a bearer token as GoTrue does (no clock skew, no audience check). */
async function parseClaims(env: AuthEnv, token: string): Promise<JwtClaims> {
  try {
    return await verifyJwt(token, env.ctx.jwtSecret)
  } catch (error) {
    if (error instanceof JwtVerificationError) {
      throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${goJwtMessage(error)}`)
    }
    throw error
  }
}

/** GoTrue's `requireAuthentication`: a valid token naming an existing user and session. */
export async function requireAuthentication(env: AuthEnv): Promise<Authenticated> {
  const claims = await parseClaims(env, requireBearer(env))
  const sub = claims.sub
  if (typeof sub !== 'string' || sub === '') throw forbidden('bad_jwt', 'invalid claim: missing sub claim')
  if (!isUuid(sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID')
  return env.ctx.db.transaction(async (tx) => {
    const user = await findUserById(tx, sub)
    if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist')
    let session: SessionRow | undefined
    const sessionId = claims.session_id
    if (typeof sessionId === 'string' && sessionId !== '' && sessionId !== NIL_UUID) {
      if (!isUuid(sessionId)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID')
      session = await findSession(tx, sessionId)
      if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist')
    }
    if (isBanned(user)) throw forbidden('user_banned', 'User is banned')
    return { claims, user, session }
  })
}

/** GoTrue's `requireAdminCredentials`: a valid token whose role is an admin role. */
export async function requireAdmin(env: AuthEnv): Promise<JwtClaims> {
  const claims = await parseClaims(env, requireBearer(env))
  if (typeof claims.session_id === 'string' && claims.session_id !== '' && claims.session_id !== NIL_UUID) {
    await requireAuthentication(env)
  }
  if (typeof claims.role !== 'string' || !ADMIN_ROLES.has(claims.role)) throw forbidden('not_admin', 'User not allowed')
  return claims
}

/** True when the token's role is an admin role. */
export const isAdminClaims = (claims: JwtClaims) => typeof claims.role === 'string' && ADMIN_ROLES.has(claims.role)

/** golang-jwt's wording of a verification failure, as GoTrue passes it on. */
function goJwtMessage(error: JwtVerificationError): string {
  switch (error.reason) {
    case 'malformed':
      return error.parts === 3 ? 'token is malformed: could not JSON decode header' : 'token is malformed: token contains an invalid number of segments'
    case 'algorithm':
      return `token signature is invalid: signing method ${error.alg} is invalid`
    case 'signature':
      return 'token signature is invalid: signature is invalid'
    case 'expired':
      return 'token has invalid claims: token is expired'
    case 'not-yet-valid':
      return 'token has invalid claims: token is not valid yet'
    case 'audience':
      return 'token has invalid claims: token has invalid audience'
  }
}

/**
 * Parses a Go duration (`"24h"`, `"1h30m"`, `"90s"`), as GoTrue's `ban_duration`; returns
 * milliseconds, or throws GoTrue's 400.
 */
export function parseGoDuration(text: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 }
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y
  let total = 0
  let index = 0
  const sign = text.startsWith('-') ? -1 : 1
  if (text.startsWith('-') || text.startsWith('+')) index = 1
  if (index >= text.length) throw badRequest('validation_failed', `invalid format for ban duration: time: invalid duration "${text}"`)
  while (index < text.length) {
    pattern.lastIndex = index
    const match = pattern.exec(text)
    if (!match) throw badRequest('validation_failed', `invalid format for ban duration: time: invalid duration "${text}"`)
    total += Number(match[1]) * units[match[2]!]!
    index = pattern.lastIndex
  }
  return sign * total
}
