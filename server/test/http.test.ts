/**
 * The HTTP side in process, against the emulator on loopback (PGlite): bearer verification
 * (signature, expiry, audience) before any tool runs, 401 challenges, DNS-rebinding protection,
 * method handling and a real SDK client, on the app alone; then the transport as `atoms-mcp`
 * starts it (`startHttp`), with the session layer on by default: bare Supabase tokens adopted as
 * sessions, revocation holding for a still-valid JWT, two instances sharing the real Redis.
 */
import type { FetchHandler } from '../http/index.ts'
import type { HttpHandle } from '../startHttp.ts'
import type { Stack, TestUser } from './test-utils.ts'

import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signUserToken } from '../../harness/emulator/index.ts'
import { loadConfig } from '../config.ts'
import { createHttpApp, createTokenVerifier, defaultAllowed } from '../http/index.ts'
import { startHttp } from '../startHttp.ts'
import { openStack } from './test-utils.ts'

const ORIGIN = 'http://127.0.0.1:8787'
let stack: Stack
let alice: TestUser
let app: FetchHandler
let toolRuns = 0

beforeAll(async () => {
  stack = await openStack('cold', 'pglite')
  alice = await stack.signUp('alice')
  app = createHttpApp({
    deps: {
      supabase: { url: stack.url, anonKey: stack.anonKey },
      wrapInvoker: (invoker) => async (call, ctx) => {
        toolRuns++
        return invoker(call, ctx)
      },
    },
    verifier: createTokenVerifier({ supabaseUrl: stack.url, jwtSecret: stack.jwtSecret, audience: 'authenticated' }),
    hostGuard: defaultAllowed('127.0.0.1', 8787),
  })
})
afterAll(async () => {
  await stack?.close()
})

const rpc = (body: unknown, headers: Record<string, string> = {}) => new Request(`${ORIGIN}/mcp`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
  body: JSON.stringify(body),
})
const callTool = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'workspace', arguments: { operation: 'list_workspaces' } } }
const send = (request: Request) => app(request, { requestId: 'test', ip: '127.0.0.1' })

