/**
 * The HTTP side in process: bearer verification (signature, expiry, audience) before any tool
 * runs, 401 challenges, DNS-rebinding protection, method handling, and a real SDK client over
 * Streamable HTTP whose fetch calls the app directly (dry stack).
 */
import type { FetchHandler } from '../http/index.ts'
import type { Stack, TestUser } from './test-utils.ts'

import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { signUserToken } from '../../harness/emulator/index.ts'
import { createHttpApp, createTokenVerifier, defaultAllowed } from '../http/index.ts'
import { openStack } from './test-utils.ts'

const ORIGIN = 'http://127.0.0.1:8787'
let stack: Stack
let alice: TestUser
let app: FetchHandler
let toolRuns = 0

beforeAll(async () => {
  stack = await openStack('dry')
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
