/**
 * Who a request runs as, decided the way a Supabase project decides it: the API gateway demands
 * an `apikey` that is one of the project's keys, then the `Authorization: Bearer` token (or, when
 * absent, the key itself) picks the database role, as PostgREST does with the JWT's `role` claim.
 * @see https://docs.postgrest.org/en/v12/references/auth.html
 */
import type { DbRole, JwtClaims } from '../../sql/index.ts'
import type { Caller, EmulatorContext } from '../types.ts'
import { JwtVerificationError, verifyJwt } from './jwt.ts'

/** The audience of GoTrue's access tokens; a bearer naming another audience is refused. */
export const AUTHENTICATED_AUDIENCE = 'authenticated'

/** PostgREST tolerates this much clock skew on `exp`, `nbf` and `iat`. */
export const POSTGREST_CLOCK_SKEW_SECONDS = 30

const API_ROLES: ReadonlySet<string> = new Set<DbRole>(['anon', 'authenticated', 'service_role'])

/** A request the emulator refuses before any route sees it; `toResponse()` answers it. */
export abstract class CallerError extends Error {
  abstract readonly status: number
  /** The response a Supabase project gives for this failure. */
  abstract toResponse(): Response
}

/** No `apikey` header or query parameter (the gateway's 401). */
export class MissingApiKeyError extends CallerError {
  override name = 'MissingApiKeyError'
  readonly code = 'API_KEY_MISSING'
  readonly status = 401
  constructor() {
    super('No "apikey" header or query parameter; send the anon or service key as "apikey".')
  }
  toResponse(): Response {
    return Response.json(
      { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' },
      { status: this.status },
    )
  }
}

/** An `apikey` that is not one of this instance's two keys (the gateway's 401). */
export class InvalidApiKeyError extends CallerError {
  override name = 'InvalidApiKeyError'
  readonly code = 'API_KEY_INVALID'
  readonly status = 401
  constructor() {
    super('The "apikey" is neither the anon key nor the service key of this emulator; use "emulator.anonKey".')
  }
  toResponse(): Response {
    return Response.json(
      { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' },
      { status: this.status },
    )
  }
}

/** A bearer token that does not verify: PostgREST's 401 (PGRST301, or PGRST303 for claims). */
export class BearerTokenError extends CallerError {
  override name = 'BearerTokenError'
  readonly status = 401
  readonly reason: JwtVerificationError['reason']
  readonly jwtError: JwtVerificationError
  constructor(jwtError: JwtVerificationError) {
    super(`The bearer token was refused (${jwtError.reason}); sign in again or mint a token with this emulator's secret.`, {
      cause: jwtError,
    })
    this.jwtError = jwtError
    this.reason = jwtError.reason
  }
  /** PostgREST's error code for this failure. */
  get code(): 'PGRST301' | 'PGRST303' {
    return ['expired', 'not-yet-valid', 'audience'].includes(this.reason) ? 'PGRST303' : 'PGRST301'
  }
  toResponse(): Response {
    const message = postgrestJwtMessage(this.jwtError)
    return Response.json(
      { code: this.code, details: null, hint: null, message },
      {
        status: this.status,
        headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"` },
      },
    )
  }
}

/** A verified token whose `role` is not an API role: Postgres refuses `SET ROLE` (42501). */
export class ForbiddenRoleError extends CallerError {
  override name = 'ForbiddenRoleError'
  readonly code = '42501'
  readonly status = 403
  readonly role: string
  constructor(role: string) {
    super(`The token's role "${role}" is not "anon", "authenticated" or "service_role"; requests cannot run as it.`)
    this.role = role
  }
  toResponse(): Response {
    return Response.json(
      { code: this.code, details: null, hint: null, message: `permission denied to set role "${this.role}"` },
      { status: this.status },
    )
  }
}

/** The bearer token of a request, if it sent `Authorization: Bearer <token>`. */
export function bearerToken(request: Request): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')
  return match?.[1]
}

/** The `apikey` header, else the `apikey` query parameter (the gateway accepts both). */
export function apiKeyOf(request: Request): string | undefined {
  return request.headers.get('apikey') ?? new URL(request.url).searchParams.get('apikey') ?? undefined
}

/**
 * Resolves the caller of a request. Returns null when it carries neither an `apikey` nor an
 * `Authorization` header; throws a `CallerError` when the key is missing or unknown, when the
 * bearer token does not verify, or when its role is not an API role.
 */
export async function resolveCaller(request: Request, ctx: EmulatorContext): Promise<Caller | null> {
  const apiKey = apiKeyOf(request)
  const bearer = bearerToken(request)
  if (apiKey === undefined) {
    if (bearer === undefined && !request.headers.has('authorization')) return null
    throw new MissingApiKeyError()
  }
  if (apiKey !== ctx.anonKey && apiKey !== ctx.serviceRoleKey) throw new InvalidApiKeyError()
  const token = bearer ?? apiKey
  const claims = await verifiedClaims(token, ctx)
  const role = typeof claims.role === 'string' ? claims.role : 'anon'
  if (!API_ROLES.has(role)) throw new ForbiddenRoleError(role)
  return { role: role as DbRole, claims, token }
}

// Verified tokens, per emulator instance: a token verifies the same way until it expires.
const verifiedCache = new WeakMap<EmulatorContext, Map<string, JwtClaims>>()
const CACHE_LIMIT = 2_000

async function verifiedClaims(token: string, ctx: EmulatorContext): Promise<JwtClaims> {
  let cache = verifiedCache.get(ctx)
  if (!cache) verifiedCache.set(ctx, (cache = new Map()))
  const cached = cache.get(token)
  if (cached && !expired(cached)) return cached
  let claims: JwtClaims
  try {
    claims = await verifyJwt(token, ctx.jwtSecret, {
      audience: AUTHENTICATED_AUDIENCE,
      clockToleranceSeconds: POSTGREST_CLOCK_SKEW_SECONDS,
    })
  } catch (error) {
    cache.delete(token)
    if (error instanceof JwtVerificationError) throw new BearerTokenError(error)
    throw error
  }
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(token, claims)
  return claims
}

function expired(claims: JwtClaims): boolean {
  return typeof claims.exp === 'number' && claims.exp + POSTGREST_CLOCK_SKEW_SECONDS <= Date.now() / 1000
}

/** PostgREST 12's wording of each failure. */
function postgrestJwtMessage(error: JwtVerificationError): string {
  switch (error.reason) {
    case 'expired':
      return 'JWT expired'
    case 'not-yet-valid':
      return 'JWT not yet valid'
    case 'audience':
      return 'JWT not in audience'
    case 'malformed':
      return error.parts === 3
        ? 'JWSError (CompactDecodeError Invalid JWT)'
        : `JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${error.parts})`
    case 'algorithm':
    case 'signature':
      return 'JWSError JWSInvalidSignature'
  }
}
