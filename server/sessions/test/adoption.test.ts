/**
 * Bare Supabase access tokens adopted as sessions, with real tokens from the project's
 * emulator and the HTTP transport's verifier: one session per client, reuse and rotation onto
 * the client's newer token, refusals that create nothing, revocation that outlives the JWT's
 * own validity (tombstones), the session limit, timeouts, hijack checks — on memory and on the
 * real Redis, and across two instances sharing it.
 */
import type { Redis } from 'ioredis'
import type { SessionConfigInput } from '../config.ts'
import type { TokenClient } from '../GoTrueClient.ts'
import type { SessionStore } from '../storage/types.ts'
import type { EmulatedAuth } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { signUserToken } from '../../../harness/emulator/index.ts'
import { FakeClock } from '../clock.ts'
import { tokenId } from '../internal/ids.ts'
import { SessionManager } from '../SessionManager.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { RedisStore } from '../storage/RedisStore.ts'
import { clearPrefix, meta, redisClient, startEmulatedAuth, testPrefix } from './test-utils.ts'

const MIN = 60_000
let auth: EmulatedAuth
let redis: Redis
const ada = { email: 'ada@adopt.test', password: 'pw-ada-adopt-1', id: '' }
const bob = { email: 'bob@adopt.test', password: 'pw-bob-adopt-1', id: '' }
const prefixes: string[] = []

beforeAll(async () => {
  auth = await startEmulatedAuth()
  ada.id = await auth.signUp(ada.email, ada.password)
  bob.id = await auth.signUp(bob.email, bob.password)
  redis = redisClient()
}, 120_000)

afterAll(async () => {
  for (const p of prefixes) await clearPrefix(redis, p)
  redis?.disconnect()
  await auth?.close()
})

/** Counts refresh calls: an adopted session has nothing to refresh with. */
function countingClient(): TokenClient & { refreshes: number } {
  const counting = {
    refreshes: 0,
    password: (email: string, password: string) => auth.client.password(email, password),
    refresh: (token: string) => {
      counting.refreshes++
      return auth.client.refresh(token)
    },
    logout: (token: string) => auth.client.logout(token),
  }
  return counting
}

function managerOn(store: SessionStore, clock: FakeClock, config: SessionConfigInput = {}, tokenClient: TokenClient = auth.client) {
  return new SessionManager({ store, clock, config, tokenClient, verifier: auth.verifier, onError: (e) => { throw e } })
}

const token = async (user = ada) => (await auth.signIn(user.email, user.password)).accessToken

describe.each(['memory', 'redis'] as const)('adoption on %s', (kind) => {
  let clock: FakeClock
  let store: SessionStore
  let manager: SessionManager

  beforeEach(() => {
    clock = new FakeClock()
    const prefix = testPrefix(`adopt-${kind}`)
    prefixes.push(prefix)
    store = kind === 'memory' ? new MemoryStore({ clock }) : new RedisStore({ prefix, client: redis })
    manager = managerOn(store, clock)
  })

  afterEach(async () => {
    await store.clear()
  })

  test('a verified token becomes exactly one session; the next request reuses it', async () => {
    const bare = await token()
    const first = await manager.authenticate(bare, meta())
    expect(first).toMatchObject({ userId: ada.id, accessToken: bare, rotated: false, session: { email: ada.email, refreshCount: 0 } })
    const second = await manager.authenticate(bare, meta())
    expect(second.sessionId).toBe(first.sessionId)
    expect((await manager.listSessions({ userId: ada.id })).map((s) => s.id)).toEqual([first.sessionId])
    const trail = await manager.audit.query({ sessionId: first.sessionId })
    expect(trail.map((e) => e.action).sort()).toEqual(['session.created', 'token.adopted'])
    expect(trail.find((e) => e.action === 'token.adopted')).toMatchObject({ actor: 'ip:203.0.113.10', subject: `token:${tokenId(bare).slice(0, 12)}`, userId: ada.id })
    expect((await manager.tokenHistory(first.sessionId)).map((h) => h.kind)).toEqual(['adopted'])
    // The session keeps no refresh token.
    expect((await store.getSession(first.sessionId))!.refreshToken).toBe('')
  })

  test('concurrent first requests with one token make one session', async () => {
    const bare = await token()
    const results = await Promise.all(Array.from({ length: 6 }, () => manager.authenticate(bare, meta())))
    expect(new Set(results.map((r) => r.sessionId)).size).toBe(1)
    expect(await manager.listSessions({ userId: ada.id })).toHaveLength(1)
    expect(await manager.audit.query({ action: 'token.adopted' })).toHaveLength(1)
  })

  test('revoking the session, the user, the device or the token refuses the still-valid JWT at the next request', async () => {
    const cases: Array<[string, (sessionId: string, bare: string) => Promise<unknown>]> = [
      ['session', (id) => manager.revokeSession(id, { actor: 'admin:ops' })],
      ['user', () => manager.revokeUser(ada.id)],
      ['device', () => manager.revokeDevice('device-a')],
      ['token', (_id, bare) => manager.revokeToken({ token: bare })],
    ]
    for (const [what, revoke] of cases) {
      const bare = await token()
      const { sessionId } = await manager.authenticate(bare, meta())
      await revoke(sessionId, bare)
      // The JWT itself still verifies: only the session layer refuses it.
      await expect(auth.verifier.verify(bare)).resolves.toMatchObject({ userId: ada.id })
      await expect(manager.authenticate(bare, meta()), what).rejects.toMatchObject({ code: 'SESSION_REVOKED', status: 401 })
      await expect(manager.authenticate(bare, meta()), `${what}, again`).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    }
    expect(await manager.listSessions({ userId: ada.id })).toEqual([])
    expect(await manager.audit.query({ action: 'token.adopted' })).toHaveLength(4)
  })

  test('the sixth adopted session (six devices) evicts the first, whose token stays refused', async () => {
    const tokens: string[] = []
    const sessions: string[] = []
    for (let i = 0; i < 6; i++) {
      clock.advance(1000)
      tokens.push(await token())
      sessions.push((await manager.authenticate(tokens[i]!, meta('203.0.113.10', `device-${i}`))).sessionId)
    }
    expect(new Set(sessions).size).toBe(6)
    expect((await manager.listSessions({ userId: ada.id })).map((s) => s.id)).toEqual(sessions.slice(1))
    await expect(manager.authenticate(tokens[0]!, meta('203.0.113.10', 'device-0'))).rejects.toMatchObject({ code: 'SESSION_EVICTED' })
    for (let i = 1; i < 6; i++) await expect(manager.authenticate(tokens[i]!, meta('203.0.113.10', `device-${i}`))).resolves.toMatchObject({ sessionId: sessions[i] })
    expect((await manager.audit.query({ action: 'session.evicted' }))[0]).toMatchObject({ sessionId: sessions[0], userId: ada.id })
  })
})

