/**
 * The session layer against the project's Supabase emulator (cold: loopback HTTP, PGlite):
 * password sign-in, a proactive refresh through the real refresh grant, and the emulator
 * accepting the refreshed token and refusing the consumed refresh token.
 */
import type { Emulator, ServedEmulator } from '../../../harness/emulator/index.ts'
import type { OpenedEngine } from '../../../harness/testing/index.ts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createEmulator, serveEmulator } from '../../../harness/emulator/index.ts'
import { openEngine } from '../../../harness/testing/index.ts'
import { FakeClock } from '../clock.ts'
import { GoTrueClient } from '../GoTrueClient.ts'
import { SessionManager } from '../SessionManager.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { meta } from './test-utils.ts'

let engine: OpenedEngine
let emulator: Emulator
let served: ServedEmulator

beforeAll(async () => {
  engine = await openEngine('pglite', { migrate: false })
  emulator = await createEmulator({ db: engine.db, auth: { scryptLogN: 10 } })
  served = await serveEmulator(emulator)
}, 120_000)

afterAll(async () => {
  await served?.close()
  await engine?.dispose()
})

const userInfo = (token: string) =>
  fetch(`${served.url}/auth/v1/user`, { headers: { apikey: emulator.anonKey, authorization: `Bearer ${token}` } })

describe('sessions against the Supabase emulator', () => {
  test('sign-in, proactive refresh through the emulator, rotated tokens honoured upstream', async () => {
    const email = 'emulated@example.com'
    const password = 'correct-horse-9'
    const signup = await fetch(`${served.url}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: emulator.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    expect(signup.status).toBe(200)

    const clock = new FakeClock()
    const store = new MemoryStore({ clock })
    const manager = new SessionManager({ store, clock, tokenClient: new GoTrueClient({ url: served.url, apiKey: emulator.anonKey, clock }) })
    const grant = await manager.login({ email, password }, meta())
    expect(grant.user.email).toBe(email)
    expect((await userInfo(grant.accessToken)).status).toBe(200)
    const consumed = (await store.getSession(grant.sessionId))!.refreshToken

    // Stay active while the upstream token ages into the refresh window.
    const lifetime = grant.expiresAt - clock.now()
    for (let i = 0; i < 2; i++) {
      clock.advance(lifetime / 3)
      expect((await manager.authenticate(grant.accessToken, meta())).rotated).toBe(false)
    }
    clock.advance(lifetime / 3 - manager.config.refreshWindowMs + 1)
    // The emulator signs with whole-second timestamps: let the new token differ from the old.
    await new Promise((r) => setTimeout(r, 1100))
    const refreshed = await manager.authenticate(grant.accessToken, meta())
    expect(refreshed.rotated).toBe(true)
    expect(refreshed.accessToken).not.toBe(grant.accessToken)
    const user = await (await userInfo(refreshed.accessToken)).json() as { id: string }
    expect(user.id).toBe(grant.user.id)

    // Upstream rotated the refresh token too; the session holds the new one.
    expect((await store.getSession(grant.sessionId))!.refreshToken).not.toBe(consumed)
    await expect(manager.login({ email, password: 'wrong-password' }, meta())).rejects.toMatchObject({ code: 'LOGIN_FAILED' })
  })
})
