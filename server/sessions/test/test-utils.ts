/**
 * Shared helpers of the session tests and benchmark: client facts, sample records, a manager on
 * the loopback token endpoint and a loopback HTTP server for the middleware. Redis/Upstash setup,
 * the token endpoint and the emulated Auth live in their own files and are re-exported here.
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FetchHandler } from '../../http/types.ts'
import type { SessionManagerOptions } from '../SessionManager.ts'
import type { SessionStore } from '../storage/types.ts'
import type { ClientMeta, SessionRecord } from '../types.ts'
import type { TokenServer } from './tokenServer.ts'
import { serve } from '@hono/node-server'
import { randomBytes, randomUUID } from 'node:crypto'
import { GoTrueClient } from '../GoTrueClient.ts'
import { SessionManager } from '../SessionManager.ts'

export type { EmulatedAuth } from './emulatedAuth.ts'
export type { TestUser, TokenServer } from './tokenServer.ts'
export { startEmulatedAuth } from './emulatedAuth.ts'
export { clearPrefix, REDIS_URL, redisClient, testPrefix, UPSTASH_TOKEN, UPSTASH_URL, upstashHandlers } from './redis.ts'
export { startTokenServer } from './tokenServer.ts'

/** Client facts of one request. */
export function meta(ip = '203.0.113.10', device = 'device-a', location: ClientMeta['location'] = null): ClientMeta {
  return { ip, device, location }
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
