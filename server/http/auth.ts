/**
 * Bearer authentication of the HTTP transport: every request to `/mcp` carries a Supabase access
 * token, verified here (signature, expiry, audience, issuer when configured) before any tool
 * runs. HS256 with the project's JWT secret, or the project's JWKS when no secret is configured.
 * Missing or invalid → 401 with `WWW-Authenticate: Bearer …` (RFC 6750).
 */
import type { JWTPayload, JWTVerifyGetKey } from 'jose'
import type { Middleware } from './types.ts'

import { createRemoteJWKSet, errors, jwtVerify } from 'jose'
import { cachingVerifier } from './verifiedTokenCache.ts'

/** A verified access token. */
export interface VerifiedToken {
  userId: string
  /** Expiry in seconds since the epoch. */
  expiresAt: number
  claims: JWTPayload
}

/** Verifies access tokens. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>
}

/** A token that failed verification; `reason` is safe to show the client. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError'
  readonly code = 'UNAUTHENTICATED'
  readonly reason: string
  constructor(reason: string) {
    super(`Access token rejected: ${reason}; sign in again and send the new token`)
    this.reason = reason
  }
}

/** Options of {@link createTokenVerifier}. */
export interface VerifierOptions {
  /** The project's URL; its JWKS is used when no secret is given. */
  supabaseUrl: string
  /** HS256 secret (the project's JWT secret). */
  jwtSecret?: string
  /** Required `aud` (Supabase: "authenticated"). */
  audience: string
  /** Required `iss`, when set. */
  issuer?: string
  /** Leeway for exp/nbf/iat, seconds (default 5). */
  clockToleranceSeconds?: number
}

/**
 * Builds the verifier: HS256 with the secret, else the project's JWKS (cached by jose); verified
 * tokens are remembered until they expire (see `cachingVerifier`).
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  return cachingVerifier(joseVerifier(options))
}

/** Verifies every token with jose, no memo. */
export function joseVerifier(options: VerifierOptions): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = options.jwtSecret
    ? new TextEncoder().encode(options.jwtSecret)
    : createRemoteJWKSet(new URL(`${options.supabaseUrl.replace(/\/+$/, '')}/auth/v1/.well-known/jwks.json`))
  const algorithms = options.jwtSecret ? ['HS256'] : ['RS256', 'ES256', 'EdDSA']
  return {
    async verify(token) {
      let payload: JWTPayload
      const checks = { algorithms, audience: options.audience, issuer: options.issuer, clockTolerance: options.clockToleranceSeconds ?? 5, requiredClaims: ['exp', 'sub'] }
      try {
        // Two calls only because jose overloads on the key kind.
        const verified = typeof key === 'function' ? await jwtVerify(token, key, checks) : await jwtVerify(token, key, checks)
        payload = verified.payload
      } catch (error) {
        throw new TokenRejectedError(describe(error))
      }
      if (typeof payload.sub !== 'string' || !payload.sub) throw new TokenRejectedError('no "sub" claim')
      if (payload.role !== undefined && payload.role !== 'authenticated') throw new TokenRejectedError(`role "${String(payload.role)}" is not a user role`)
      return { userId: payload.sub, expiresAt: payload.exp!, claims: payload }
    },
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired'
  if (error instanceof errors.JWTClaimValidationFailed) return `claim "${error.claim}" is invalid (${error.reason})`
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify'
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not accepted'
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the project signs it'
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'not a well-formed JWT'
  if (error instanceof errors.JOSEError) return error.code
  return 'could not be verified'
}

/** The `WWW-Authenticate` challenge of a 401. */
export function challenge(error?: { reason: string }): string {
  return error
    ? `Bearer realm="atoms-mcp", error="invalid_token", error_description="${error.reason.replace(/["\\]/g, '')}"`
    : 'Bearer realm="atoms-mcp"'
}

/** A 401 JSON-RPC error response with the challenge header. */
export function unauthorized(message: string, error?: { reason: string }): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32001, message, data: { code: 'UNAUTHENTICATED' } }, id: null },
    { status: 401, headers: { 'WWW-Authenticate': challenge(error) } },
  )
}

/**
 * Requires a valid access token: the one an earlier layer bound (the session layer puts the
 * current token of the session in `ctx.accessToken`), else the request's bearer token.
 * On success `ctx.accessToken` and `ctx.userId` are set.
 */
export function bearerAuth(verifier: TokenVerifier): Middleware {
  return (next) => async (request, ctx) => {
    const header = request.headers.get('authorization') ?? ''
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    const token = ctx.accessToken ?? match?.[1]
    if (!token) return unauthorized('Authorization required: send "Authorization: Bearer <Supabase access token>"')
    try {
      const verified = await verifier.verify(token)
      ctx.accessToken = token
      ctx.userId = verified.userId
    } catch (error) {
      if (error instanceof TokenRejectedError) return unauthorized(error.message, error)
      throw error
    }
    return next(request, ctx)
  }
}
