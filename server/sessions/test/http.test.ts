/**
 * The middleware over real HTTP (`@hono/node-server` on loopback) in front of a stand-in MCP
 * endpoint that echoes what it was given: sign-in routes, context binding, refusals, token
 * hand-over after a refresh, MCP session binding, challenge answers, own-session management.
 */
import type { FetchHandler } from '../../http/types.ts'
import type { SessionManager } from '../SessionManager.ts'
import type { Served, TestUser, TokenServer } from './test-utils.ts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { compose } from '../../http/types.ts'
import { sessionMiddleware } from '../middleware.ts'
import { MemoryStore } from '../storage/MemoryStore.ts'
import { managerFor, serveFetch, startTokenServer } from './test-utils.ts'

let tokens: TokenServer
let user: TestUser
let other: TestUser
let manager: SessionManager
let served: Served

const endpoint: FetchHandler = async (request, ctx) => {
  const headers: Record<string, string> = {}
  const mcp = request.headers.get('x-test-mcp-session')
  if (mcp) headers['mcp-session-id'] = mcp
  return Response.json({ userId: ctx.userId ?? null, sessionId: ctx.sessionId ?? null, accessToken: ctx.accessToken ?? null }, { headers })
}

beforeAll(async () => {
  tokens = await startTokenServer()
  user = tokens.addUser('http@example.test', 'pw-http')
  other = tokens.addUser('other@example.test', 'pw-other')
})

afterAll(async () => {
  await tokens.close()
})

beforeEach(async () => {
  manager = managerFor(new MemoryStore(), tokens)
  served = await serveFetch(compose(endpoint, sessionMiddleware(manager)))
})

afterEach(async () => {
  await served.close()
  tokens.expiresIn = 3600
})

interface Call {
  method?: string
  token?: string
  body?: unknown
  ip?: string
  device?: string
  headers?: Record<string, string>
}

