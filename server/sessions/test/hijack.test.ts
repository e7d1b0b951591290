/**
 * Hijack detection: the same token from a new device and network is revoked and audited; a
 * new device alone is challenged (and can answer); impossible travel is revoked; a roaming IP
 * passes. Runs on the real Redis so the stored risk inputs round-trip.
 */
import type { Redis } from 'ioredis'
import type { SessionManager } from '../SessionManager.ts'
import type { TestUser, TokenServer } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { FakeClock } from '../clock.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, managerFor, meta, redisClient, startTokenServer, testPrefix } from './test-utils.ts'

const BERLIN = { lat: 52.52, lon: 13.405 }
const SYDNEY = { lat: -33.87, lon: 151.21 }
let tokens: TokenServer
let user: TestUser
let redis: Redis
let prefix: string
let clock: FakeClock
let manager: SessionManager

beforeAll(async () => {
  tokens = await startTokenServer()
  user = tokens.addUser('eve-target@example.test', 'right-password')
  redis = redisClient()
})

afterAll(async () => {
  redis.disconnect()
  await tokens.close()
})

beforeEach(() => {
  prefix = testPrefix('hijack')
  clock = new FakeClock()
  manager = managerFor(new RedisStore({ prefix, client: redis }), tokens, { clock })
})

afterEach(async () => {
  await clearPrefix(redis, prefix)
})

const home = meta('203.0.113.10', 'laptop', BERLIN)
const signIn = () => manager.login({ email: user.email, password: user.password }, home)

describe('hijack detection', () => {
  test('the same token from a new device on another network: revoked and audited', async () => {
    const grant = await signIn()
    await expect(manager.authenticate(grant.accessToken, meta('198.51.100.66', 'unknown-box'))).rejects.toMatchObject({ code: 'HIJACK_SUSPECTED', status: 401 })
    await expect(manager.authenticate(grant.accessToken, home)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    const [suspected] = await manager.audit.query({ action: 'hijack.suspected' })
    expect(suspected).toMatchObject({ sessionId: grant.sessionId, userId: user.id, ip: '198.51.100.66', actor: 'ip:198.51.100.66' })
    expect(suspected?.details).toMatchObject({ signals: 'device_change,subnet_change' })
    expect(Number(suspected?.details?.score)).toBeGreaterThanOrEqual(manager.config.risk.revokeThreshold)
    expect((await manager.audit.query({ action: 'session.revoked', sessionId: grant.sessionId }))[0]?.reason).toBe('hijack suspected')
  })

  test('a new device on the same subnet is challenged; the session and its own device keep working', async () => {
    const grant = await signIn()
    const error = await manager.authenticate(grant.accessToken, meta('203.0.113.10', 'new-phone')).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CHALLENGE_REQUIRED', status: 401, signals: ['device_change'] })
    expect(await manager.audit.query({ action: 'challenge.issued', sessionId: grant.sessionId })).toHaveLength(1)
    await expect(manager.authenticate(grant.accessToken, home)).resolves.toMatchObject({ sessionId: grant.sessionId })
    expect((await manager.getSession(grant.sessionId))?.device).toBe('laptop')
  })

  test('answering the challenge with the password accepts the new device and rotates the token', async () => {
    const grant = await signIn()
    const phone = meta('203.0.113.10', 'new-phone')
    await expect(manager.authenticate(grant.accessToken, phone)).rejects.toMatchObject({ code: 'CHALLENGE_REQUIRED' })
    const answer = await manager.verifyChallenge(grant.accessToken, user.password, phone)
    expect(answer.sessionId).toBe(grant.sessionId)
    expect(answer.accessToken).not.toBe(grant.accessToken)
    await expect(manager.authenticate(answer.accessToken, phone)).resolves.toMatchObject({ sessionId: grant.sessionId, rotated: false })
    const actions = (await manager.audit.query({ sessionId: grant.sessionId })).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['challenge.passed', 'session.device_changed', 'token.rotated']))
  })

  test('wrong answers are counted; the configured number of them revokes the session', async () => {
    const grant = await signIn()
    const phone = meta('203.0.113.10', 'new-phone')
    for (let i = 1; i < manager.config.challengeMaxFailures; i++) {
      await expect(manager.verifyChallenge(grant.accessToken, 'guess', phone)).rejects.toMatchObject({ code: 'LOGIN_FAILED' })
    }
    await expect(manager.verifyChallenge(grant.accessToken, 'guess', phone)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect(await manager.audit.query({ action: 'challenge.failed', sessionId: grant.sessionId })).toHaveLength(manager.config.challengeMaxFailures)
    await expect(manager.authenticate(grant.accessToken, home)).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })

  test('impossible travel between two requests revokes the session', async () => {
    const grant = await signIn()
    clock.advance(10 * 60_000)
    await expect(manager.authenticate(grant.accessToken, meta('198.51.100.20', 'laptop', SYDNEY))).rejects.toMatchObject({ code: 'HIJACK_SUSPECTED' })
    const [event] = await manager.audit.query({ action: 'hijack.suspected' })
    expect(String(event?.details?.signals)).toContain('impossible_travel')
  })

  test('a roaming IP alone passes, moves the session and is audited', async () => {
    const grant = await signIn()
    clock.advance(60_000)
    await expect(manager.authenticate(grant.accessToken, meta('192.0.2.55', 'laptop'))).resolves.toMatchObject({ sessionId: grant.sessionId })
    expect((await manager.getSession(grant.sessionId))?.ip).toBe('192.0.2.55')
    expect((await manager.audit.query({ action: 'session.ip_changed' }))[0]).toMatchObject({ details: { from: '203.0.113.10', to: '192.0.2.55' } })
    // From the new network, with the same device, nothing differs any more.
    await expect(manager.authenticate(grant.accessToken, meta('192.0.2.55', 'laptop'))).resolves.toBeTruthy()
    expect(await manager.audit.query({ action: 'session.ip_changed' })).toHaveLength(1)
  })
})
