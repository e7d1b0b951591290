/**
 * Shared helpers of the session tests and benchmark: a loopback Supabase-Auth-compatible token
 * endpoint, Redis key prefixes per run, msw handlers that serve the Upstash REST protocol from
 * the real Redis, and client facts for requests.
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { HttpHandler } from 'msw'
import type { Emulator } from '../../../harness/emulator/index.ts'
import type { TokenVerifier } from '../../http/auth.ts'
import type { FetchHandler } from '../../http/types.ts'
import type { SessionManagerOptions } from '../SessionManager.ts'
import type { SessionStore } from '../storage/types.ts'
import type { ClientMeta, SessionRecord, TokenPair } from '../types.ts'
import { serve } from '@hono/node-server'
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { Redis } from 'ioredis'
import { SignJWT } from 'jose'
import { http, HttpResponse } from 'msw'
import { createEmulator, serveEmulator } from '../../../harness/emulator/index.ts'
import { openEngine } from '../../../harness/testing/index.ts'
import { createTokenVerifier } from '../../http/auth.ts'
import { GoTrueClient } from '../GoTrueClient.ts'
import { SessionManager } from '../SessionManager.ts'

/** Redis the tests use (the machine's server). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix unique to this run and label; delete it after with `clearPrefix`. */
export function testPrefix(label: string): string {
  return `atoms:test:sessions:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`
}

/** A new ioredis connection to the test Redis. */
export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2 })
}

/** Deletes every key under `prefix`; returns how many. */
export async function clearPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0'
  let count = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) count += await redis.unlink(...keys)
  } while (cursor !== '0')
  return count
}

/** Client facts of one request. */
export function meta(ip = '203.0.113.10', device = 'device-a', location: ClientMeta['location'] = null): ClientMeta {
  return { ip, device, location }
}

/** A user known to the token endpoint. */
export interface TestUser {
  id: string
  email: string
  password: string
}

/** The loopback token endpoint. */
export interface TokenServer {
  /** Base URL, like `SUPABASE_URL`. */
  url: string
  /** The `apikey` it requires. */
  apiKey: string
  /** Calls received per grant (failed ones included). */
  calls: { password: number, refresh: number, logout: number }
  /** `expires_in` of issued tokens, seconds. */
  expiresIn: number
  /** Delay before each token answer, ms. */
  delayMs: number
  /** Answer the next `n` token calls with `status` (default 503). */
  failNext(n: number, status?: number): void
  addUser(email: string, password: string): TestUser
  /** Issues a token pair directly (as if the client had signed in itself). */
  issue(user: TestUser): Promise<{ access_token: string, refresh_token: string, expires_in: number }>
  /** Invalidates every refresh token of a user (as a global sign-out would). */
  revokeUser(userId: string): void
  /** Answer the next refresh with tokens of `user` instead of the token's owner (a misbehaving upstream). */
  answerNextRefreshAs(user: TestUser): void
  close(): Promise<void>
}

const SECRET = new TextEncoder().encode('loopback-token-endpoint-secret-32b!')

/**
 * Starts a Supabase-Auth-compatible token endpoint on 127.0.0.1 (random port):
 * `POST /auth/v1/token?grant_type=password|refresh_token` and `POST /auth/v1/logout`, with
 * single-use refresh tokens, HS256 access tokens, call counters and failure injection.
 */
