/**
 * Access tokens with GoTrue's claims. GoTrue's token endpoint signs them for real sessions; tests
 * sign their own through `signUserToken` (expired tokens, `aal2`, app_metadata roles, any claim).
 */
import type { JwtClaims } from '../../sql/index.ts'
import { randomUUID } from 'node:crypto'
import { signJwt } from './jwt.ts'

/** GoTrue's default access-token lifetime (`GOTRUE_JWT_EXP`). */
export const DEFAULT_JWT_EXPIRY_SECONDS = 3600

/** One entry of the `amr` claim. */
export interface AmrEntry {
  method: string
  timestamp: number
}

/** What a user access token says. Everything but `sub` has GoTrue's default. */
export interface UserTokenOptions {
  /** The user id (`auth.uid()`). */
  sub: string
  email?: string
  phone?: string
  /** The database role (default "authenticated"). */
  role?: string
  /** Default "authenticated"; another value makes a wrong-audience token. */
  aud?: string | string[]
  /** Default: a random id, which names no stored session (GoTrue's `/user` refuses it; REST does not care). */
  sessionId?: string
  /** Authenticator assurance level (default "aal1"). */
  aal?: 'aal1' | 'aal2'
  /** Default: one "password" entry at `iat`. */
  amr?: AmrEntry[]
  /** Default `{provider:'email', providers:['email']}`; put roles etc. here. */
  appMetadata?: Record<string, unknown>
  userMetadata?: Record<string, unknown>
  isAnonymous?: boolean
  /** `iat` in seconds (default now). */
  issuedAt?: number
  /** Lifetime in seconds from `iat` (default 3600); zero or negative makes an expired token. */
  expiresIn?: number
  /** The `iss` claim (default "<baseUrl>/auth/v1" when known, else "supabase"). */
  issuer?: string
  /** Claims merged last, overriding everything above. */
  extra?: JwtClaims
}

/** The claims of a GoTrue access token, in GoTrue's order. */
export function userTokenClaims(options: UserTokenOptions): JwtClaims {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000)
  return {
    iss: options.issuer ?? 'supabase',
    sub: options.sub,
    aud: options.aud ?? 'authenticated',
    exp: iat + (options.expiresIn ?? DEFAULT_JWT_EXPIRY_SECONDS),
    iat,
    email: options.email ?? '',
    phone: options.phone ?? '',
    app_metadata: options.appMetadata ?? { provider: 'email', providers: ['email'] },
    user_metadata: options.userMetadata ?? {},
    role: options.role ?? 'authenticated',
    aal: options.aal ?? 'aal1',
    amr: options.amr ?? [{ method: 'password', timestamp: iat }],
    session_id: options.sessionId ?? randomUUID(),
    is_anonymous: options.isAnonymous ?? false,
    ...options.extra,
  }
}

/**
 * Signs a user access token with `secret` (an emulator's `jwtSecret`, or the emulator itself).
 * @example signUserToken(emulator, { sub: user.id, expiresIn: -60 }) // an expired token
 * @example signUserToken(emulator, { sub, aal: 'aal2', appMetadata: { roles: ['admin'] } })
 */
export function signUserToken(secret: string | { jwtSecret: string; ctx?: { baseUrl: string } }, options: UserTokenOptions): Promise<string> {
  if (typeof secret === 'string') return signJwt(secret, userTokenClaims(options))
  const issuer = options.issuer ?? (secret.ctx ? `${secret.ctx.baseUrl}/auth/v1` : undefined)
  return signJwt(secret.jwtSecret, userTokenClaims({ ...options, issuer }))
}
