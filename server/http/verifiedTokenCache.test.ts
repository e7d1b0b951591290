import type { TokenVerifier, VerifiedToken } from './auth.ts'
import { describe, expect, test } from 'vitest'
import { TokenRejectedError } from './auth.ts'
import { cachingVerifier } from './verifiedTokenCache.ts'

/** A verifier that counts its calls and accepts tokens named "good-<exp seconds>". */
function countingVerifier(clock: { ms: number }): TokenVerifier & { calls: number } {
  const verifier = {
    calls: 0,
    async verify(token: string): Promise<VerifiedToken> {
      verifier.calls++
      const match = /^good-(\d+)$/.exec(token)
      if (!match) throw new TokenRejectedError('signature does not verify')
      const expiresAt = Number(match[1])
      if (expiresAt * 1000 <= clock.ms) throw new TokenRejectedError('token expired')
      return { userId: 'user-1', expiresAt, claims: { sub: 'user-1', exp: expiresAt } }
    },
  }
  return verifier
}

describe('cachingVerifier', () => {
  test('verifies a token once while it is unexpired, then asks again and refuses it', async () => {
    const clock = { ms: 1_000_000 }
    const inner = countingVerifier(clock)
    const verifier = cachingVerifier(inner, { now: () => clock.ms })
    const token = 'good-2000'
    expect((await verifier.verify(token)).userId).toBe('user-1')
    expect((await verifier.verify(token)).userId).toBe('user-1')
    expect(inner.calls).toBe(1)
    clock.ms = 2_000_000
    await expect(verifier.verify(token)).rejects.toThrow('token expired')
    expect(inner.calls).toBe(2)
  })

  test('never remembers a refusal', async () => {
    const clock = { ms: 0 }
    const inner = countingVerifier(clock)
    const verifier = cachingVerifier(inner, { now: () => clock.ms })
    await expect(verifier.verify('forged')).rejects.toBeInstanceOf(TokenRejectedError)
    await expect(verifier.verify('forged')).rejects.toBeInstanceOf(TokenRejectedError)
    expect(inner.calls).toBe(2)
  })

  test('keeps at most `max` tokens, dropping the least recently used', async () => {
    const clock = { ms: 0 }
    const inner = countingVerifier(clock)
    const verifier = cachingVerifier(inner, { max: 2, now: () => clock.ms })
    await verifier.verify('good-10')
    await verifier.verify('good-11')
    await verifier.verify('good-10') // hit: now the most recent
    await verifier.verify('good-12') // evicts good-11
    expect(inner.calls).toBe(3)
    await verifier.verify('good-10')
    expect(inner.calls).toBe(3)
    await verifier.verify('good-11')
    expect(inner.calls).toBe(4)
  })
})