export async function startTokenServer(options: { expiresIn?: number } = {}): Promise<TokenServer> {
  const users = new Map<string, TestUser>()
  const refreshTokens = new Map<string, string>()
  let failures: { left: number, status: number } = { left: 0, status: 503 }
  let impostor: TestUser | null = null
  const apiKey = `anon-${randomBytes(6).toString('hex')}`

  const issue = async (user: TestUser) => {
    const now = Math.floor(Date.now() / 1000)
    const access = await new SignJWT({ role: 'authenticated', email: user.email, session_id: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(user.id).setAudience('authenticated')
      .setIssuedAt(now).setExpirationTime(now + state.expiresIn).setJti(randomUUID()).sign(SECRET)
    const refresh = randomBytes(16).toString('base64url')
    refreshTokens.set(refresh, user.id)
    return {
      access_token: access, token_type: 'bearer', expires_in: state.expiresIn, expires_at: now + state.expiresIn,
      refresh_token: refresh, user: { id: user.id, email: user.email, role: 'authenticated', aud: 'authenticated' },
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (req.headers.apikey !== apiKey) return send(401, { message: 'Invalid API key' })
      if (url.pathname === '/auth/v1/logout' && req.method === 'POST') {
        state.calls.logout++
        return send(204, {})
      }
      if (url.pathname !== '/auth/v1/token' || req.method !== 'POST') return send(404, { message: 'not found' })
      const grant = url.searchParams.get('grant_type')
      if (grant === 'password') state.calls.password++
      else if (grant === 'refresh_token') state.calls.refresh++
      if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs))
      if (failures.left > 0) {
        failures.left--
        return send(failures.status, { error: 'unavailable', error_description: 'injected failure' })
      }
      let body: Record<string, unknown>
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
      } catch {
        return send(400, { error: 'invalid_request', error_description: 'bad json' })
      }
      if (grant === 'password') {
        const user = users.get(String(body.email ?? '').toLowerCase())
        if (!user || user.password !== body.password) return send(400, { error: 'invalid_grant', error_description: 'Invalid login credentials' })
        return send(200, await issue(user))
      }
      if (grant === 'refresh_token') {
        const userId = refreshTokens.get(String(body.refresh_token ?? ''))
        if (!userId) return send(400, { error: 'invalid_grant', error_description: 'Invalid Refresh Token: Refresh Token Not Found' })
        refreshTokens.delete(String(body.refresh_token))
        const user = impostor ?? [...users.values()].find((u) => u.id === userId)!
        impostor = null
        return send(200, await issue(user))
      }
      return send(400, { error: 'unsupported_grant_type', error_description: `grant "${grant}"` })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const state: TokenServer = {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    calls: { password: 0, refresh: 0, logout: 0 },
    expiresIn: options.expiresIn ?? 3600,
    delayMs: 0,
    failNext(n, status = 503) {
      failures = { left: n, status }
    },
    addUser(email, password) {
      const user = { id: randomUUID(), email: email.toLowerCase(), password }
      users.set(user.email, user)
      return user
    },
    issue,
    answerNextRefreshAs(user) {
      impostor = user
    },
    revokeUser(userId) {
      for (const [token, owner] of refreshTokens) if (owner === userId) refreshTokens.delete(token)
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
  return state
}

/** Base URL and token the Upstash store is pointed at in tests (served by msw, never the network). */
export const UPSTASH_URL = 'https://upstash-rest.sessions.test'
export const UPSTASH_TOKEN = 'upstash-test-token'

/**
 * msw handlers speaking the Upstash REST protocol — `POST /` with a command array,
 * `POST /pipeline` and `POST /multi-exec` with arrays of them, answers `{result}` / `{error}`,
 * base64 values when asked by `Upstash-Encoding: base64` — executed on the real Redis.
 */
export function upstashHandlers(redis: Redis, url = UPSTASH_URL, token = UPSTASH_TOKEN): HttpHandler[] {
  const authorized = (request: Request) => request.headers.get('authorization') === `Bearer ${token}`
  const b64 = (request: Request) => request.headers.get('upstash-encoding')?.toLowerCase() === 'base64'
  const unauthorized = () => HttpResponse.json({ error: 'WRONGPASS invalid or missing auth token' }, { status: 401 })
  const commands = async (request: Request) => {
    const body = await request.json() as unknown
    if (!Array.isArray(body) || !body.every((c) => Array.isArray(c) && c.length > 0)) throw new Error('ERR body must be an array of command arrays')
    return (body as unknown[][]).map(([name, ...args]) => [String(name).toLowerCase(), ...args.map(String)])
  }
  const batch = (atomic: boolean) => async ({ request }: { request: Request }) => {
    if (!authorized(request)) return unauthorized()
    let list: string[][]
    try {
      list = await commands(request)
    } catch (error) {
      return HttpResponse.json({ error: (error as Error).message }, { status: 400 })
    }
    const replies = await (atomic ? redis.multi(list) : redis.pipeline(list)).exec()
    if (!replies) return HttpResponse.json({ error: 'EXECABORT Transaction discarded' }, { status: 400 })
    return HttpResponse.json(replies.map(([error, value]) => (error ? { error: error.message } : { result: encode(value, b64(request)) })))
  }
  return [
    http.post(url, async ({ request }) => {
      if (!authorized(request)) return unauthorized()
      const body = await request.json() as unknown
      if (!Array.isArray(body) || body.length === 0) return HttpResponse.json({ error: 'ERR body must be a command array' }, { status: 400 })
      const [name, ...args] = body.map(String)
      try {
        return HttpResponse.json({ result: encode(await redis.call(name!, ...args), b64(request)) })
      } catch (error) {
        return HttpResponse.json({ error: (error as Error).message }, { status: 400 })
      }
    }),
    http.post(`${url}/pipeline`, batch(false)),
    http.post(`${url}/multi-exec`, batch(true)),
  ]
}

function encode(value: unknown, base64: boolean): unknown {
  if (!base64) return value
  if (typeof value === 'string') return value === 'OK' ? value : Buffer.from(value, 'utf8').toString('base64')
  if (Array.isArray(value)) return value.map((v) => encode(v, base64))
  return value ?? null
}

/** A complete session record for store-level tests. */
export function sampleSession(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const id = overrides.id ?? randomBytes(8).toString('hex')
  return {
    id, userId: 'user-1', email: 'ada@example.test', device: 'device-a', ip: '203.0.113.10',
    createdAt: 1_700_000_000_000, lastSeenAt: 1_700_000_000_000,
    accessToken: `access-${id}`, refreshToken: `refresh-${id}`, accessExpiresAt: 1_700_003_600_000,
    tokenId: `tid-${id}`, prevTokenId: null, rotatedAt: null, mcpSessionId: null,
    location: null, locationAt: null, refreshCount: 0, challengeFailures: 0,
    ...overrides,
  }
}

/** A session manager on `store` whose Supabase Auth is the loopback token endpoint. */
export function managerFor(store: SessionStore, tokens: TokenServer, options: Omit<SessionManagerOptions, 'store' | 'tokenClient'> = {}): SessionManager {
  const client = new GoTrueClient({ url: tokens.url, apiKey: tokens.apiKey, ...(options.clock ? { clock: options.clock } : {}) })
  return new SessionManager({ store, tokenClient: client, onError: (e) => { throw e }, ...options })
}

/** A running loopback HTTP server. */
export interface Served {
  url: string
  close(): Promise<void>
}

/**
 * Serves a fetch-style handler with `@hono/node-server` on 127.0.0.1, as the server will. The
 * client IP is the socket's, unless the test sends `x-test-client-ip` (standing in for a trusted proxy).
 */
export async function serveFetch(handler: FetchHandler): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve(
      {
        hostname: '127.0.0.1',
        port: 0,
        fetch: (request: Request, env: unknown) => handler(request, {
          requestId: randomUUID(),
          ip: request.headers.get('x-test-client-ip') ?? (env as { incoming?: IncomingMessage }).incoming?.socket?.remoteAddress ?? '',
        }),
      },
      (info: AddressInfo) => resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
          server.close(() => done())
        }),
      }),
    )
  })
}

