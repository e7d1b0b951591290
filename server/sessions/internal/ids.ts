/** Identifiers: random ids and one-way token ids (a token itself is never stored as a key or logged). */
import { createHash, randomBytes } from 'node:crypto'

/** A random url-safe id with `bytes` bytes of entropy. */
export function newId(bytes = 16): string {
  return randomBytes(bytes).toString('base64url')
}

/** The one-way id of an access token: first 32 hex digits of its SHA-256. */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32)
}

/** A short, non-reversible label of a value for the audit trail (e.g. an email used as a rate-limit key). */
export function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16)
}