describe('adoption rules (memory)', () => {
  let clock: FakeClock
  let manager: SessionManager

  beforeEach(() => {
    clock = new FakeClock()
    manager = managerOn(new MemoryStore({ clock }), clock)
  })

  test('forged, expired, foreign and malformed tokens: 401 TOKEN_INVALID, no session, one refusal event each', async () => {
    const bad = [
      ['signature does not verify', await signUserToken('x'.repeat(40), { sub: ada.id })],
      ['token expired', await signUserToken(auth.emulator, { sub: ada.id, expiresIn: -120 })],
      ['claim "aud" is invalid', await signUserToken(auth.emulator, { sub: ada.id, aud: 'someone-else' })],
      ['claim "aud" is invalid (missing)', auth.anonKey],
      ['not a well-formed JWT', 'not.a.jwt'],
    ] as const
    for (const [reason, bare] of bad) {
      const refused = manager.authenticate(bare, meta())
      await expect(refused).rejects.toMatchObject({ code: 'TOKEN_INVALID', status: 401 })
      await expect(refused).rejects.toHaveProperty('reason', expect.stringContaining(reason))
    }
    expect(await manager.store.countSessions()).toBe(0)
    const trail = await manager.audit.query()
    expect(trail.map((e) => e.action)).toEqual(Array(bad.length).fill('token.rejected'))
    expect(trail.every((e) => e.userId === null && e.sessionId === null)).toBe(true)
  })

  test('the same client\'s newer token rotates onto its session; another sign-in gets a session of its own', async () => {
    const grant = await auth.signIn(ada.email, ada.password)
    const { sessionId } = await manager.authenticate(grant.accessToken, meta())
    // The emulator signs with whole seconds: let the refreshed token differ.
    await new Promise((r) => setTimeout(r, 1100))
    const refreshed = await auth.client.refresh(grant.refreshToken)
    const next = await manager.authenticate(refreshed.accessToken, meta())
    expect(next).toMatchObject({ sessionId, accessToken: refreshed.accessToken, rotated: false, session: { refreshCount: 1 } })
    expect((await manager.audit.query({ action: 'token.adopted' })).map((e) => e.sessionId)).toEqual([sessionId, sessionId])
    // The replaced token passes during the grace period, then counts as reuse.
    await expect(manager.authenticate(grant.accessToken, meta())).resolves.toMatchObject({ sessionId, accessToken: refreshed.accessToken, rotated: true })
    clock.advance(manager.config.rotationGraceMs + 1)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'TOKEN_REUSED' })

    const elsewhere = await manager.authenticate(await token(), meta())
    expect(elsewhere.sessionId).not.toBe(sessionId)
    const onPhone = await manager.authenticate(await signUserToken(auth.emulator, { sub: ada.id, sessionId: (await sessionClaim(refreshed.accessToken)) }), meta('203.0.113.10', 'phone'))
    expect(onPhone.sessionId, 'another device is another session').not.toBe(sessionId)
    expect(await manager.listSessions({ userId: ada.id })).toHaveLength(3)
  })

  test('an adopted token that expires is refused with TOKEN_EXPIRED (no refresh); the client\'s next token continues the session', async () => {
    const client = countingClient()
    manager = managerOn(new MemoryStore({ clock }), clock, {}, client)
    const upstream = crypto.randomUUID()
    const short = await signUserToken(auth.emulator, { sub: ada.id, sessionId: upstream, expiresIn: 120 })
    // Inside the refresh window from the start: still served, and nothing is refreshed.
    const { sessionId } = await manager.authenticate(short, meta())
    await expect(manager.authenticate(short, meta())).resolves.toMatchObject({ sessionId, rotated: false })
    clock.advance(121_000)
    const expired = manager.authenticate(short, meta())
    await expect(expired).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', status: 401 })
    await expect(expired).rejects.toThrow(/get a new access token from Supabase/)
    const fresh = await signUserToken(auth.emulator, { sub: ada.id, sessionId: upstream, expiresIn: 3600 })
    await expect(manager.authenticate(fresh, meta())).resolves.toMatchObject({ sessionId, accessToken: fresh })
    expect(client.refreshes).toBe(0)
    expect(await manager.listSessions({ userId: ada.id })).toHaveLength(1)
  })

  test('revocation outlives tombstoneTtlMs while the JWT is valid; idle timeout ends the session and its token for good', async () => {
    manager = managerOn(new MemoryStore({ clock }), clock, { tombstoneTtlMs: 1000 })
    const revoked = await token()
    await manager.revokeSession((await manager.authenticate(revoked, meta())).sessionId)
    clock.advance(20 * MIN)
    await expect(manager.authenticate(revoked, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })

    const idle = await token(bob)
    await manager.authenticate(idle, meta())
    clock.advance(manager.config.idleTimeoutMs)
    await expect(manager.authenticate(idle, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED', reason: 'idle timeout' })
    clock.advance(10 * MIN)
    await expect(manager.authenticate(idle, meta())).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    expect(await manager.listSessions({ userId: bob.id })).toEqual([])
  })

  test('hijack checks hold for adopted tokens: another device is challenged, another device and subnet revokes', async () => {
    const bare = await token()
    const { sessionId } = await manager.authenticate(bare, meta('203.0.113.10', 'laptop'))
    await expect(manager.authenticate(bare, meta('203.0.113.10', 'other'))).rejects.toMatchObject({ code: 'CHALLENGE_REQUIRED' })
    await expect(manager.authenticate(bare, meta('198.51.100.7', 'other'))).rejects.toMatchObject({ code: 'HIJACK_SUSPECTED' })
    await expect(manager.authenticate(bare, meta('203.0.113.10', 'laptop'))).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    expect((await manager.audit.query({ action: 'hijack.suspected' }))[0]).toMatchObject({ sessionId })
  })

  test('without a verifier a bare token stays unknown', async () => {
    const plain = new SessionManager({ store: new MemoryStore({ clock }), clock, tokenClient: auth.client })
    expect(plain.adoptsTokens).toBe(false)
    await expect(plain.authenticate(await token(), meta())).rejects.toMatchObject({ code: 'TOKEN_UNKNOWN' })
    expect(await plain.store.countSessions()).toBe(0)
  })
})