/** The project's Supabase emulator on loopback (PGlite), for tests that need real GoTrue tokens. */
export interface EmulatedAuth {
  emulator: Emulator
  /** `SUPABASE_URL` of the emulator. */
  url: string
  anonKey: string
  /** GoTrue of the emulator: password sign-in, refresh grant, logout. */
  client: GoTrueClient
  /** The HTTP transport's verifier for the emulator's tokens (HS256 with its JWT secret). */
  verifier: TokenVerifier
  /** Signs a new user up; returns its id. */
  signUp(email: string, password: string): Promise<string>
  /** A new upstream (GoTrue) session of a user: each call a fresh access token with its own `session_id`. */
  signIn(email: string, password: string): Promise<TokenPair>
  close(): Promise<void>
}

/** Starts the emulator (auth only, PGlite) on a loopback port. */
export async function startEmulatedAuth(): Promise<EmulatedAuth> {
  const engine = await openEngine('pglite', { migrate: false })
  const emulator = await createEmulator({ db: engine.db, auth: { scryptLogN: 10 } })
  const served = await serveEmulator(emulator)
  const client = new GoTrueClient({ url: served.url, apiKey: emulator.anonKey })
  return {
    emulator,
    url: served.url,
    anonKey: emulator.anonKey,
    client,
    verifier: createTokenVerifier({ supabaseUrl: served.url, jwtSecret: emulator.jwtSecret, audience: 'authenticated' }),
    async signUp(email, password) {
      const response = await fetch(`${served.url}/auth/v1/signup`, {
        method: 'POST',
        headers: { apikey: emulator.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      })
      const body = await response.json() as { user?: { id: string }, id?: string }
      if (response.status !== 200) throw new Error(`sign-up of "${email}" failed with ${response.status}: ${JSON.stringify(body)}`)
      return body.user?.id ?? body.id!
    },
    signIn: (email, password) => client.password(email, password),
    async close() {
      await served.close()
      await engine.dispose()
    },
  }
}
