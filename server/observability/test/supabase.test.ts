/**
 * The correlation id reaches Supabase: real supabase-js, given `obs.fetch` as its global fetch,
 * talks to a loopback server answering like PostgREST and GoTrue; the server sees the request's
 * id, Supabase errors are counted by code, and no key or token reaches the log.
 */
import type { FetchHandler } from '../../http/types.ts'
import type { Observability } from '../index.ts'
import type { CapturedLog, Received, Served } from './test-utils.ts'

import { createClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { compose } from '../../http/types.ts'
import { createObservability } from '../index.ts'
import { captureLog, recordingServer, sample, serveFetch } from './test-utils.ts'

const ANON_KEY = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiIsImlzcyI6InN1cGFiYXNlIn0.anon-signature-xyz'
const USER_JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LTEiLCJyb2xlIjoiYXV0aGVudGljYXRlZCJ9.user-signature-abc'

let obs: Observability
let log: CapturedLog
let supabase: Served & { received: Received[] }
let app: Served

beforeAll(async () => {
  supabase = await recordingServer((request, _i, response) => {
    const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    if (request.url.startsWith('/rest/v1/documents')) return json(403, { code: '42501', message: 'permission denied for table documents', details: null, hint: null })
    if (request.url.startsWith('/rest/v1/projects')) return json(200, [{ id: 'p1', name: 'Atoms' }])
    if (request.url.startsWith('/auth/v1/token')) return json(400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
    return json(404, { message: 'no route' })
  })
  log = captureLog()
  obs = createObservability({ logger: { destination: log.stream, level: 'debug' }, metrics: { defaultMetrics: false } })
  // The handler does what a tool does: a supabase-js client per caller, under the caller's JWT.
  const handler: FetchHandler = async (request) => {
    const client = createClient(supabase.url, ANON_KEY, {
      global: { fetch: obs.fetch, headers: { Authorization: `Bearer ${USER_JWT}` } },
      auth: { persistSession: false, autoRefreshToken: false },
    })
    const table = new URL(request.url).searchParams.get('table') ?? 'projects'
    if (table === 'login') {
      const { error } = await client.auth.signInWithPassword({ email: 'a@b.test', password: 'pw-never-logged' })
      obs.logger.info({ headers: Object.fromEntries(request.headers), error }, 'login attempt')
      return Response.json({ error: error?.message })
    }
    const { data, error } = await client.from(table).select('*')
    obs.logger.info({ table, rows: data?.length ?? 0, code: error?.code }, 'query done')
    return Response.json({ data, error })
  }
  app = await serveFetch(compose(handler, obs.middleware))
})

afterAll(async () => {
  await app?.close()
  await supabase?.close()
  await obs?.close()
})

describe('obs.fetch with supabase-js', () => {
  test('every Supabase request made while serving a request carries that request id', async () => {
    const response = await fetch(`${app.url}/?table=projects`, { headers: { 'x-request-id': 'sb-req-1' } })
    expect(await response.json()).toMatchObject({ data: [{ id: 'p1' }] })
    const seen = supabase.received.filter((r) => r.url.startsWith('/rest/v1/projects'))
    expect(seen).toHaveLength(1)
    expect(seen[0]!.headers['x-request-id']).toBe('sb-req-1')
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${USER_JWT}`)
    const outgoing = log.lines().find((l) => l.msg === 'supabase request')
    expect(outgoing).toMatchObject({ requestId: 'sb-req-1', method: 'GET', status: 200, url: `${supabase.url}/rest/v1/projects` })
  })

  test('concurrent requests keep their own ids', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `sb-par-${i}`)
    await Promise.all(ids.map((id) => fetch(`${app.url}/?table=projects`, { headers: { 'x-request-id': id } })))
    const forwarded = supabase.received.map((r) => r.headers['x-request-id']).filter((id) => String(id).startsWith('sb-par-'))
    expect(forwarded.sort()).toEqual(ids)
  })

  test('PostgREST and GoTrue errors are counted by their code and source', async () => {
    await fetch(`${app.url}/?table=documents`)
    await fetch(`${app.url}/?table=documents`)
    await fetch(`${app.url}/?table=login`, { headers: { authorization: `Bearer ${USER_JWT}`, apikey: ANON_KEY } })
    // error codes are read from a clone of the body, after the caller got the response
    await new Promise((resolve) => setTimeout(resolve, 20))
    const text = await obs.metrics.render()
    expect(sample(text, 'atoms_supabase_errors_total', { code: '42501', source: 'rest' })).toBe(2)
    expect(sample(text, 'atoms_supabase_errors_total', { code: 'invalid_credentials', source: 'auth' })).toBe(1)
  })

  test('an unreachable Supabase counts as NETWORK', async () => {
    const gone = await recordingServer(() => {})
    await gone.close()
    await expect(obs.fetch(`${gone.url}/rest/v1/x`)).rejects.toThrow()
    expect(sample(await obs.metrics.render(), 'atoms_supabase_errors_total', { code: 'NETWORK', source: 'rest' })).toBe(1)
  })

  test('no key, token or password reached the log', () => {
    const text = log.text()
    expect(text).toContain('login attempt')
    for (const secret of [ANON_KEY, USER_JWT, 'anon-signature-xyz', 'user-signature-abc', 'pw-never-logged']) expect(text).not.toContain(secret)
  })
})
