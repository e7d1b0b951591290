/**
 * A bounded memo of verified access tokens. A JWT's signature, audience and issuer checks give the
 * same answer every time for the same token string and key, so only time needs re-checking: a hit
 * is served while the token is unexpired, which spares the HMAC (or JWKS) verification every MCP
 * request otherwise pays. Refusals are never cached, and revocation is not this layer's job (the
 * session layer refuses revoked tokens on every request).
 */
import type { TokenVerifier, VerifiedToken } from './auth.ts'

import { LRUCache } from 'lru-cache'

/** Options of {@link cachingVerifier}. */
export interface VerifiedTokenCacheOptions {
  /** Tokens remembered; the least recently used goes first (default 1,024). */
  max?: number
  /** Current time in ms (tests pass a fake clock). */
  now?: () => number
}

/** `verifier`, remembering each verified token until it expires. */
export function cachingVerifier(verifier: TokenVerifier, options: VerifiedTokenCacheOptions = {}): TokenVerifier {
  const max = options.max ?? 1_024
  const now = options.now ?? Date.now
  const verified = new LRUCache<string, VerifiedToken>({ max })
  return {
    async verify(token) {
      const hit = verified.get(token)
      // Expiry is the one check that changes with time; past it, the verifier judges again
      // (with its clock tolerance and its own refusal).
      if (hit && hit.expiresAt * 1000 > now()) return hit
      verified.delete(token)
      const fresh = await verifier.verify(token)
      verified.set(token, fresh)
      return fresh
    },
  }
}
