/**
 * The storage contract, run against all three backends: memory, the real Redis, and the
 * Upstash REST client served by msw handlers that execute on the real Redis.
 */
import type { Redis } from 'ioredis'
import type { SessionStore } from '../storage/types.ts'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { UpstashStore } from '../storage/UpstashStore.ts'
import { clearPrefix, redisClient, sampleSession, testPrefix, UPSTASH_TOKEN, UPSTASH_URL, upstashHandlers } from './test-utils.ts'

let redis: Redis
let restRedis: Redis
const msw = setupServer()
const prefixes: string[] = []

beforeAll(() => {
  redis = redisClient()
  restRedis = redisClient()
  msw.use(...upstashHandlers(restRedis))
  msw.listen({ onUnhandledFrame: 'error' })
})

afterAll(async () => {
  msw.close()
  for (const p of prefixes) await clearPrefix(redis, p)
  redis.disconnect()
  restRedis.disconnect()
})

const backends: Array<{ name: string, make: () => SessionStore }> = [
  { name: 'memory', make: () => new MemoryStore() },
  { name: 'redis', make: () => new RedisStore({ prefix: track(testPrefix('contract-redis')), client: redis }) },
  { name: 'upstash', make: () => new UpstashStore({ prefix: track(testPrefix('contract-upstash')), url: UPSTASH_URL, token: UPSTASH_TOKEN }) },
]

function track(prefix: string): string {
  prefixes.push(prefix)
  return prefix
}

const opts = { maxPerUser: 5, ttlMs: 60_000, deadline: 1_700_001_800_000, tokenTtlMs: 60_000, tombstoneTtlMs: 60_000 }

