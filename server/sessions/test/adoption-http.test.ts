/**
 * Adoption through the middleware over real HTTP (`@hono/node-server` on loopback) with the
 * emulator's tokens: a bare token reaches the endpoint as its session, lists and ends its own
 * sessions, draws from the rate budgets; refusals carry WWW-Authenticate and create nothing;
 * sign-in through /auth/login works beside it as before.
 */
import type { FetchHandler } from '../../http/types.ts'
import type { SessionConfigInput } from '../config.ts'
import type { Served, EmulatedAuth } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { signUserToken } from '../../../harness/emulator/index.ts'
import { compose } from '../../http/types.ts'
import { sessionMiddleware } from '../middleware.ts'
import { SessionManager } from '../SessionManager.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { serveFetch, startEmulatedAuth } from './test-utils.ts'

let auth: EmulatedAuth
let manager: SessionManager
let served: Served | undefined
const user = { email: 'http@adopt.test', password: 'pw-http-adopt-1', id: '' }

const endpoint: FetchHandler = async (_request, ctx) =>
  Response.json({ userId: ctx.userId ?? null, sessionId: ctx.sessionId ?? null, accessToken: ctx.accessToken ?? null })

beforeAll(async () => {
  auth = await startEmulatedAuth()
  user.id = await auth.signUp(user.email, user.password)
}, 120_000)

afterAll(async () => {
  await auth?.close()
})

afterEach(async () => {
  await served?.close()
  served = undefined
})

async function serve(config: SessionConfigInput = {}): Promise<void> {
  manager = new SessionManager({ store: new MemoryStore(), config, tokenClient: auth.client, verifier: auth.verifier })
  served = await serveFetch(compose(endpoint, sessionMiddleware(manager)))
}

async function call(path: string, token?: string, init: { method?: string, body?: unknown } = {}) {
  const headers: Record<string, string> = { 'x-test-client-ip': '203.0.113.10', 'x-device-id': 'laptop' }
  if (token) headers.authorization = `Bearer ${token}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(served!.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null }
}

const toolCall = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'workspace', arguments: { operation: 'list_workspaces' } } }

describe('bare Supabase tokens through the session middleware', () => {
  test('a bare token reaches the endpoint as one session, listed by GET /auth/sessions; ending it refuses the same JWT', async () => {
    await serve()
    const bare = (await auth.signIn(user.email, user.password)).accessToken
    const first = await call('/mcp', bare, { body: toolCall })
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ userId: user.id, accessToken: bare })
    expect((await call('/mcp', bare, { body: toolCall })).json.sessionId).toBe(first.json.sessionId)
    const listed = await call('/auth/sessions', bare)
    expect(listed.json.sessions.map((s: { id: string }) => s.id)).toEqual([first.json.sessionId])
    expect(JSON.stringify(listed.json)).not.toContain(bare)

    expect((await call(`/auth/sessions/${first.json.sessionId}`, bare, { method: 'DELETE' })).status).toBe(204)
    const refused = await call('/mcp', bare, { body: toolCall })
    expect(refused).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer realm="atoms-mcp", error="invalid_token", error_description="session revoked: .+"$/)
    expect(await manager.store.countSessions()).toBe(0)
  })

  test('forged and expired tokens: 401 with the verifier\'s reason in WWW-Authenticate, no session, one refusal event each', async () => {
    await serve()
    const forged = await signUserToken('y'.repeat(40), { sub: user.id })
    const expired = await signUserToken(auth.emulator, { sub: user.id, expiresIn: -60 })
    const a = await call('/mcp', forged, { body: toolCall })
    expect(a).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_INVALID' } } })
    expect(a.headers.get('www-authenticate')).toBe('Bearer realm="atoms-mcp", error="invalid_token", error_description="signature does not verify"')
    const b = await call('/auth/sessions', expired)
    expect(b).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_INVALID' } } })
    expect(b.headers.get('www-authenticate')).toContain('error_description="token expired"')
    const none = await call('/mcp', undefined, { body: toolCall })
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="atoms-mcp"')
    expect(await manager.store.countSessions()).toBe(0)
    expect((await manager.audit.query()).map((e) => e.action)).toEqual(['token.rejected', 'token.rejected'])
  })

  test('adopted tokens draw from the tool budget of their user', async () => {
    await serve({ rateLimits: { tool: { limit: 2 } } })
    const bare = (await auth.signIn(user.email, user.password)).accessToken
    expect((await call('/mcp', bare, { body: toolCall })).status).toBe(200)
    expect((await call('/mcp', bare, { body: toolCall })).status).toBe(200)
    const limited = await call('/mcp', bare, { body: toolCall })
    expect(limited).toMatchObject({ status: 429, json: { error: { code: 'RATE_LIMITED' } } })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // Other requests have a budget of their own.
    expect((await call('/mcp', bare, { body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } })).status).toBe(200)
  })

  test('sign-in through /auth/login works beside adoption, and keeps its refresh token', async () => {
    await serve()
    const grant = await call('/auth/login', undefined, { body: { email: user.email, password: user.password } })
    expect(grant.status).toBe(200)
    const used = await call('/mcp', grant.json.access_token, { body: toolCall })
    expect(used.json.sessionId).toBe(grant.json.session_id)
    expect((await manager.store.getSession(grant.json.session_id))!.refreshToken).not.toBe('')
    expect((await manager.audit.query({ action: 'token.adopted' }))).toEqual([])
  })
})
