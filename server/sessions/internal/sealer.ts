/**
 * Optional encryption at rest of the upstream tokens (AES-256-GCM). Without a key the tokens
 * are stored as they are; the storage backend is then trusted like the database itself.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { SessionInputError, SessionStoreError } from '../errors.ts'

const PREFIX = 'v1.'

/** Seals and opens token strings. */
export interface Sealer {
  seal(plain: string): string
  open(sealed: string): string
}

/** Stores tokens as they are. */
export const plainSealer: Sealer = { seal: (s) => s, open: (s) => s }

/** AES-256-GCM with a 32-byte key given as base64 or 64 hex digits. */
export function createSealer(key: string | null | undefined): Sealer {
  if (!key) return plainSealer
  const raw = /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64')
  if (raw.length !== 32) {
    throw new SessionInputError('"tokenEncryptionKey" must be 32 bytes as base64 or 64 hex digits; generate one with `openssl rand -base64 32`')
  }
  return {
    seal(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', raw, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new SessionStoreError('A stored token is not sealed although "tokenEncryptionKey" is set; revoke the session or remove the key')
      const buf = Buffer.from(sealed.slice(PREFIX.length), 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', raw, buf.subarray(0, 12))
      decipher.setAuthTag(buf.subarray(12, 28))
      try {
        return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8')
      } catch (error) {
        throw new SessionStoreError('A stored token does not open with "tokenEncryptionKey"; was the key changed?', { cause: error })
      }
    },
  }
}

/** A stored session with its tokens opened. */
export function openSession<T extends { accessToken: string, refreshToken: string }>(sealer: Sealer, s: T): T {
  return { ...s, accessToken: sealer.open(s.accessToken), refreshToken: sealer.open(s.refreshToken) }
}

/** A session with its tokens sealed for storage. */
export function sealSession<T extends { accessToken: string, refreshToken: string }>(sealer: Sealer, s: T): T {
  return { ...s, accessToken: sealer.seal(s.accessToken), refreshToken: sealer.seal(s.refreshToken) }
}
