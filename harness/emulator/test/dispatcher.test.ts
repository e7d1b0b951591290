/**
 * The dispatcher on its own, called as a function (no server): the gateway's CORS and key checks,
 * routing by prefix, the caller handed to routes, bugs as 500s; and the two adapters' edges.
 */
import type { SqlExecutor } from '../../sql/index.ts'
import type { Emulator, RouteHandler } from '../index.ts'
import { createClient } from '@supabase/supabase-js'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { openEngine } from '../../testing/index.ts'
import {
  InternalError,
  StrayRequestError,
  WeakJwtSecretError,
  createEmulator,
  defaultRoutes,
  emulatorFetch,
  serveEmulator,
  signUserToken,
  startMsw,
  verifyJwt,
} from '../index.ts'
import { verifiesOwnTokens } from '../auth/index.ts'
import { unsignedToken } from './test-utils.ts'

/** A route group that answers with the caller it was handed (or throws what it is told to). */
function echoRoute(prefix: string, name = 'echo'): RouteHandler {
  return {
    name,
    prefix,
    async resolve(request, caller) {
      const url = new URL(request.url)
      if (url.searchParams.get('throw') === 'internal') throw new InternalError('the echo route broke on purpose')
      if (url.searchParams.get('throw') === 'type') throw new TypeError('undefined is not a function')
      return Response.json({ name, path: url.pathname, search: url.search, role: caller?.role ?? null, sub: caller?.claims.sub ?? null })
    },
  }
}

