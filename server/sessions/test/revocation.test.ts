/**
 * Revocation across two server instances sharing the real Redis (effective on the very next
 * request), its cascade user -> sessions -> tokens, eviction of the sixth session, and a
 * restart that keeps Redis-backed sessions.
 */
import type { Redis } from 'ioredis'
import type { SessionManager } from '../SessionManager.ts'
import type { TestUser, TokenServer } from './test-utils.ts'
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { FakeClock } from '../clock.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, managerFor, meta, redisClient, startTokenServer, testPrefix } from './test-utils.ts'

let tokens: TokenServer
let ada: TestUser
let bob: TestUser
let redisA: Redis
let redisB: Redis
let prefix: string
let a: SessionManager
let b: SessionManager
let clock: FakeClock

beforeAll(async () => {
  tokens = await startTokenServer()
  ada = tokens.addUser('ada@revoke.test', 'pw-a')
  bob = tokens.addUser('bob@revoke.test', 'pw-b')
  redisA = redisClient()
  redisB = redisClient()
})

afterAll(async () => {
  redisA.disconnect()
  redisB.disconnect()
  await tokens.close()
})

beforeEach(() => {
  prefix = testPrefix('revocation')
  clock = new FakeClock()
  a = managerFor(new RedisStore({ prefix, client: redisA }), tokens, { clock })
  b = managerFor(new RedisStore({ prefix, client: redisB }), tokens, { clock })
})

afterEach(async () => {
  await clearPrefix(redisA, prefix)
})

const signIn = (m: SessionManager, u: TestUser, device = 'device-a') => m.login({ email: u.email, password: u.password }, meta('203.0.113.10', device))
const check = (m: SessionManager, token: string, device = 'device-a') => m.authenticate(token, meta('203.0.113.10', device))

