/**
 * The emulator's API keys: like a Supabase project's legacy `anon` and `service_role` keys,
 * they are HS256 JWTs (`{iss:'supabase', ref, role, iat, exp}`) signed with the instance's
 * JWT secret, which is random per instance unless given.
 */
import { randomBytes } from 'node:crypto'
import { signJwt } from './auth/jwt.ts'

/** The project ref the keys name unless told otherwise. */
export const DEFAULT_PROJECT_REF = 'emulator'

/** Supabase issues its keys for ten years. */
const KEY_LIFETIME_SECONDS = 10 * 365 * 24 * 60 * 60

/** The two roles an API key can carry. */
export type ApiKeyRole = 'anon' | 'service_role'

/** The secret and the two keys of one emulator instance. */
export interface EmulatorKeys {
  /** HS256 secret that signs every key and token of the instance. */
  jwtSecret: string
  /** The public key (`role: 'anon'`). */
  anonKey: string
  /** The secret key (`role: 'service_role'`, bypasses RLS). */
  serviceRoleKey: string
}

/** Options of `createKeys`. */
export interface CreateKeysOptions {
  /** Reuse this secret (at least 32 characters, as Supabase requires); random when absent. */
  jwtSecret?: string
  /** The `ref` claim of the keys (default "emulator"). */
  ref?: string
  /** The `iat` of the keys in seconds (default now); fixed values give reproducible keys. */
  issuedAt?: number
}

/** A key secret was too short to be a Supabase JWT secret. */
export class WeakJwtSecretError extends Error {
  override name = 'WeakJwtSecretError'
  readonly code = 'JWT_SECRET_WEAK'
  constructor(length: number) {
    super(`The JWT secret has ${length} characters; Supabase requires at least 32. Pass a longer "jwtSecret" or omit it.`)
  }
}

/** A fresh random JWT secret (48 url-safe characters). */
export function randomJwtSecret(): string {
  return randomBytes(36).toString('base64url')
}

/** Signs one API key for `role` with `jwtSecret`. */
export function signApiKey(
  jwtSecret: string,
  role: ApiKeyRole,
  options: { ref?: string; issuedAt?: number } = {},
): Promise<string> {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000)
  return signJwt(jwtSecret, {
    iss: 'supabase',
    ref: options.ref ?? DEFAULT_PROJECT_REF,
    role,
    iat,
    exp: iat + KEY_LIFETIME_SECONDS,
  })
}

/** The secret (given or random) and the anon and service keys signed with it. */
export async function createKeys(options: CreateKeysOptions = {}): Promise<EmulatorKeys> {
  const jwtSecret = options.jwtSecret ?? randomJwtSecret()
  if (jwtSecret.length < 32) throw new WeakJwtSecretError(jwtSecret.length)
  const signOptions = { ref: options.ref, issuedAt: options.issuedAt }
  const [anonKey, serviceRoleKey] = await Promise.all([
    signApiKey(jwtSecret, 'anon', signOptions),
    signApiKey(jwtSecret, 'service_role', signOptions),
  ])
  return { jwtSecret, anonKey, serviceRoleKey }
}