async function call(path: string, o: Call = {}) {
  const headers: Record<string, string> = { 'x-test-client-ip': o.ip ?? '203.0.113.10', 'x-device-id': o.device ?? 'laptop', ...o.headers }
  if (o.token) headers.authorization = `Bearer ${o.token}`
  if (o.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(served.url + path, {
    method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : null }
}

const login = (u: TestUser = user, o: Call = {}) => call('/auth/login', { body: { email: u.email, password: u.password }, ...o })

describe('session middleware over HTTP', () => {
  test('sign-in returns a grant without the refresh token; requests then carry the caller', async () => {
    const grant = await login()
    expect(grant.status).toBe(200)
    expect(grant.json).toMatchObject({ token_type: 'bearer', user: { id: user.id, email: user.email } })
    expect(grant.json.expires_in).toBeGreaterThan(3500)
    expect(grant.text).not.toContain('refresh')
    const mcp = await call('/mcp', { token: grant.json.access_token, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } })
    expect(mcp.status).toBe(200)
    expect(mcp.json).toEqual({ userId: user.id, sessionId: grant.json.session_id, accessToken: grant.json.access_token })
    expect(mcp.headers.get('x-access-token')).toBeNull()
    const trail = await manager.audit.query({ sessionId: grant.json.session_id })
    expect(trail.map((e) => e.action).sort()).toEqual(['auth.login', 'session.created', 'token.issued'])
    expect(trail.every((e) => e.ip === '203.0.113.10' && e.userId === user.id)).toBe(true)
  })

  test('refusals are JSON with a stable code, WWW-Authenticate on 401', async () => {
    const missing = await call('/mcp', { body: {} })
    expect(missing).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_MISSING' } } })
    // RFC 6750: no error code when no credentials were sent.
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="atoms-mcp"')
    const unknown = await call('/mcp', { token: 'not-a-session-token', body: {} })
    expect(unknown).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_UNKNOWN' } } })
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="atoms-mcp", error="invalid_token", error_description="token unknown"')
    expect((await manager.audit.query({ action: 'auth.token_unknown' }))[0]).toMatchObject({ ip: '203.0.113.10', actor: 'ip:203.0.113.10' })
    expect(await login({ ...user, password: 'wrong' })).toMatchObject({ status: 401, json: { error: { code: 'LOGIN_FAILED' } } })
    expect(await call('/auth/login', { body: '{not json' })).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } })
    expect(await call('/auth/login', { body: { email: 'x@y.z' } })).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } })
    expect((await call('/auth/login')).status).toBe(405)
    expect((await call('/auth/nope')).status).toBe(404)
    expect(await manager.audit.query({ action: 'auth.login_failed' })).toHaveLength(1)
  })

  test('public paths pass through without a session', async () => {
    expect(await call('/health')).toMatchObject({ status: 200, json: { userId: null } })
  })

  test('after a refresh the response hands the client its new token', async () => {
    tokens.expiresIn = 120
    const grant = await login()
    tokens.expiresIn = 3600
    const first = await call('/mcp', { token: grant.json.access_token, body: {} })
    const next = first.headers.get('x-access-token')
    expect(next).toBeTruthy()
    expect(next).not.toBe(grant.json.access_token)
    expect(first.json.accessToken).toBe(next)
    expect(Number(first.headers.get('x-access-token-expires-at'))).toBeGreaterThan(Date.now() / 1000 + 3500)
    const second = await call('/mcp', { token: next!, body: {} })
    expect(second.status).toBe(200)
    expect(second.headers.get('x-access-token')).toBeNull()
  })

  test('the MCP session id the endpoint answers with is bound to the session', async () => {
    const grant = await login()
    await call('/mcp', { token: grant.json.access_token, body: { method: 'initialize' }, headers: { 'x-test-mcp-session': 'mcp-42' } })
    expect((await manager.getSession(grant.json.session_id))?.mcpSessionId).toBe('mcp-42')
    expect(await manager.audit.query({ action: 'session.mcp_bound' })).toHaveLength(1)
  })

  test('a challenged request gets CHALLENGE_REQUIRED; POST /auth/verify answers it', async () => {
    const grant = await login()
    const challenged = await call('/mcp', { token: grant.json.access_token, body: {}, device: 'new-phone' })
    expect(challenged).toMatchObject({ status: 401, json: { error: { code: 'CHALLENGE_REQUIRED' } } })
    expect(challenged.headers.get('www-authenticate')).toContain('challenge_required')
    const answer = await call('/auth/verify', { token: grant.json.access_token, body: { password: user.password }, device: 'new-phone' })
    expect(answer.status).toBe(200)
    expect(answer.json.session_id).toBe(grant.json.session_id)
    expect(await call('/mcp', { token: answer.json.access_token, body: {}, device: 'new-phone' })).toMatchObject({ status: 200 })
  })

  test('a refresh token obtained elsewhere is bound with POST /auth/session (and used up)', async () => {
    const pair = await tokens.issue(user)
    const before = tokens.calls.refresh
    const bound = await call('/auth/session', { body: { refresh_token: pair.refresh_token } })
    expect(bound.status).toBe(200)
    expect(tokens.calls.refresh).toBe(before + 1)
    expect(bound.json.access_token).not.toBe(pair.access_token)
    expect(await call('/auth/session', { body: { refresh_token: pair.refresh_token } })).toMatchObject({ status: 401, json: { error: { code: 'LOGIN_FAILED' } } })
    expect(await manager.audit.query({ action: 'auth.token_bound' })).toHaveLength(1)
  })

  test('own sessions: list without tokens, end one, sign out', async () => {
    const laptop = (await login()).json
    const phone = (await login(user, { device: 'phone' })).json
    const theirs = (await login(other)).json
    const list = await call('/auth/sessions', { token: laptop.access_token })
    expect(list.json.sessions.map((s: { id: string }) => s.id)).toEqual([laptop.session_id, phone.session_id])
    expect(list.text).not.toContain(laptop.access_token)
    expect(list.text).not.toContain('refreshToken')
    expect((await call(`/auth/sessions/${theirs.session_id}`, { method: 'DELETE', token: laptop.access_token })).status).toBe(404)
    expect((await call(`/auth/sessions/${phone.session_id}`, { method: 'DELETE', token: laptop.access_token })).status).toBe(204)
    expect(await call('/mcp', { token: phone.access_token, body: {}, device: 'phone' })).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    expect((await call('/auth/logout', { method: 'POST', token: laptop.access_token })).status).toBe(204)
    expect(await call('/mcp', { token: laptop.access_token, body: {} })).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    expect(await call('/mcp', { token: theirs.access_token, body: {} })).toMatchObject({ status: 200 })
  })
})
