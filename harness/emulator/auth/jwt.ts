/**
 * HS256 JSON Web Tokens, signed and verified with `jose`: the API keys, GoTrue's access tokens
 * and the tokens tests mint for themselves all go through here.
 */
import type { JwtClaims } from '../../sql/index.ts'
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose'

/** Why a token was refused; each service words it in its own way (see caller.ts, auth/errors.ts). */
export type JwtFailure = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'not-yet-valid' | 'audience'

/** A bearer token or key that does not verify. */
export class JwtVerificationError extends Error {
  override name = 'JwtVerificationError'
  readonly code = 'JWT_INVALID'
  readonly reason: JwtFailure
  /** Number of dot-separated parts, for the "malformed" wording. */
  readonly parts: number
  /** The `alg` the header named, for the "algorithm" wording. */
  readonly alg: string | undefined
  constructor(reason: JwtFailure, detail: { parts?: number; alg?: string; cause?: unknown } = {}) {
    super(`JWT refused (${reason}); sign it with HS256 and this emulator's "jwtSecret", with a future "exp".`, {
      cause: detail.cause,
    })
    this.reason = reason
    this.parts = detail.parts ?? 3
    this.alg = detail.alg
  }
}

/** How strictly `verifyJwt` checks the registered claims. */
export interface VerifyJwtOptions {
  /**
   * The audience a token may name. A token without `aud` passes (the API keys have none);
   * one whose `aud` does not include this value fails with reason "audience".
   */
  audience?: string
  /** Seconds of clock skew tolerated on `exp`/`nbf`/`iat` (PostgREST allows 30, GoTrue none). */
  clockToleranceSeconds?: number
}

const encoder = new TextEncoder()
// Importing the raw secret into WebCrypto on every request costs more than the HMAC itself.
const keyCache = new Map<string, Promise<CryptoKey>>()

/** The WebCrypto HMAC key for `secret`, imported once per secret. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret)
  if (!key) {
    if (keyCache.size > 64) keyCache.clear()
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ])
    keyCache.set(secret, key)
  }
  return key
}

/**
 * Signs `payload` with HS256. Registered claims (`iat`, `exp`, …) are taken from the payload
 * as given, so callers control them exactly (an already-expired token is just `exp` in the past).
 */
export async function signJwt(secret: string, payload: JwtClaims): Promise<string> {
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(await hmacKey(secret))
}

/** Verifies an HS256 token and returns its claims, or throws `JwtVerificationError`. */
export async function verifyJwt(token: string, secret: string, options: VerifyJwtOptions = {}): Promise<JwtClaims> {
  const parts = token.split('.').length
  if (parts !== 3) throw new JwtVerificationError('malformed', { parts })
  let alg: string | undefined
  try {
    alg = decodeProtectedHeader(token).alg
  } catch (cause) {
    throw new JwtVerificationError('malformed', { cause })
  }
  // Refuse `none` and every other algorithm before touching the signature.
  if (alg !== 'HS256') throw new JwtVerificationError('algorithm', { alg: String(alg) })
  let payload: JwtClaims
  try {
    const verified = await jwtVerify(token, await hmacKey(secret), {
      algorithms: ['HS256'],
      clockTolerance: options.clockToleranceSeconds ?? 0,
    })
    payload = verified.payload as JwtClaims
  } catch (cause) {
    throw new JwtVerificationError(failureOf(cause), { cause })
  }
  if (options.audience !== undefined && payload.aud !== undefined && !audienceIncludes(payload.aud, options.audience)) {
    throw new JwtVerificationError('audience')
  }
  return payload
}

/** True when a token's `aud` claim (a string or an array) names `audience`. */
export function audienceIncludes(aud: unknown, audience: string): boolean {
  return Array.isArray(aud) ? aud.includes(audience) : aud === audience
}

function failureOf(error: unknown): JwtFailure {
  if (error instanceof joseErrors.JWTExpired) return 'expired'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature'
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm'
  if (error instanceof joseErrors.JWTClaimValidationFailed) return 'not-yet-valid'
  return 'malformed'
}
