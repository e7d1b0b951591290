/**
 * The observability layer mounted the way the server mounts it (`compose(app, obs.middleware)`,
 * `obs.routes` for its paths, `obs.wrapTool` around the tool invoker), served by
 * `@hono/node-server` on loopback and driven with plain HTTP requests.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { FetchHandler, ToolCall } from '../../http/types.ts'
import type { Observability } from '../index.ts'
import type { CapturedLog, Served } from './test-utils.ts'

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compose } from '../../http/types.ts'
import { createObservability, signVercelBody } from '../index.ts'
import { captureLog, sample, serveFetch } from './test-utils.ts'

const VERCEL_SECRET = 'vercel-whsec-1'
let obs: Observability
let log: CapturedLog
let server: Served
let storeUp = true

beforeAll(async () => {
  log = captureLog()
  obs = createObservability({
    version: '9.8.7',
    logger: { destination: log.stream, level: 'debug' },
    liveSessions: () => 2,
    readiness: {
      supabase: async () => {},
      sessionStore: async () => {
        if (!storeUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6390')
      },
    },
    vercel: { secret: VERCEL_SECRET },
  })
  const invoke = obs.wrapTool(async (call: ToolCall): Promise<CallToolResult> => {
    if (call.operation === 'explode') throw new Error('unexpected state')
    if (call.operation === 'missing') {
      return { isError: true, content: [{ type: 'text', text: 'nf' }], structuredContent: { error: { code: 'NOT_FOUND', message: 'entity "e9" was not found' } } }
    }
    return { content: [{ type: 'text', text: '{}' }], structuredContent: { ok: true } }
  })
  const app: FetchHandler = async (request, ctx) => {
    if (obs.handles(request)) return obs.routes(request, ctx)
    const { pathname } = new URL(request.url)
    if (pathname === '/mcp' && request.method === 'POST') return Response.json(await invoke((await request.json()) as ToolCall, ctx))
    if (pathname === '/boom') throw new Error('handler bug')
    return new Response('not found', { status: 404 })
  }
  server = await serveFetch(compose(app, obs.middleware))
})

afterAll(async () => {
  await server?.close()
  await obs?.close()
})

const call = (operation: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ tool: 'entity', operation, args: {} }) })

describe('correlation over HTTP', () => {
  test('x-request-id is honoured, traceparent is used when it is absent, otherwise one is generated', async () => {
    const given = await call('read_entity', { 'x-request-id': 'client-id-1' })
    expect(given.headers.get('x-request-id')).toBe('client-id-1')
    const traced = await call('read_entity', { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })
    expect(traced.headers.get('x-request-id')).toBe('0af7651916cd43dd8448eb211c80319c')
    const generated = await fetch(`${server.url}/health/live`)
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const lines = log.lines().filter((l) => l.requestId === 'client-id-1')
    expect(lines.map((l) => l.msg)).toEqual(['tool call', 'request'])
  })

  test('a thrown tool error answers INTERNAL with the id that is in the log', async () => {
    const response = await call('explode', { 'x-request-id': 'client-id-2' })
    const body = (await response.json()) as CallToolResult
    expect(body.structuredContent).toMatchObject({ error: { code: 'INTERNAL', requestId: 'client-id-2' } })
    const failure = log.lines().find((l) => l.msg === 'tool call failed')
    expect(failure).toMatchObject({ requestId: 'client-id-2', level: 'error' })
    expect(failure!.err.message).toBe('unexpected state')
  })

  test('a throwing handler becomes a JSON 500 that still names the request', async () => {
    const response = await fetch(`${server.url}/boom`, { headers: { 'x-request-id': 'client-id-3' } })
    expect(response.status).toBe(500)
    expect(response.headers.get('x-request-id')).toBe('client-id-3')
    expect(await response.json()).toMatchObject({ error: { code: 'INTERNAL', requestId: 'client-id-3' } })
  })
})

describe('health', () => {
  test('/health/live, /health/ready and /health when ready', async () => {
    const live = await fetch(`${server.url}/health/live`)
    expect(live.status).toBe(200)
    expect(await live.json()).toMatchObject({ status: 'alive' })
    const ready = await fetch(`${server.url}/health/ready`)
    expect(ready.status).toBe(200)
    const report = await ready.json()
    expect(report).toMatchObject({ status: 'ready', failing: [], checks: { supabase: { ok: true }, sessionStore: { ok: true } } })
    expect(typeof report.checks.supabase.latencyMs).toBe('number')
    const all = await fetch(`${server.url}/health`)
    expect(all.headers.get('cache-control')).toBe('no-store')
    const body = await all.json()
    expect(body).toMatchObject({ status: 'ok', version: '9.8.7', live: { status: 'alive' }, ready: { status: 'ready' } })
    expect(body.uptimeSeconds).toBeGreaterThan(0)
  })

  test('503 naming the failing check when a dependency is down; live stays 200', async () => {
    storeUp = false
    try {
      const ready = await fetch(`${server.url}/health/ready`)
      expect(ready.status).toBe(503)
      expect(await ready.json()).toMatchObject({ status: 'not_ready', failing: ['sessionStore'], checks: { sessionStore: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:6390' }, supabase: { ok: true } } })
      expect((await fetch(`${server.url}/health`)).status).toBe(503)
      expect((await fetch(`${server.url}/health/live`)).status).toBe(200)
    } finally {
      storeUp = true
    }
  })

  test('HEAD answers without a body; other methods get 405', async () => {
    const head = await fetch(`${server.url}/health/live`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('/metrics', () => {
  test('Prometheus text with tool calls, HTTP requests, live sessions and process metrics', async () => {
    await call('read_entity')
    await call('missing')
    const response = await fetch(`${server.url}/metrics`)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'read_entity', outcome: 'ok' })).toBeGreaterThanOrEqual(3)
    expect(sample(text, 'atoms_tool_calls_total', { tool: 'entity', operation: 'missing', outcome: 'NOT_FOUND' })).toBe(1)
    expect(sample(text, 'atoms_tool_calls_total', { operation: 'explode', outcome: 'INTERNAL' })).toBe(1)
    expect(sample(text, 'atoms_http_requests_total', { method: 'POST', route: '/mcp', status: '200' })).toBeGreaterThanOrEqual(4)
    expect(sample(text, 'atoms_http_requests_total', { route: '/health/ready', status: '503' })).toBe(1)
    expect(sample(text, 'atoms_http_requests_total', { route: 'other', status: '500' })).toBe(1)
    expect(sample(text, 'atoms_live_sessions')).toBe(2)
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0)
  })
})

describe('/webhooks/vercel over HTTP', () => {
  const event = JSON.stringify({ id: 'evt_http', type: 'deployment.created', createdAt: Date.now(), payload: { deployment: { id: 'dpl_1', name: 'atoms', url: 'atoms-1.vercel.app' }, target: 'preview' } })
  const post = (headers: Record<string, string>) => fetch(`${server.url}/webhooks/vercel`, { method: 'POST', body: event, headers: { 'content-type': 'application/json', ...headers } })

  test('unsigned and mis-signed deliveries get 401 and leave no trace on the dashboard', async () => {
    expect((await post({})).status).toBe(401)
    expect((await post({ 'x-vercel-signature': signVercelBody(event, 'guess') })).status).toBe(401)
    const data = await (await fetch(`${server.url}/api/observability/dashboard`)).json()
    expect(data.deployments).toEqual([])
  })

  test('a signed delivery is accepted and listed', async () => {
    const response = await post({ 'x-vercel-signature': signVercelBody(event, VERCEL_SECRET) })
    expect(response.status).toBe(200)
    const data = await (await fetch(`${server.url}/api/observability/dashboard`)).json()
    expect(data.deployments).toEqual([expect.objectContaining({ id: 'evt_http', type: 'deployment.created', name: 'atoms', target: 'preview' })])
    expect((await fetch(`${server.url}/webhooks/vercel`)).status).toBe(405)
  })
})

describe('dashboard endpoints', () => {
  test('JSON figures and a self-contained HTML page with a strict CSP', async () => {
    const data = await (await fetch(`${server.url}/api/observability/dashboard`)).json()
    expect(data).toMatchObject({ service: 'atoms-mcp', version: '9.8.7', liveSessions: 2 })
    const entity = data.tools.find((t: { tool: string }) => t.tool === 'entity')
    expect(entity.calls).toBeGreaterThanOrEqual(5)
    expect(entity.errors).toBe(2)
    expect(data.recentErrors.map((e: { requestId: string }) => e.requestId)).toContain('client-id-2')
    const page = await fetch(`${server.url}/dashboard`)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-[^']+'/)
    const html = await page.text()
    expect(html).toContain("createElementNS(NS, tag)")
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
  })

  test('unknown observability paths answer JSON 404', async () => {
    const response = await obs.routes(new Request(`${server.url}/health/deep`), { requestId: 'x', ip: '' })
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
  })
})
