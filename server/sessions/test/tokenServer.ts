/**
 * A loopback Supabase-Auth-compatible token endpoint for the session tests and benchmark: real
 * HTTP, HS256 access tokens, single-use refresh tokens, call counters and failure injection.
 */
import type { AddressInfo } from 'node:net'
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { SignJWT } from 'jose'

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
