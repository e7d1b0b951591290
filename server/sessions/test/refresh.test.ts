/**
 * Proactive refresh through the loopback token endpoint: the refresh window, single flight
 * under 100 concurrent requests (one instance, and two instances sharing Redis), backoff with
 * jitter and its bound, and an upstream rejection.
 */
import type { Redis } from 'ioredis'
import type { TestUser, TokenServer } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { backoffDelay } from '../backoff.ts'
import { FakeClock } from '../clock.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, managerFor, meta, redisClient, startTokenServer, testPrefix } from './test-utils.ts'

const MIN = 60_000
let tokens: TokenServer
let user: TestUser
let redis: Redis
let redis2: Redis
const prefixes: string[] = []

beforeAll(async () => {
  tokens = await startTokenServer()
  user = tokens.addUser('grace@example.test', 'pw-1')
  redis = redisClient()
  redis2 = redisClient()
})

afterAll(async () => {
  for (const p of prefixes) await clearPrefix(redis, p)
  redis.disconnect()
  redis2.disconnect()
  await tokens.close()
})

beforeEach(() => {
  tokens.calls.refresh = 0
  tokens.delayMs = 0
  tokens.failNext(0)
})

afterEach(() => {
  tokens.expiresIn = 3600
})

const creds = () => ({ email: user.email, password: user.password })

describe('proactive refresh', () => {
  test('refreshes only within 5 min of expiry, once, and hands out the new token', async () => {
    const clock = new FakeClock()
    const manager = managerFor(new MemoryStore({ clock }), tokens, { clock })
    tokens.expiresIn = 600
    const grant = await manager.login(creds(), meta())
    clock.advance(5 * MIN - 1)
    expect(await manager.authenticate(grant.accessToken, meta())).toMatchObject({ rotated: false, accessToken: grant.accessToken })
    expect(tokens.calls.refresh).toBe(0)
    clock.advance(2)
    const after = await manager.authenticate(grant.accessToken, meta())
    expect(tokens.calls.refresh).toBe(1)
    expect(after.rotated).toBe(true)
    expect(after.accessToken).not.toBe(grant.accessToken)
    expect(after.expiresAt).toBe(clock.now() + 600_000)
    expect(await manager.authenticate(after.accessToken, meta())).toMatchObject({ rotated: false, accessToken: after.accessToken })
    expect(tokens.calls.refresh).toBe(1)
    expect((await manager.audit.query({ sessionId: grant.sessionId, action: ['token.rotated', 'session.refreshed'] })).map((e) => e.action))
      .toEqual(['session.refreshed', 'token.rotated'])
    expect((await manager.tokenHistory(grant.sessionId)).map((h) => h.kind)).toEqual(['issued', 'rotated'])
  })

  test('100 concurrent requests on one session trigger exactly one refresh', async () => {
    const manager = managerFor(new MemoryStore(), tokens)
    tokens.expiresIn = 120
    const grant = await manager.login(creds(), meta())
    tokens.expiresIn = 3600
    tokens.delayMs = 30
    const results = await Promise.all(Array.from({ length: 100 }, () => manager.authenticate(grant.accessToken, meta())))
    expect(tokens.calls.refresh).toBe(1)
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1)
    expect(results.every((r) => r.rotated && r.accessToken !== grant.accessToken)).toBe(true)
  })

  test('100 concurrent requests across two instances sharing Redis trigger exactly one refresh', async () => {
    const prefix = testPrefix('refresh-pair')
    prefixes.push(prefix)
    const a = managerFor(new RedisStore({ prefix, client: redis }), tokens)
    const b = managerFor(new RedisStore({ prefix, client: redis2 }), tokens)
    tokens.expiresIn = 120
    const grant = await a.login(creds(), meta())
    tokens.expiresIn = 3600
    tokens.delayMs = 30
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).authenticate(grant.accessToken, meta())))
    expect(tokens.calls.refresh).toBe(1)
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1)
    expect((await a.getSession(grant.sessionId))?.refreshCount).toBe(1)
    expect(await a.audit.query({ action: 'token.rotated', sessionId: grant.sessionId })).toHaveLength(1)
  })

  test('transient failures back off with jitter and succeed within the bound', async () => {
    const delays: number[] = []
    const manager = managerFor(new MemoryStore(), tokens, { random: () => 0.5, sleep: async (ms) => { delays.push(ms) } })
    tokens.expiresIn = 120
    const grant = await manager.login(creds(), meta())
    tokens.failNext(2, 503)
    const result = await manager.authenticate(grant.accessToken, meta())
    expect(result.rotated).toBe(true)
    expect(tokens.calls.refresh).toBe(3)
    const c = manager.config
    expect(delays).toEqual([0, 1].map((r) => backoffDelay(r, c.refreshBaseDelayMs, c.refreshMaxDelayMs, () => 0.5)))
    expect(delays[1]).toBeGreaterThan(delays[0]!)
    const retries = await manager.audit.query({ action: 'token.refresh_retry', sessionId: grant.sessionId })
    expect(retries.map((e) => e.details?.attempt)).toEqual([2, 1])
  })

  test('after the last try it serves a still-valid token, refuses an expired one, and recovers', async () => {
    const clock = new FakeClock()
    const manager = managerFor(new MemoryStore({ clock }), tokens, { clock, sleep: async () => {} })
    tokens.expiresIn = 120
    const grant = await manager.login(creds(), meta())
    tokens.failNext(100, 502)
    expect(await manager.authenticate(grant.accessToken, meta())).toMatchObject({ rotated: false, accessToken: grant.accessToken })
    expect(tokens.calls.refresh).toBe(manager.config.refreshMaxAttempts)
    expect(await manager.audit.query({ action: 'token.refresh_failed', sessionId: grant.sessionId })).toHaveLength(1)
    clock.advance(120_000)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'TOKEN_REFRESH_FAILED', status: 503 })
    tokens.failNext(0)
    expect(await manager.authenticate(grant.accessToken, meta())).toMatchObject({ rotated: true })
    expect((await manager.tokenHistory(grant.sessionId)).filter((h) => h.kind === 'refresh_failed').length).toBe(2 * 3)
  })

  test('a refresh token Supabase Auth rejects ends the session without retries', async () => {
    const manager = managerFor(new MemoryStore(), tokens)
    tokens.expiresIn = 120
    const grant = await manager.login(creds(), meta())
    tokens.revokeUser(user.id)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect(tokens.calls.refresh).toBe(1)
    expect((await manager.audit.query({ sessionId: grant.sessionId, action: ['upstream.rejected', 'session.revoked'] })).map((e) => e.action))
      .toEqual(['session.revoked', 'upstream.rejected'])
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })

  test('tokens of another user from a refresh end the session', async () => {
    const manager = managerFor(new MemoryStore(), tokens)
    tokens.expiresIn = 120
    const grant = await manager.login(creds(), meta())
    tokens.answerNextRefreshAs(tokens.addUser('someone-else@example.test', 'x'))
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect(await manager.audit.query({ action: 'token.user_mismatch', sessionId: grant.sessionId })).toHaveLength(1)
  })
})
