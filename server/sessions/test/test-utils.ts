/**
 * Shared helpers of the session tests and benchmark: client facts, sample records, a manager on
 * the loopback token endpoint and a loopback HTTP server for the middleware. Redis/Upstash setup,
 * the token endpoint and the emulated Auth live in their own files and are re-exported here.
 */
import type { SessionManagerOptions } from '../SessionManager.ts'
import type { SessionStore } from '../storage/types.ts'
import type { ClientMeta, SessionRecord } from '../types.ts'
import type { TokenServer } from './tokenServer.ts'
import { randomBytes } from 'node:crypto'
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

export { serveFetch } from '../../test/serveFetch.ts'
export type { Served } from '../../test/serveFetch.ts'