describe('dispatcher', () => {
  let db: SqlExecutor
  let dispose: () => Promise<void>
  let emulator: Emulator
  const secret = 'a-fixed-secret-for-the-dispatcher-tests-0001'

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine('pglite', { migrate: false }))
    const selfVerifying = echoRoute('/self/v1', 'self')
    verifiesOwnTokens.add(selfVerifying)
    emulator = await createEmulator({
      db,
      jwtSecret: secret,
      routes: [echoRoute('/echo/v1/deep', 'deep'), echoRoute('/echo/v1'), selfVerifying, ...defaultRoutes()],
    })
  })
  afterAll(() => dispose?.())

  const request = (path: string, init: RequestInit & { key?: string | null } = {}) => {
    const headers = new Headers(init.headers)
    if (init.key !== null) headers.set('apikey', init.key ?? emulator.anonKey)
    return emulator.handle(new Request(`http://emulator.test${path}`, { ...init, headers }))
  }

  test('the keys are HS256 JWTs with Supabase claims, signed with the given secret', async () => {
    const anon = await verifyJwt(emulator.anonKey, secret)
    const service = await verifyJwt(emulator.serviceRoleKey, secret)
    expect(anon).toMatchObject({ iss: 'supabase', ref: 'emulator', role: 'anon' })
    expect(service).toMatchObject({ iss: 'supabase', ref: 'emulator', role: 'service_role' })
    expect((anon.exp as number) - (anon.iat as number)).toBe(10 * 365 * 24 * 3600)
    expect(emulator.jwtSecret).toBe(secret)
    const random = await createEmulator({ db })
    expect(random.jwtSecret).not.toBe(secret)
    expect(random.jwtSecret.length).toBeGreaterThanOrEqual(32)
    await expect(createEmulator({ db, jwtSecret: 'short' })).rejects.toThrow(WeakJwtSecretError)
  })

  test('a CORS preflight needs no key and echoes the requested headers', async () => {
    const response = await request('/rest/v1/anything', {
      method: 'OPTIONS',
      key: null,
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'apikey, authorization, x-client-info' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH')
    expect(response.headers.get('access-control-allow-headers')).toBe('apikey, authorization, x-client-info')
  })

  test('every answer carries the CORS headers, errors included', async () => {
    for (const response of [await request('/echo/v1/x'), await request('/nowhere'), await request('/echo/v1/x', { key: 'bad' })]) {
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(response.headers.get('access-control-expose-headers')).toContain('Content-Range')
    }
  })

  test('routes match by whole path segments, the first matching prefix wins', async () => {
    expect(await (await request('/echo/v1/deep/x')).json()).toMatchObject({ name: 'deep' })
    expect(await (await request('/echo/v1/deeper')).json()).toMatchObject({ name: 'echo' })
    expect(await (await request('/echo/v1')).json()).toMatchObject({ name: 'echo', path: '/echo/v1' })
    const unknown = await request('/echo/v10/x')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ message: 'no Route matched with those values' })
  })

  test('routes get the caller: anon key, service key, user token', async () => {
    const sub = '00000000-0000-4000-8000-00000000000a'
    const user = await signUserToken(secret, { sub })
    const roles: [string | undefined, string, string | null][] = [
      [undefined, 'anon', null],
      [emulator.serviceRoleKey, 'service_role', null],
      [user, 'authenticated', sub],
    ]
    for (const [bearer, role, expectedSub] of roles) {
      const headers = bearer ? { Authorization: `Bearer ${bearer}` } : undefined
      expect(await (await request('/echo/v1/who', { headers })).json()).toMatchObject({ role, sub: expectedSub })
    }
    // The service key as apikey alone (no Authorization) runs as service_role.
    expect(await (await request('/echo/v1/who', { key: emulator.serviceRoleKey })).json()).toMatchObject({ role: 'service_role' })
  })

  test('the apikey query parameter counts as the key and is stripped before the route', async () => {
    const response = await request(`/echo/v1/q?select=id&apikey=${emulator.anonKey}`, { key: null })
    expect(await response.json()).toMatchObject({ role: 'anon', search: '?select=id' })
  })

  test('a bad bearer is refused for ordinary routes; self-verifying routes get a null caller', async () => {
    const forged = unsignedToken({ role: 'service_role' })
    const refused = await request('/echo/v1/x', { headers: { Authorization: `Bearer ${forged}` } })
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({ code: 'PGRST301', details: null, hint: null, message: 'JWSError JWSInvalidSignature' })
    const passed = await request('/self/v1/x', { headers: { Authorization: `Bearer ${forged}` } })
    expect(await passed.json()).toMatchObject({ name: 'self', role: null })
    // A missing key is the gateway's 401 for every route.
    expect((await request('/self/v1/x', { key: null })).status).toBe(401)
    expect((await request('/echo/v1/x', { key: null, headers: { Authorization: `Bearer ${emulator.anonKey}` } })).status).toBe(401)
  })

  test('a bug in a route is a 500 naming the request, logged, never thrown', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      for (const [kind, message] of [
        ['internal', 'the echo route broke on purpose'],
        ['type', 'TypeError: undefined is not a function'],
      ]) {
        const response = await request(`/echo/v1/boom?throw=${kind}`)
        expect(response.status).toBe(500)
        const body = await response.json()
        expect(body).toMatchObject({ code: 'EMULATOR_INTERNAL' })
        expect(body.message).toContain('"GET /echo/v1/boom"')
        expect(body.message).toContain(message)
      }
      expect(logged).toHaveBeenCalledTimes(2)
      expect(String(logged.mock.calls[0]![0])).toContain('[atoms-test emulator]')
    } finally {
      logged.mockRestore()
    }
  })

  test('GoTrue health and settings answer through the auth routes', async () => {
    expect(await (await request('/auth/v1/health')).json()).toMatchObject({ name: 'GoTrue' })
    expect(await (await request('/auth/v1/settings')).json()).toMatchObject({ external: { email: true, phone: false }, mailer_autoconfirm: true })
    expect(await (await request('/auth/v1/.well-known/jwks.json')).json()).toEqual({ keys: [] })
    const unknown = await request('/auth/v1/magiclink', { method: 'POST', headers: { 'X-Supabase-Api-Version': '2024-01-01' } })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ code: 'not_found', message: expect.stringContaining('"/signup"') })
  })

  test('GoTrue errors use the legacy shape without the API version header', async () => {
    const response = await request('/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ email: 'nobody@example.com', password: 'whatever' }),
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-sb-error-code')).toBe('invalid_credentials')
    expect(await response.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
    const modern = await request('/auth/v1/token?grant_type=magic', { method: 'POST', body: '{}', headers: { 'X-Supabase-Api-Version': '2024-01-01' } })
    expect(modern.headers.get('x-supabase-api-version')).toBe('2024-01-01')
    expect(await modern.json()).toEqual({ code: 'invalid_credentials', message: 'unsupported_grant_type' })
    const badJson = await request('/auth/v1/signup', { method: 'POST', body: '{not json', headers: { 'X-Supabase-Api-Version': '2024-01-01' } })
    expect(badJson.status).toBe(400)
    expect(await badJson.json()).toMatchObject({ code: 'bad_json' })
  })
})

