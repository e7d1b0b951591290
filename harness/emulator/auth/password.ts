/**
 * Password hashing for `auth.users.encrypted_password`, with node:crypto's scrypt. The hash
 * names its own cost (`$scrypt$ln=12,r=8,p=1$<salt>$<key>`), so the cost can change without
 * breaking stored users. bcrypt hashes written by seed files (`crypt(..., gen_salt('bf'))`, as
 * Supabase seeds do) are checked through the database's pgcrypto.
 */
import type { SqlSession } from '../../sql/index.ts'
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>

/** log2 of scrypt's N used for new hashes: 2^12 keeps sign-ups fast in tests and is still salted and slow. */
export const DEFAULT_SCRYPT_LOG_N = 12
const KEY_LENGTH = 32
const HASH_PATTERN = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

/** A stored hash the emulator cannot check. */
export class UnsupportedPasswordHashError extends Error {
  override name = 'UnsupportedPasswordHashError'
  readonly code = 'PASSWORD_HASH_UNSUPPORTED'
  constructor(prefix: string, cause?: unknown) {
    super(
      `Cannot check a password hash starting "${prefix}"; store scrypt hashes from the emulator, ` +
        'or bcrypt hashes with the "pgcrypto" extension installed.',
      { cause },
    )
  }
}

/** Hashes `password` with a fresh salt. */
export async function hashPassword(password: string, logN = DEFAULT_SCRYPT_LOG_N): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, logN, 8, 1)
  return `$scrypt$ln=${logN},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/**
 * True when `password` matches `stored`. A missing hash never matches. `db` checks bcrypt
 * hashes with pgcrypto's `crypt()`.
 */
export async function verifyPassword(password: string, stored: string | null, db: SqlSession): Promise<boolean> {
  if (!stored) return false
  const match = HASH_PATTERN.exec(stored)
  if (match) {
    const [, logN, r, p, salt, key] = match as unknown as [string, string, string, string, string, string]
    const expected = Buffer.from(key, 'base64url')
    const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p), expected.length)
    return actual.length === expected.length && timingSafeEqual(actual, expected)
  }
  if (/^\$2[aby]\$/.test(stored)) {
    try {
      const { rows } = await db.query<{ ok: boolean }>('select crypt($1::text, $2::text) = $2::text as ok', [password, stored])
      return rows[0]?.ok === true
    } catch (error) {
      // Keep only the reason: the failed statement's parameters hold the password.
      throw new UnsupportedPasswordHashError(stored.slice(0, 4), new Error(String((error as Error)?.message ?? error)))
    }
  }
  throw new UnsupportedPasswordHashError(stored.slice(0, 8))
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length = KEY_LENGTH): Promise<Buffer> {
  const N = 2 ** logN
  return scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 })
}
