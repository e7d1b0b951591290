import type { RequestContext } from '../http/types.ts'

import { describe, expect, test } from 'vitest'
import { compose } from '../http/types.ts'
import { correlationFetch, correlationMiddleware, currentRequestId, requestIdFrom, runWithRequestId } from './correlation.ts'

const ctx = (): RequestContext => ({ requestId: '', ip: '127.0.0.1' })
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736'

describe('requestIdFrom', () => {
  test('prefers a well-formed x-request-id', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'abc-123', traceparent: `00-${TRACE}-00f067aa0ba902b7-01` }))).toBe('abc-123')
  })
  test('falls back to the trace id of a valid traceparent', () => {
    expect(requestIdFrom(new Headers({ traceparent: `00-${TRACE}-00f067aa0ba902b7-01` }))).toBe(TRACE)
  })
  test.each([
    ['x-request-id', 'has spaces and "quotes"'],
    ['x-request-id', 'x'.repeat(200)],
    ['x-request-id', 'line\nbreak'.replace('\n', '%0A')],
    ['traceparent', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['traceparent', 'garbage'],
  ])('ignores unusable %s %j', (name, value) => {
    expect(requestIdFrom(new Headers({ [name]: value }))).toBeUndefined()
  })
})

describe('correlationMiddleware', () => {
  test('sets ctx.requestId, keeps it current across awaits and echoes it', async () => {
    const seen: Array<string | undefined> = []
    const handler = compose(async (_request, c) => {
      seen.push(c.requestId, currentRequestId())
      await new Promise((resolve) => setTimeout(resolve, 2))
      seen.push(currentRequestId())
      return new Response('ok')
    }, correlationMiddleware)
    const response = await handler(new Request('http://x/mcp', { headers: { 'x-request-id': 'given-1' } }), ctx())
    expect(seen).toEqual(['given-1', 'given-1', 'given-1'])
    expect(response.headers.get('x-request-id')).toBe('given-1')
    expect(currentRequestId()).toBeUndefined()
  })

  test('generates distinct ids for concurrent requests without one', async () => {
    const handler = compose(async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5))
      return new Response(currentRequestId())
    }, correlationMiddleware)
    const responses = await Promise.all(Array.from({ length: 20 }, () => handler(new Request('http://x/'), ctx())))
    const ids = await Promise.all(responses.map(async (r) => [r.headers.get('x-request-id'), await r.text()]))
    for (const [header, body] of ids) expect(header).toBe(body)
    expect(new Set(ids.map(([id]) => id)).size).toBe(20)
  })

  test('copies a response whose headers are immutable', async () => {
    const handler = compose(async () => Response.redirect('http://x/elsewhere', 302), correlationMiddleware)
    const response = await handler(new Request('http://x/'), ctx())
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('http://x/elsewhere')
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('correlationFetch', () => {
  const capture = () => {
    const requests: Request[] = []
    const base = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init))
      return new Response('{}', { status: 200 })
    }) as typeof fetch
    return { requests, base }
  }

  test('adds the current id to string, URL and Request inputs, keeping other headers', async () => {
    const { requests, base } = capture()
    const wrapped = correlationFetch(base)
    await runWithRequestId('rid-7', async () => {
      await wrapped('http://db.test/rest/v1/x', { headers: { apikey: 'k' } })
      await wrapped(new URL('http://db.test/auth/v1/user'))
      await wrapped(new Request('http://db.test/rest/v1/y', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }))
    })
    expect(requests.map((r) => r.headers.get('x-request-id'))).toEqual(['rid-7', 'rid-7', 'rid-7'])
    expect(requests[0]!.headers.get('apikey')).toBe('k')
    expect(requests[2]!.method).toBe('POST')
    expect(requests[2]!.headers.get('content-type')).toBe('application/json')
    expect(await requests[2]!.text()).toBe('{}')
  })

  test('leaves a caller-set id alone and adds nothing outside a scope', async () => {
    const { requests, base } = capture()
    const wrapped = correlationFetch(base)
    await runWithRequestId('rid-8', () => wrapped('http://db.test/', { headers: { 'x-request-id': 'own' } }))
    await wrapped('http://db.test/')
    expect(requests.map((r) => r.headers.get('x-request-id'))).toEqual(['own', null])
  })

  test('tells the observer about answers and network failures', async () => {
    const outcomes: Array<{ status: number | undefined, method: string }> = []
    const failing = (async () => {
      throw new TypeError('fetch failed')
    }) as typeof fetch
    await correlationFetch(capture().base, (o) => outcomes.push(o))('http://db.test/', { method: 'delete' })
    await expect(correlationFetch(failing, (o) => outcomes.push(o))('http://db.test/')).rejects.toThrow('fetch failed')
    expect(outcomes.map((o) => [o.method, o.status])).toEqual([['DELETE', 200], ['GET', undefined]])
  })
})