describe('two instances sharing the real Redis', () => {
  let prefix: string
  let redisB: Redis
  let a: SessionManager
  let b: SessionManager

  beforeEach(() => {
    prefix = testPrefix('adopt-shared')
    prefixes.push(prefix)
    redisB = redisClient()
    const clock = new FakeClock()
    a = managerOn(new RedisStore({ prefix, client: redis }), clock, { tombstoneTtlMs: 1000 })
    b = managerOn(new RedisStore({ prefix, client: redisB }), clock, { tombstoneTtlMs: 1000 })
  })

  afterEach(() => {
    redisB.disconnect()
  })

  test('one token is one session on both; a revocation on one is refused on the other at the next request', async () => {
    const bare = await token()
    const [onA, onB] = await Promise.all([a.authenticate(bare, meta()), b.authenticate(bare, meta())])
    expect(onB.sessionId).toBe(onA.sessionId)
    expect(await b.listSessions({ userId: ada.id })).toHaveLength(1)
    expect(await a.revokeSession(onA.sessionId, { actor: 'admin:ops', reason: 'lost laptop' })).toBe(true)
    await expect(b.authenticate(bare, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
    // The tombstone lives as long as the JWT (an hour), not the 1 s tombstoneTtlMs.
    expect(await redis.pttl(`${prefix}t:${tokenId(bare)}`)).toBeGreaterThan(50 * MIN)

    const second = await token()
    await b.authenticate(second, meta())
    expect(await b.revokeUser(ada.id)).toBe(1)
    await expect(a.authenticate(second, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })
})

async function sessionClaim(accessToken: string): Promise<string> {
  return (await auth.verifier.verify(accessToken)).claims.session_id as string
}
