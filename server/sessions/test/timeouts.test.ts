/**
 * Idle and absolute timeouts on a fake clock, and the background sweep — on memory and on the
 * real Redis.
 */
import type { Redis } from 'ioredis'
import type { SessionManager } from '../SessionManager.ts'
import type { SessionStore } from '../storage/types.ts'
import type { TestUser, TokenServer } from './test-utils.ts'
import { spawnSync } from 'node:child_process'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { FakeClock } from '../clock.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, managerFor, meta, redisClient, startTokenServer, testPrefix } from './test-utils.ts'

const MIN = 60_000
let tokens: TokenServer
let redis: Redis
let user: TestUser
const prefixes: string[] = []

beforeAll(async () => {
  tokens = await startTokenServer({ expiresIn: 12 * 3600 })
  user = tokens.addUser('ada@example.test', 'correct horse')
  redis = redisClient()
})

afterAll(async () => {
  for (const p of prefixes) await clearPrefix(redis, p)
  redis.disconnect()
  await tokens.close()
})

describe.each(['memory', 'redis'] as const)('timeouts on %s', (kind) => {
  let clock: FakeClock
  let store: SessionStore
  let manager: SessionManager
  const login = (m = meta()) => manager.login({ email: user.email, password: user.password }, m)

  beforeEach(() => {
    clock = new FakeClock(Date.UTC(2026, 0, 5, 9))
    const prefix = testPrefix(`timeouts-${kind}`)
    prefixes.push(prefix)
    store = kind === 'memory' ? new MemoryStore({ clock }) : new RedisStore({ prefix, client: redis })
    manager = managerFor(store, tokens, { clock })
  })

  afterEach(async () => {
    await manager.stop()
    await store.clear()
  })

  test('idle timeout: activity keeps the session, 30 min of silence ends it at once', async () => {
    const grant = await login()
    clock.advance(30 * MIN - 1)
    await expect(manager.authenticate(grant.accessToken, meta())).resolves.toMatchObject({ sessionId: grant.sessionId })
    clock.advance(30 * MIN - 1)
    await expect(manager.authenticate(grant.accessToken, meta())).resolves.toMatchObject({ sessionId: grant.sessionId })
    clock.advance(30 * MIN)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED', reason: 'idle timeout' })
    // Still refused later: the token's tombstone remembers why.
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    const [event] = await manager.audit.query({ action: 'session.expired' })
    expect(event).toMatchObject({ sessionId: grant.sessionId, reason: 'idle timeout', details: { by: 'request' } })
  })

  test('absolute timeout: an active session ends 8 h after creation', async () => {
    const grant = await login()
    for (let t = 0; t < 8 * 60 - 20; t += 20) {
      clock.advance(20 * MIN)
      await manager.authenticate(grant.accessToken, meta())
    }
    clock.advance(20 * MIN)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED', reason: 'absolute timeout' })
  })

  test('timeouts follow the configuration', async () => {
    manager = managerFor(store, tokens, { clock, config: { idleTimeoutMs: 1000, absoluteTimeoutMs: 2500 } })
    const grant = await login()
    clock.advance(999)
    await manager.authenticate(grant.accessToken, meta())
    clock.advance(999)
    await manager.authenticate(grant.accessToken, meta())
    clock.advance(502)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED', reason: 'absolute timeout' })
  })

  test('the sweep ends expired sessions, audits each and keeps live ones', async () => {
    const others = [tokens.addUser(`b-${kind}@example.test`, 'pw'), tokens.addUser(`c-${kind}@example.test`, 'pw')]
    const stale = [await login(), ...await Promise.all(others.map((u) => manager.login({ email: u.email, password: 'pw' }, meta())))]
    clock.advance(20 * MIN)
    const live = await login(meta('203.0.113.10', 'device-b'))
    clock.advance(11 * MIN)
    expect(await manager.sweep()).toEqual({ expired: 3, forgotten: 0 })
    const expired = await manager.audit.query({ action: 'session.expired' })
    expect(expired.map((e) => e.sessionId).sort()).toEqual(stale.map((g) => g.sessionId).sort())
    expect(expired.every((e) => e.details?.by === 'sweep' && e.reason === 'idle timeout')).toBe(true)
    expect(await store.countSessions()).toBe(1)
    await expect(manager.authenticate(stale[0]!.accessToken, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    await expect(manager.authenticate(live.accessToken, meta('203.0.113.10', 'device-b'))).resolves.toMatchObject({ sessionId: live.sessionId })
    expect(await manager.sweep()).toEqual({ expired: 0, forgotten: 0 })
  })
})

describe('the background sweep', () => {
  test('a long sweep yields: a request finishes before it', async () => {
    const clock = new FakeClock()
    const store = new MemoryStore({ clock })
    const manager = managerFor(store, tokens, { clock, config: { sweepBatchSize: 100 } })
    const expiresAt = clock.now() + 12 * 3600_000
    for (let i = 0; i < 1500; i++) {
      await manager.createSession({ accessToken: `bulk-${i}`, refreshToken: 'r', expiresAt, user: { id: `bulk-${i % 300}`, email: null } }, meta())
    }
    clock.advance(25 * MIN)
    const keeper = await manager.login({ email: user.email, password: user.password }, meta())
    clock.advance(10 * MIN)
    const order: string[] = []
    const sweep = manager.sweep().then((r) => order.push(`sweep:${r.expired}`))
    const request = manager.authenticate(keeper.accessToken, meta()).then(() => order.push('request'))
    await Promise.all([sweep, request])
    expect(order).toEqual(['request', 'sweep:1500'])
  })

  test('start() runs the sweep on a timer that does not keep the process alive', async () => {
    const clock = new FakeClock()
    const store = new MemoryStore({ clock })
    const manager = managerFor(store, tokens, { clock, config: { sweepIntervalMs: 20 } })
    const grant = await manager.login({ email: user.email, password: user.password }, meta())
    clock.advance(31 * MIN)
    manager.start()
    await expect.poll(() => store.countSessions(), { timeout: 2000, interval: 10 }).toBe(0)
    await manager.stop()
    expect((await manager.audit.query({ action: 'session.expired' }))[0]).toMatchObject({ sessionId: grant.sessionId, details: { by: 'sweep' } })
    // A process that only has a started manager exits on its own.
    const script = `import { SessionManager, MemoryStore } from './server/sessions/index.ts'
      new SessionManager({ store: new MemoryStore(), tokenClient: {}, config: { sweepIntervalMs: 10 } }).start()`
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 10_000 })
    expect(child.status, String(child.stderr)).toBe(0)
  })
})