describe('authentication', () => {
  test('no token → 401 with a Bearer challenge, and no tool runs', async () => {
    const before = toolRuns
    const response = await send(rpc(callTool))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="atoms-mcp"')
    expect(toolRuns).toBe(before)
  })

  test.each([
    ['a wrong signature', async () => signUserToken('x'.repeat(40), { sub: alice.id })],
    ['an expired token', async () => signUserToken(stack.emulator, { sub: alice.id, expiresIn: -120 })],
    ['a wrong audience', async () => signUserToken(stack.emulator, { sub: alice.id, aud: 'someone-else' })],
    ['the anon key', async () => stack.anonKey],
    ['garbage', async () => 'not.a.jwt'],
  ])('%s → 401 invalid_token', async (_label, token) => {
    const before = toolRuns
    const response = await send(rpc(callTool, { authorization: `Bearer ${await token()}` }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="atoms-mcp", error="invalid_token", error_description=".+"$/)
    expect(toolRuns).toBe(before)
  })

  test('a valid token reaches the tools as that user', async () => {
    const response = await send(rpc(callTool, { authorization: `Bearer ${alice.token}` }))
    expect(response.status).toBe(200)
    const body = await response.json() as { result: { structuredContent: { items: Array<{ role: string }> } } }
    expect(body.result.structuredContent.items.map((w) => w.role)).toContain('owner')
  })
})

describe('DNS-rebinding protection and routing', () => {
  test('foreign Host or Origin → 403; allowed Origin passes', async () => {
    const auth = { authorization: `Bearer ${alice.token}` }
    const evilHost = new Request('http://evil.example:8787/mcp', rpc(callTool, auth))
    expect((await send(evilHost)).status).toBe(403)
    expect((await send(rpc(callTool, { ...auth, origin: 'http://evil.example' }))).status).toBe(403)
    expect((await send(rpc(callTool, { ...auth, origin: ORIGIN }))).status).toBe(200)
  })

  test('GET and DELETE are 405 (stateless); unknown paths 404', async () => {
    const auth = { authorization: `Bearer ${alice.token}` }
    expect((await send(new Request(`${ORIGIN}/mcp`, { headers: { ...auth, accept: 'text/event-stream' } }))).status).toBe(405)
    expect((await send(new Request(`${ORIGIN}/mcp`, { method: 'DELETE', headers: auth }))).status).toBe(405)
    expect((await send(new Request(`${ORIGIN}/elsewhere`, { headers: auth }))).status).toBe(404)
  })
})

describe('SDK client over Streamable HTTP', () => {
  test('initialize, list the five tools, call one', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${ORIGIN}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${alice.token}` } },
      fetch: (input, init) => send(new Request(input, init)),
    })
    const client = new Client({ name: 'http-test', version: '1.0.0' })
    await client.connect(transport)
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name)).toEqual(['workspace', 'entity', 'relationship', 'workflow', 'query'])
    for (const tool of tools) {
      expect(tool.inputSchema).toMatchObject({ type: 'object', required: ['operation'] })
      expect(tool.outputSchema).toMatchObject({ type: 'object' })
    }
    const created = await client.callTool({ name: 'workspace', arguments: { operation: 'create_workspace', name: 'Over HTTP' } })
    expect(created.isError).toBeFalsy()
    expect(created.structuredContent).toMatchObject({ operation: 'create_workspace', role: 'owner', item: { name: 'Over HTTP', created_by: alice.id } })
    await client.close()
  })
})

/** `atoms-mcp --transport http` as `main` starts it, on a free port, in this process. */
async function startTransport(env: Record<string, string> = {}, sessions?: boolean): Promise<HttpHandle> {
  const config = loadConfig({ SUPABASE_URL: stack.url, SUPABASE_ANON_KEY: stack.anonKey, SUPABASE_JWT_SECRET: stack.jwtSecret, ATOMS_MCP_PORT: '0' }, 'http')
  return startHttp(config, { env: { LOG_LEVEL: 'warn', ...env }, ...(sessions === undefined ? {} : { sessions }) })
}

async function post(handle: HttpHandle, token: string | null, body: unknown = callTool) {
  const response = await fetch(`${handle.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  return { status: response.status, challenge: response.headers.get('www-authenticate'), json: await response.json() as any }
}

async function ownSessions(handle: HttpHandle, token: string): Promise<string[]> {
  const response = await fetch(`${handle.url}/auth/sessions`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return ((await response.json()) as { sessions: Array<{ id: string }> }).sessions.map((s) => s.id)
}

describe('the transport as started (sessions on by default)', () => {
  let handle: HttpHandle
  beforeAll(async () => {
    handle = await startTransport()
  })
  afterAll(async () => {
    await handle?.close()
  })

  test('a bare Supabase token from the emulator works on /mcp as exactly one session, reused by the next request', async () => {
    const bob = await stack.signUp('bob')
    expect(handle.sessions?.store.kind).toBe('memory')
    const first = await post(handle, bob.token)
    expect(first.status).toBe(200)
    expect(first.json.result.structuredContent.items.map((w: { role: string }) => w.role)).toContain('owner')
    expect((await post(handle, bob.token)).status).toBe(200)
    const listed = await handle.sessions!.manager.listSessions({ userId: bob.id })
    expect(listed).toHaveLength(1)
    expect(await ownSessions(handle, bob.token)).toEqual([listed[0]!.id])
    expect(await handle.sessions!.manager.audit.query({ action: 'token.adopted', userId: bob.id })).toHaveLength(1)
  })

  test('the body is read once: a tool call draws from the tool budget and runs; malformed JSON is a JSON-RPC parse error', async () => {
    const dana = await stack.signUp('dana')
    const call = await post(handle, dana.token)
    expect(call.status).toBe(200)
    expect(call.json.result.structuredContent.items).toBeDefined()
    const broken = await fetch(`${handle.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${dana.token}` },
      body: '{"jsonrpc": "2.0", "id": 1, "method": "tools/ca',
    })
    expect(broken.status).toBe(400)
    expect(await broken.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' }, id: null })
  })

  test('missing, forged and expired tokens: 401 with WWW-Authenticate, and no session', async () => {
    const carol = await stack.signUp('carol')
    const missing = await post(handle, null)
    expect(missing).toMatchObject({ status: 401, challenge: 'Bearer realm="atoms-mcp"', json: { error: { code: 'TOKEN_MISSING' } } })
    for (const token of [
      await signUserToken('x'.repeat(40), { sub: carol.id }),
      await signUserToken(stack.emulator, { sub: carol.id, expiresIn: -120 }),
      await signUserToken(stack.emulator, { sub: carol.id, aud: 'someone-else' }),
    ]) {
      const refused = await post(handle, token)
      expect(refused).toMatchObject({ status: 401, json: { error: { code: 'TOKEN_INVALID' } } })
      expect(refused.challenge).toMatch(/^Bearer realm="atoms-mcp", error="invalid_token", error_description=".+"$/)
    }
    expect(await handle.sessions!.manager.listSessions({ userId: carol.id })).toEqual([])
    expect(await handle.sessions!.manager.audit.query({ action: 'session.created', userId: carol.id })).toEqual([])
  })

  test('revoking the session, then every session of the user: the same still-valid JWT gets 401 and the session code', async () => {
    const dave = await stack.signUp('dave')
    const manager = handle.sessions!.manager
    expect((await post(handle, dave.token)).status).toBe(200)
    const [session] = await manager.listSessions({ userId: dave.id })
    expect(await manager.revokeSession(session!.id, { actor: 'admin:ops', reason: 'lost laptop' })).toBe(true)
    const refused = await post(handle, dave.token)
    expect(refused).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    expect(refused.challenge).toContain('error="invalid_token"')

    const again = await stack.signIn(dave)
    expect((await post(handle, again)).status).toBe(200)
    expect(await manager.revokeUser(dave.id, { actor: 'admin:ops' })).toBe(1)
    expect(await post(handle, again)).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    expect(await post(handle, dave.token)).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
  })

  test('an SDK client over the real port: initialize, list, call', async () => {
    const erin = await stack.signUp('erin')
    const client = new Client({ name: 'http-sessions-test', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${handle.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${erin.token}` } } }))
    try {
      expect((await client.listTools()).tools).toHaveLength(5)
      const created = await client.callTool({ name: 'workspace', arguments: { operation: 'create_workspace', name: 'Through a session' } })
      expect(created.structuredContent).toMatchObject({ role: 'owner', item: { created_by: erin.id } })
    } finally {
      await client.close()
    }
    expect(await handle.sessions!.manager.listSessions({ userId: erin.id })).toHaveLength(1)
  })
})

describe('the transport with --no-sessions', () => {
  test('bearer verification alone: a bare token works, no session routes', async () => {
    const handle = await startTransport({}, false)
    try {
      expect(handle.sessions).toBeNull()
      expect((await post(handle, alice.token)).status).toBe(200)
      expect((await fetch(`${handle.url}/auth/sessions`, { headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(404)
      expect((await post(handle, await signUserToken(stack.emulator, { sub: alice.id, expiresIn: -120 }))).status).toBe(401)
    } finally {
      await handle.close()
    }
  })
})

describe('two transports sharing the real Redis', () => {
  test('a token adopted on one is the same session on the other; a revocation on one is refused on the other', async () => {
    const env = { ATOMS_SESSION_STORE: 'redis', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ATOMS_SESSION_KEY_PREFIX: `atoms:test:http:${randomBytes(6).toString('hex')}:` }
    const a = await startTransport(env)
    const b = await startTransport(env)
    try {
      const frank = await stack.signUp('frank')
      expect(a.sessions?.store.kind).toBe('redis')
      expect((await post(a, frank.token)).status).toBe(200)
      expect((await post(b, frank.token)).status).toBe(200)
      const ids = await ownSessions(b, frank.token)
      expect(ids).toHaveLength(1)
      const ended = await fetch(`${a.url}/auth/sessions/${ids[0]}`, { method: 'DELETE', headers: { authorization: `Bearer ${frank.token}` } })
      expect(ended.status).toBe(204)
      expect(await post(b, frank.token)).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
      expect(await post(a, frank.token)).toMatchObject({ status: 401, json: { error: { code: 'SESSION_REVOKED' } } })
    } finally {
      await a.sessions?.store.clear()
      await Promise.all([a.close(), b.close()])
    }
  })
})