describe('adapters', () => {
  let db: SqlExecutor
  let dispose: () => Promise<void>

  beforeAll(async () => {
    ;({ db, dispose } = await openEngine('pglite', { migrate: false }))
  })
  afterAll(() => dispose?.())

  test('serveEmulator listens on a random loopback port, sets baseUrl, and closes', async () => {
    const emulator = await createEmulator({ db })
    const served = await serveEmulator(emulator)
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(emulator.ctx.baseUrl).toBe(served.url)
      const response = await fetch(`${served.url}/auth/v1/health`, { headers: { apikey: emulator.anonKey } })
      expect(await response.json()).toMatchObject({ name: 'GoTrue' })
    } finally {
      await served.close()
    }
    await expect(fetch(`${served.url}/auth/v1/health`)).rejects.toThrow()
  })

  test('emulatorFetch answers the emulator origin in-process and passes other URLs on', async () => {
    const emulator = await createEmulator({ db, baseUrl: 'http://fetch.emulator.invalid' })
    const client = createClient('http://fetch.emulator.invalid', emulator.anonKey, {
      auth: { persistSession: false },
      global: { fetch: emulatorFetch(emulator) },
    })
    const { data, error } = await client.auth.signUp({ email: 'fetch@example.com', password: 'fetch-password-1' })
    expect(error).toBeNull()
    expect(data.user?.email).toBe('fetch@example.com')
    // Not the emulator's origin: the global fetch gets it (and this host does not resolve).
    await expect(emulatorFetch(emulator)('http://elsewhere.invalid/x')).rejects.toThrow()
  })

  test('startMsw answers its origin and fails a stray request loudly', async () => {
    const emulator = await createEmulator({ db })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const msw = startMsw(emulator, 'http://dry.emulator.invalid/')
    try {
      expect(msw.baseUrl).toBe('http://dry.emulator.invalid')
      const ok = await fetch('http://dry.emulator.invalid/auth/v1/health', { headers: { apikey: emulator.anonKey } })
      expect(ok.status).toBe(200)
      expect(ok.url).toBe('http://dry.emulator.invalid/auth/v1/health')
      await expect(fetch('http://elsewhere.invalid/rest/v1/x')).rejects.toThrow()
      expect(msw.strays).toEqual([{ method: 'GET', url: 'http://elsewhere.invalid/rest/v1/x' }])
      expect(() => msw.assertNoStrays()).toThrow(StrayRequestError)
      expect(msw.strays).toEqual([])
      expect(logged).toHaveBeenCalled()
    } finally {
      msw.close()
      logged.mockRestore()
    }
  })

  test('startMsw also fails a stray made with node:http, and restores fetch when closed', async () => {
    const emulator = await createEmulator({ db })
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const before = globalThis.fetch
    const msw = startMsw(emulator, 'http://dry.emulator.invalid')
    try {
      expect(globalThis.fetch).not.toBe(before)
      const failed = await new Promise<Error | undefined>((resolve) => {
        // Through the module object: msw patches `http.get`, not a binding imported before it ran.
        const request = http.get('http://elsewhere.invalid/rest/v1/y', (response) => {
          response.resume()
          resolve(undefined)
        })
        request.on('error', resolve)
      })
      expect(failed).toBeInstanceOf(Error)
      expect(msw.takeStrays()).toEqual([{ method: 'GET', url: 'http://elsewhere.invalid/rest/v1/y' }])
    } finally {
      msw.close()
      logged.mockRestore()
    }
    expect(globalThis.fetch).toBe(before)
  })

  test('under startMsw a plain supabase-js client (global fetch) reaches the emulator', async () => {
    const emulator = await createEmulator({ db })
    const msw = startMsw(emulator, 'http://plain.emulator.invalid')
    try {
      const client = createClient('http://plain.emulator.invalid', emulator.anonKey, { auth: { persistSession: false } })
      const { data, error } = await client.auth.signUp({ email: 'plain-msw@example.com', password: 'plain-password-1' })
      expect(error).toBeNull()
      expect(data.user?.email).toBe('plain-msw@example.com')
      msw.assertNoStrays()
    } finally {
      msw.close()
    }
  })
})
