/**
 * Settings of the GoTrue subset (the knobs a Supabase project exposes as `GOTRUE_*`), and the
 * per-request environment every auth handler receives.
 */
import type { EmulatorContext } from '../types.ts'
import { DEFAULT_SCRYPT_LOG_N } from './password.ts'
import { DEFAULT_JWT_EXPIRY_SECONDS } from './userToken.ts'

/** Options of the auth routes; every field has GoTrue's (or the emulator's) default. */
export interface AuthOptions {
  /** Access-token lifetime in seconds (default 3600, GoTrue's `JWT_EXP`). */
  jwtExpirySeconds?: number
  /**
   * Seconds during which an already-rotated refresh token may still be exchanged (GoTrue's
   * `SECURITY_REFRESH_TOKEN_REUSE_INTERVAL`). Default 0: any reuse is refused at once and revokes
   * the session's tokens, so tests see reuse detection without waiting. A hosted project uses 10.
   */
  refreshTokenReuseIntervalSeconds?: number
  /** Confirm emails on sign-up, as a local Supabase stack does (default true). */
  autoconfirm?: boolean
  /** Refuse sign-ups (default false). */
  disableSignup?: boolean
  /** Minimum password length (default 6). */
  passwordMinLength?: number
  /** log2 of scrypt's cost for new password hashes (default 12). */
  scryptLogN?: number
}

/** `AuthOptions` with every default filled in. */
export type AuthConfig = Required<AuthOptions>

/** Fills in the defaults. */
export function authConfig(options: AuthOptions = {}): AuthConfig {
  return {
    jwtExpirySeconds: options.jwtExpirySeconds ?? DEFAULT_JWT_EXPIRY_SECONDS,
    refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 0,
    autoconfirm: options.autoconfirm ?? true,
    disableSignup: options.disableSignup ?? false,
    passwordMinLength: options.passwordMinLength ?? 6,
    scryptLogN: options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N,
  }
}

/** What one auth handler works with. */
export interface AuthEnv {
  request: Request
  url: URL
  ctx: EmulatorContext
  config: AuthConfig
  /** Path parameters (`id` of `/admin/users/<id>`). */
  params: Record<string, string>
}

/** GoTrue's admin roles (`GOTRUE_JWT_ADMIN_ROLES` default). */
export const ADMIN_ROLES: ReadonlySet<string> = new Set(['service_role', 'supabase_admin'])

/** GoTrue refuses longer passwords (bcrypt's limit). */
export const MAX_PASSWORD_LENGTH = 72
