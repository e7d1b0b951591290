/**
 * Rotation grace period edges: the previous access token is accepted until exactly
 * `rotationGraceMs` after rotation, then refused as reuse; a token replaced twice is refused.
 */
import type { SessionGrant } from '../SessionManager.ts'
import type { TestUser, TokenServer } from './test-utils.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FakeClock } from '../clock.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { managerFor, meta, startTokenServer } from './test-utils.ts'

let tokens: TokenServer
let user: TestUser

beforeAll(async () => {
  tokens = await startTokenServer()
  user = tokens.addUser('rotation@example.test', 'pw-2')
})

afterAll(async () => {
  await tokens.close()
})

/** Signs in with a short-lived token, then rotates it once; the new token is long-lived. */
async function rotated(grace?: number) {
  const clock = new FakeClock()
  const manager = managerFor(new MemoryStore({ clock }), tokens, { clock, ...(grace === undefined ? {} : { config: { rotationGraceMs: grace } }) })
  tokens.expiresIn = 120
  const grant: SessionGrant = await manager.login({ email: user.email, password: user.password }, meta())
  tokens.expiresIn = 3600
  const first = await manager.authenticate(grant.accessToken, meta())
  expect(first.rotated).toBe(true)
  return { clock, manager, old: grant.accessToken, current: first.accessToken, sessionId: grant.sessionId, rotatedAt: clock.now() }
}

describe('rotation grace period', () => {
  test('the previous token works until 1 ms before the grace ends and is refused at its end', async () => {
    const { clock, manager, old, current, sessionId, rotatedAt } = await rotated()
    clock.set(rotatedAt + manager.config.rotationGraceMs - 1)
    expect(await manager.authenticate(old, meta())).toMatchObject({ rotated: true, accessToken: current })
    expect(await manager.audit.query({ action: 'token.grace_used', sessionId })).toHaveLength(1)
    clock.set(rotatedAt + manager.config.rotationGraceMs)
    await expect(manager.authenticate(old, meta())).rejects.toMatchObject({ code: 'TOKEN_REUSED', status: 401 })
    expect(await manager.audit.query({ action: 'token.reused', sessionId })).toHaveLength(1)
    // Reuse alone from the session's own device does not end the session.
    expect(await manager.authenticate(current, meta())).toMatchObject({ rotated: false, sessionId })
    expect((await manager.tokenHistory(sessionId)).map((h) => h.kind)).toEqual(['issued', 'rotated', 'grace_used', 'reused'])
  })

  test('the grace period is configurable; zero refuses the previous token at once', async () => {
    const { manager, old } = await rotated(0)
    await expect(manager.authenticate(old, meta())).rejects.toMatchObject({ code: 'TOKEN_REUSED' })
    const long = await rotated(60_000)
    long.clock.advance(59_999)
    await expect(long.manager.authenticate(long.old, meta())).resolves.toMatchObject({ rotated: true })
  })

  test('a token replaced twice is refused even inside the newer grace period', async () => {
    const clock = new FakeClock()
    const manager = managerFor(new MemoryStore({ clock }), tokens, { clock })
    tokens.expiresIn = 120
    const grant = await manager.login({ email: user.email, password: user.password }, meta())
    const second = await manager.authenticate(grant.accessToken, meta())
    tokens.expiresIn = 3600
    const third = await manager.authenticate(second.accessToken, meta())
    expect(new Set([grant.accessToken, second.accessToken, third.accessToken]).size).toBe(3)
    await expect(manager.authenticate(grant.accessToken, meta())).rejects.toMatchObject({ code: 'TOKEN_REUSED' })
    await expect(manager.authenticate(second.accessToken, meta())).resolves.toMatchObject({ accessToken: third.accessToken })
  })

  test('reuse of a replaced token from another device and subnet revokes the session', async () => {
    const { clock, manager, old, current, sessionId, rotatedAt } = await rotated()
    clock.set(rotatedAt + 10_000)
    await expect(manager.authenticate(old, meta('198.51.100.77', 'attacker'))).rejects.toMatchObject({ code: 'HIJACK_SUSPECTED' })
    const trail = (await manager.audit.query({ sessionId })).map((e) => e.action)
    expect(trail.slice(0, 3)).toEqual(['session.revoked', 'hijack.suspected', 'token.reused'])
    await expect(manager.authenticate(current, meta())).rejects.toMatchObject({ code: 'SESSION_REVOKED' })
  })
})