describe('revocation across instances', () => {
  test('a session revoked on one instance is refused on the other at the next request', async () => {
    const grant = await signIn(a, ada)
    await expect(check(b, grant.accessToken)).resolves.toMatchObject({ sessionId: grant.sessionId })
    expect(await a.revokeSession(grant.sessionId, { actor: 'admin:ops', reason: 'lost laptop', ip: '192.0.2.1' })).toBe(true)
    await expect(check(b, grant.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED', status: 401 })
    expect((await a.audit.query({ action: 'token.refused' }))[0]).toMatchObject({ sessionId: grant.sessionId, userId: null })
    const [event] = await b.audit.query({ action: 'session.revoked' })
    expect(event).toMatchObject({ actor: 'admin:ops', subject: `session:${grant.sessionId}`, reason: 'lost laptop', ip: '192.0.2.1', userId: ada.id })
    expect(await a.revokeSession(grant.sessionId)).toBe(false)
  })

  test('logout on one instance ends the session for the other', async () => {
    const grant = await signIn(a, ada)
    expect(await b.logout(grant.accessToken, meta())).toBe(true)
    await expect(check(a, grant.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect(await a.audit.query({ action: 'auth.logout', sessionId: grant.sessionId })).toHaveLength(1)
  })

  test('revoking a user cascades to every session and token of that user only', async () => {
    const grants = [await signIn(a, ada, 'laptop'), await signIn(b, ada, 'phone'), await signIn(a, ada, 'tablet')]
    const other = await signIn(a, bob, 'laptop')
    expect(await b.revokeUser(ada.id, { actor: 'admin:ops', reason: 'password reset' })).toBe(3)
    for (const [g, device] of grants.map((g, i) => [g, ['laptop', 'phone', 'tablet'][i]!] as const)) {
      await expect(check(a, g.accessToken, device)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    }
    await expect(check(a, other.accessToken, 'laptop')).resolves.toMatchObject({ userId: bob.id })
    expect(await a.listSessions({ userId: ada.id })).toEqual([])
    const [event] = await a.audit.query({ action: 'user.revoked' })
    expect(event).toMatchObject({ subject: `user:${ada.id}`, actor: 'admin:ops', reason: 'password reset', details: { sessions: 3 } })
    expect(await a.audit.query({ action: 'session.revoked', userId: ada.id })).toHaveLength(3)
  })

  test('revoking a device ends the sessions of every user on it', async () => {
    const shared = [await signIn(a, ada, 'kiosk'), await signIn(a, bob, 'kiosk')]
    const elsewhere = await signIn(a, ada, 'laptop')
    expect(await b.revokeDevice('kiosk', { reason: 'kiosk reset' })).toBe(2)
    for (const g of shared) await expect(check(a, g.accessToken, 'kiosk')).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    await expect(check(a, elsewhere.accessToken, 'laptop')).resolves.toBeTruthy()
    expect((await a.audit.query({ action: 'device.revoked' }))[0]).toMatchObject({ subject: 'device:kiosk', details: { sessions: 2 } })
  })

  test('revoking a current token takes its session; revoking a previous token refuses only it', async () => {
    const grant = await signIn(a, ada)
    expect(await b.revokeToken({ token: grant.accessToken }, { reason: 'leaked' })).toBe(true)
    await expect(check(a, grant.accessToken)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect((await a.audit.query({ sessionId: grant.sessionId, action: ['token.revoked', 'session.revoked'] })).map((e) => e.action))
      .toEqual(['session.revoked', 'token.revoked'])

    tokens.expiresIn = 120
    const second = await signIn(a, ada)
    tokens.expiresIn = 3600
    const fresh = await check(a, second.accessToken)
    expect(fresh.rotated).toBe(true)
    expect(await b.revokeToken({ token: second.accessToken })).toBe(true)
    await expect(check(a, second.accessToken)).rejects.toMatchObject({ code: 'TOKEN_REVOKED' })
    await expect(check(b, fresh.accessToken)).resolves.toMatchObject({ sessionId: second.sessionId })
    expect(await a.revokeToken({ tokenId: 'no-such-token' })).toBe(false)
  })
})

describe('session limit', () => {
  test('the sixth session ends the oldest, which is refused at its next request and audited', async () => {
    const grants = []
    for (let i = 0; i < 6; i++) {
      clock.advance(1000)
      grants.push(await signIn(i % 2 ? a : b, ada, `device-${i}`))
    }
    expect(grants.slice(0, 5).every((g) => g.evicted.length === 0)).toBe(true)
    expect(grants[5]!.evicted).toEqual([grants[0]!.sessionId])
    await expect(check(a, grants[0]!.accessToken, 'device-0')).rejects.toMatchObject({ code: 'SESSION_EVICTED' })
    for (let i = 1; i < 6; i++) await expect(check(b, grants[i]!.accessToken, `device-${i}`)).resolves.toBeTruthy()
    const [event] = await a.audit.query({ action: 'session.evicted' })
    expect(event).toMatchObject({ sessionId: grants[0]!.sessionId, userId: ada.id })
    expect(event?.reason).toContain(grants[5]!.sessionId)
    expect((await a.listSessions({ userId: ada.id })).map((s) => s.id)).toEqual(grants.slice(1).map((g) => g.sessionId))
  })

  test('the limit is configurable', async () => {
    const strict = managerFor(new RedisStore({ prefix, client: redisA }), tokens, { clock, config: { maxSessionsPerUser: 1 } })
    const first = await signIn(strict, bob, 'one')
    clock.advance(1)
    const second = await signIn(strict, bob, 'two')
    expect(second.evicted).toEqual([first.sessionId])
  })
})

describe('restart', () => {
  test('a new process on the same Redis keeps sessions, history and audit', async () => {
    const grant = await signIn(a, ada)
    await check(a, grant.accessToken)
    // A fresh connection and manager stand in for the restarted server process.
    const reconnect = redisClient()
    try {
      const restarted = managerFor(new RedisStore({ prefix, client: reconnect }), tokens, { clock })
      await expect(check(restarted, grant.accessToken)).resolves.toMatchObject({ sessionId: grant.sessionId, userId: ada.id })
      expect((await restarted.tokenHistory(grant.sessionId)).map((h) => h.kind)).toEqual(['issued'])
      expect(await restarted.audit.query({ action: 'session.created', sessionId: grant.sessionId })).toHaveLength(1)
    } finally {
      reconnect.disconnect()
    }
  })
})

describe('tokens at rest', () => {
  test('with an encryption key the stored tokens are sealed; only the same key opens them', async () => {
    const key = randomBytes(32).toString('base64')
    const sealed = managerFor(new RedisStore({ prefix, client: redisA }), tokens, { clock, config: { tokenEncryptionKey: key } })
    tokens.expiresIn = 120
    const grant = await signIn(sealed, ada)
    tokens.expiresIn = 3600
    const stored = await redisA.hgetall(`${prefix}s:${grant.sessionId}`)
    expect(stored.accessToken).toMatch(/^v1\./)
    expect(JSON.stringify(stored)).not.toContain(grant.accessToken)
    // A refresh needs the sealed refresh token opened, and stores the new pair sealed.
    const fresh = await check(sealed, grant.accessToken)
    expect(fresh.rotated).toBe(true)
    expect(JSON.stringify(await redisA.hgetall(`${prefix}s:${grant.sessionId}`))).not.toContain(fresh.accessToken)
    const wrongKey = managerFor(new RedisStore({ prefix, client: redisB }), tokens, { clock, config: { tokenEncryptionKey: randomBytes(32).toString('hex') } })
    await expect(check(wrongKey, fresh.accessToken)).rejects.toMatchObject({ code: 'STORE_FAILED' })
  })
})

