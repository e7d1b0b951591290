/**
 * Rate limits over real HTTP with budgets kept in the real Redis, on a fake clock: a bounded
 * burst from loopback is cut at the limit with 429 + Retry-After and recovers after the
 * window; login names, tool calls and users have budgets of their own.
 */
import type { Redis } from 'ioredis'
import type { SessionConfigInput } from '../config.ts'
import type { SessionManager } from '../SessionManager.ts'
import type { Served, TestUser, TokenServer } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { compose } from '../../http/types.ts'
import { FakeClock } from '../clock.ts'
import { sessionMiddleware } from '../middleware.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, managerFor, redisClient, serveFetch, startTokenServer, testPrefix } from './test-utils.ts'

let tokens: TokenServer
let user: TestUser
let redis: Redis
let prefix: string
let clock: FakeClock
let manager: SessionManager
let served: Served

beforeAll(async () => {
  tokens = await startTokenServer()
  user = tokens.addUser('limits@example.test', 'pw-limits')
  redis = redisClient()
})

afterAll(async () => {
  redis.disconnect()
  await tokens.close()
})

async function serveWith(config: SessionConfigInput = {}) {
  prefix = testPrefix('ratelimit')
  clock = new FakeClock()
  manager = managerFor(new RedisStore({ prefix, client: redis }), tokens, { clock, config })
  served = await serveFetch(compose(async () => Response.json({ ok: true }), sessionMiddleware(manager)))
}

beforeEach(async () => {
  await serveWith()
})

afterEach(async () => {
  await served.close()
  await clearPrefix(redis, prefix)
})

async function post(path: string, body: unknown, o: { ip?: string, token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-test-client-ip': o.ip ?? '127.0.0.1', 'x-device-id': 'laptop' }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  const response = await fetch(served.url + path, { method: 'POST', headers, body: JSON.stringify(body) })
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json().catch(() => null) }
}

const toolCall = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'entity', arguments: {} } }

describe('rate limits', () => {
  test('auth routes: a loopback burst beyond 10/min per IP gets 429 with Retry-After, then recovers', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 15; i++) {
      const r = await post('/auth/login', { email: `guess-${i}@example.test`, password: 'nope' })
      statuses.push(r.status)
      if (r.status === 429) {
        expect(r.retryAfter).toBe('60')
        expect(r.json).toMatchObject({ error: { code: 'RATE_LIMITED' } })
      }
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)])
    expect(await manager.audit.query({ action: 'rate.limited', subject: 'ip:127.0.0.1' })).toHaveLength(5)
    clock.advance(30_000)
    expect((await post('/auth/login', { email: user.email, password: user.password })).retryAfter).toBe('30')
    clock.advance(30_000)
    expect((await post('/auth/login', { email: user.email, password: user.password })).status).toBe(200)
  })

  test('a concurrent burst lets exactly the limit through', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => post('/auth/login', { email: `c-${i}@example.test`, password: 'x' })))
    expect(results.filter((r) => r.status !== 429)).toHaveLength(10)
  })

  test('one login name has its own budget across IPs', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await post('/auth/login', { email: user.email, password: 'wrong' }, { ip: `198.51.${i}.1` })).status)
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
  })

  test('tool calls have their own budget per user; other requests keep flowing', async () => {
    await served.close()
    await clearPrefix(redis, prefix)
    await serveWith({ rateLimits: { tool: { limit: 5 }, general: { limit: 100 } } })
    const grant = (await post('/auth/login', { email: user.email, password: user.password }, { ip: '203.0.113.10' })).json
    const statuses: number[] = []
    // Two addresses of one subnet: each stays under 5, the user does not.
    for (let i = 0; i < 6; i++) statuses.push((await post('/mcp', toolCall, { token: grant.access_token, ip: `203.0.113.${10 + (i % 2)}` })).status)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    const [event] = await manager.audit.query({ action: 'rate.limited' })
    expect(event).toMatchObject({ subject: `user:${user.id}`, details: { budget: 'tool' } })
    expect((await post('/mcp', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, { token: grant.access_token, ip: '203.0.113.10' })).status).toBe(200)
    clock.advance(60_000)
    expect((await post('/mcp', toolCall, { token: grant.access_token, ip: '203.0.113.10' })).status).toBe(200)
  })
})