describe.each(backends)('SessionStore contract: $name', ({ name, make }) => {
  let store: SessionStore
  beforeAll(() => {
    store = make()
  })
  afterEach(async () => {
    await store.clear()
  })
  afterAll(async () => {
    await store.close()
  })

  test('kind names the backend', () => {
    expect(store.kind).toBe(name)
  })

  test('a created session reads back field for field, by id and by token', async () => {
    const s = sampleSession({ location: { lat: 52.52, lon: 13.405 }, locationAt: 1_700_000_000_500, email: null, mcpSessionId: 'mcp-1' })
    expect(await store.createSession(s, opts)).toEqual([])
    expect(await store.getSession(s.id)).toEqual(s)
    const found = await store.lookupToken(s.tokenId)
    expect(found?.entry).toEqual({ tokenId: s.tokenId, state: 'c', sessionId: s.id, rotatedAt: 0 })
    expect(found?.session).toEqual(s)
    expect(await store.lookupToken('no-such-token')).toBeNull()
    expect(await store.getSession('no-such-session')).toBeNull()
  })

  test('lookupToken with a fast touch records an unremarkable request, and only that', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    const now = s.lastSeenAt + 60_000
    const touch = { now, idleTimeoutMs: 1_800_000, absoluteTimeoutMs: 28_800_000, refreshWindowMs: 300_000, ip: s.ip, device: s.device, ttlSlackMs: 600_000 }
    const hit = await store.lookupToken(s.tokenId, touch)
    expect(hit).toEqual({ entry: expect.objectContaining({ state: 'c' }), session: s, touched: true })
    expect((await store.getSession(s.id))?.lastSeenAt).toBe(now)
    expect(await store.expiredCandidates(now + 1_800_000 - 1, 10)).toEqual([])
    expect(await store.expiredCandidates(now + 1_800_000, 10)).toEqual([s.id])
    const untouched = async (t: typeof touch) => (await store.lookupToken(s.tokenId, t))?.touched
    expect(await untouched({ ...touch, now: now + 1, ip: '198.51.100.1' })).toBe(false)
    expect(await untouched({ ...touch, now: now + 1, device: 'other' })).toBe(false)
    expect(await untouched({ ...touch, now: now + 1_800_000 })).toBe(false)
    expect(await untouched({ ...touch, now: s.createdAt + 28_800_000 })).toBe(false)
    expect(await untouched({ ...touch, now: s.accessExpiresAt - 300_000 })).toBe(false)
    expect((await store.getSession(s.id))?.lastSeenAt).toBe(now)
    await store.markToken(s.tokenId, 'p', 60_000)
    expect(await untouched({ ...touch, now: now + 1 })).toBe(false)
    expect(await store.lookupToken('unknown', touch)).toBeNull()
  })

  test('touchSession patches fields of a live session only', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    expect(await store.touchSession(s.id, { lastSeenAt: s.lastSeenAt + 5, ip: '198.51.100.7', location: { lat: 1, lon: 2 }, locationAt: 9 }, 60_000, opts.deadline + 5)).toBe(true)
    expect(await store.getSession(s.id)).toEqual({ ...s, lastSeenAt: s.lastSeenAt + 5, ip: '198.51.100.7', location: { lat: 1, lon: 2 }, locationAt: 9 })
    expect(await store.touchSession('gone', { lastSeenAt: 1 }, 60_000, 1)).toBe(false)
    expect(await store.getSession('gone')).toBeNull()
  })

  test('the sixth session of a user evicts the oldest, and its tokens say so', async () => {
    const made = []
    for (let i = 0; i < 6; i++) {
      const s = sampleSession({ createdAt: 1_700_000_000_000 + i, device: `d${i}` })
      made.push(s)
      const evicted = await store.createSession(s, opts)
      expect(evicted.map((e) => e.id)).toEqual(i < 5 ? [] : [made[0]!.id])
    }
    expect((await store.listSessions({ userId: 'user-1' })).map((s) => s.id)).toEqual(made.slice(1).map((s) => s.id))
    expect(await store.getSession(made[0]!.id)).toBeNull()
    expect((await store.lookupToken(made[0]!.tokenId))?.entry.state).toBe('v')
    expect(await store.listSessions({ device: 'd0' })).toEqual([])
  })

  test('the new session is never the one evicted, even with an equal creation time', async () => {
    const ids = ['m', 'n', 'o', 'p', 'q']
    for (const id of ids) await store.createSession(sampleSession({ id, tokenId: `t-${id}` }), opts)
    const evicted = await store.createSession(sampleSession({ id: 'a', tokenId: 't-a' }), opts)
    expect(evicted.map((e) => e.id)).toEqual(['m'])
    expect(await store.getSession('a')).not.toBeNull()
  })

  test('concurrent creations for one user keep exactly maxPerUser live', async () => {
    const all = Array.from({ length: 20 }, (_, i) => sampleSession({ createdAt: 1_700_000_000_000 + i }))
    const evicted = (await Promise.all(all.map((s) => store.createSession(s, opts)))).flat()
    expect(evicted).toHaveLength(15)
    expect(await store.listSessions({ userId: 'user-1' })).toHaveLength(5)
  })

  test('rotateTokens is a compare-and-set that leaves previous and older tombstones', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    const next = { accessToken: 'a2', refreshToken: 'r2', accessExpiresAt: 5, tokenId: 't2' }
    const o = { expectTokenId: s.tokenId, next, rotatedAt: 1_700_000_000_100, tokenTtlMs: 60_000, tombstoneTtlMs: 60_000 }
    expect(await store.rotateTokens(s.id, o)).toBe(true)
    expect(await store.rotateTokens(s.id, o)).toBe(false)
    expect(await store.getSession(s.id)).toMatchObject({ ...next, prevTokenId: s.tokenId, rotatedAt: o.rotatedAt, refreshCount: 1 })
    expect((await store.lookupToken(s.tokenId))?.entry).toEqual({ tokenId: s.tokenId, state: 'p', sessionId: s.id, rotatedAt: o.rotatedAt })
    expect((await store.lookupToken('t2'))?.entry.state).toBe('c')
    await store.rotateTokens(s.id, { ...o, expectTokenId: 't2', next: { ...next, tokenId: 't3' }, rotatedAt: o.rotatedAt + 1 })
    expect((await store.lookupToken(s.tokenId))?.entry.state).toBe('o')
    expect((await store.lookupToken('t2'))?.entry).toMatchObject({ state: 'p', rotatedAt: o.rotatedAt + 1 })
    expect(await store.rotateTokens('gone', o)).toBe(false)
  })

  test('removeSession returns the record once, marks both tokens and prunes the indexes', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    await store.rotateTokens(s.id, { expectTokenId: s.tokenId, next: { accessToken: 'a2', refreshToken: 'r2', accessExpiresAt: 5, tokenId: 't2' }, rotatedAt: 7, tokenTtlMs: 60_000, tombstoneTtlMs: 60_000 })
    expect((await store.removeSession(s.id, 'r', 60_000))?.id).toBe(s.id)
    expect(await store.removeSession(s.id, 'r', 60_000)).toBeNull()
    expect((await store.lookupToken('t2'))).toEqual({ entry: { tokenId: 't2', state: 'r', sessionId: s.id, rotatedAt: 0 }, session: null, touched: false })
    expect((await store.lookupToken(s.tokenId))?.entry).toMatchObject({ state: 'r', rotatedAt: 7 })
    expect(await store.listSessions({ userId: s.userId })).toEqual([])
    expect(await store.expiredCandidates(Number.MAX_SAFE_INTEGER, 10)).toEqual([])
  })

  test('markToken changes one entry and returns the previous one', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    expect(await store.markToken(s.tokenId, 'r', 60_000)).toEqual({ tokenId: s.tokenId, state: 'c', sessionId: s.id, rotatedAt: 0 })
    expect((await store.lookupToken(s.tokenId))?.entry.state).toBe('r')
    expect(await store.markToken('unknown', 'r', 60_000)).toBeNull()
  })

  test('listSessions by user and by device, oldest first', async () => {
    const a = sampleSession({ createdAt: 3, device: 'laptop' })
    const b = sampleSession({ createdAt: 1, device: 'laptop' })
    const c = sampleSession({ createdAt: 2, device: 'phone', userId: 'user-2' })
    for (const s of [a, b, c]) await store.createSession(s, opts)
    expect((await store.listSessions({ userId: 'user-1' })).map((s) => s.id)).toEqual([b.id, a.id])
    expect((await store.listSessions({ device: 'laptop' })).map((s) => s.id)).toEqual([b.id, a.id])
    expect((await store.listSessions({ device: 'phone' })).map((s) => s.id)).toEqual([c.id])
    expect(await store.listSessions({ userId: 'nobody' })).toEqual([])
  })

  test('deadlines: candidates up to now, forget, count', async () => {
    const a = sampleSession()
    const b = sampleSession({ userId: 'user-2' })
    await store.createSession(a, { ...opts, deadline: 100 })
    await store.createSession(b, { ...opts, deadline: 200 })
    expect(await store.countSessions()).toBe(2)
    expect(await store.expiredCandidates(150, 10)).toEqual([a.id])
    expect((await store.expiredCandidates(250, 10)).sort()).toEqual([a.id, b.id].sort())
    expect(await store.expiredCandidates(250, 1)).toHaveLength(1)
    await store.touchSession(a.id, {}, 60_000, 300)
    expect(await store.expiredCandidates(250, 10)).toEqual([b.id])
    await store.forgetDeadlines([b.id])
    expect(await store.countSessions()).toBe(1)
  })

  test('hitWindow is a sliding window with a precise Retry-After', async () => {
    const t = 1_700_000_000_000
    for (let i = 0; i < 3; i++) expect(await store.hitWindow('k', t + i * 10, 1000, 3)).toEqual({ allowed: true, count: i + 1, retryAfterMs: 0 })
    expect(await store.hitWindow('k', t + 500, 1000, 3)).toEqual({ allowed: false, count: 3, retryAfterMs: 500 })
    // The first hit leaves the window at exactly t + 1000.
    expect(await store.hitWindow('k', t + 999, 1000, 3)).toMatchObject({ allowed: false, retryAfterMs: 1 })
    expect(await store.hitWindow('k', t + 1000, 1000, 3)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 })
    expect(await store.hitWindow('other', t, 1000, 3)).toMatchObject({ allowed: true, count: 1 })
  })

  test('concurrent hits never exceed the limit', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => store.hitWindow('burst', 1_700_000_000_000, 60_000, 10)))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
  })

  test('locks: one holder at a time, released only by its owner, freed by TTL', async () => {
    const got = await Promise.all(Array.from({ length: 10 }, (_, i) => store.acquireLock('L', `o${i}`, 60_000)))
    expect(got.filter(Boolean)).toHaveLength(1)
    const owner = `o${got.indexOf(true)}`
    expect(await store.releaseLock('L', 'intruder')).toBe(false)
    expect(await store.releaseLock('L', owner)).toBe(true)
    expect(await store.acquireLock('L', 'x', 40)).toBe(true)
    await new Promise((r) => setTimeout(r, 80))
    expect(await store.acquireLock('L', 'y', 60_000)).toBe(true)
  })

  test('audit lists are newest first, capped, and kept per user', async () => {
    const event = (i: number, userId: string | null) => ({
      id: `e${i}`, at: i, action: 'session.created' as const, actor: 'system', subject: 's', ip: null, reason: 'r', userId, sessionId: null,
    })
    for (let i = 0; i < 6; i++) await store.appendAudit(event(i, i % 2 ? 'u1' : null), 4, 2)
    expect((await store.readAudit({ limit: 10 })).map((e) => e.id)).toEqual(['e5', 'e4', 'e3', 'e2'])
    expect((await store.readAudit({ limit: 2 })).map((e) => e.id)).toEqual(['e5', 'e4'])
    expect((await store.readAudit({ userId: 'u1', limit: 10 })).map((e) => e.id)).toEqual(['e5', 'e3'])
    expect(await store.readAudit({ userId: 'u9', limit: 10 })).toEqual([])
  })

  test('token history is oldest first and capped', async () => {
    for (let i = 0; i < 5; i++) await store.appendHistory('s1', { at: i, kind: 'rotated', token: `t${i}` }, 3, 60_000)
    expect((await store.readHistory('s1')).map((h) => h.token)).toEqual(['t2', 't3', 't4'])
    expect(await store.readHistory('s2')).toEqual([])
  })

  test('storage TTLs expire records', async () => {
    const s = sampleSession()
    await store.createSession(s, { ...opts, ttlMs: 40 })
    await new Promise((r) => setTimeout(r, 90))
    expect(await store.getSession(s.id)).toBeNull()
    expect(await store.lookupToken(s.tokenId)).toEqual({ entry: expect.objectContaining({ state: 'c' }), session: null, touched: false })
  })

  test('clear removes everything it wrote', async () => {
    const s = sampleSession()
    await store.createSession(s, opts)
    await store.hitWindow('k', 1, 1000, 5)
    await store.appendAudit({ id: 'e', at: 1, action: 'auth.login', actor: 'a', subject: 's', ip: null, reason: 'r', userId: 'user-1', sessionId: null }, 10, 10)
    await store.clear()
    expect(await store.getSession(s.id)).toBeNull()
    expect(await store.lookupToken(s.tokenId)).toBeNull()
    expect(await store.readAudit({ limit: 10 })).toEqual([])
    expect(await store.countSessions()).toBe(0)
    if (store instanceof RedisStore || store instanceof UpstashStore) {
      expect(await redis.keys(`${store.prefix}*`)).toEqual([])
    }
  })
})
