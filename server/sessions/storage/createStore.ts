/** Picks and builds a storage backend from options or the environment. */
import type { Clock } from '../clock.ts'
import type { SessionStore, StoreKind } from './types.ts'
import { SessionConfigError } from '../errors.ts'
import { MemoryStore } from './MemoryStore.ts'
import { RedisStore } from './RedisStore.ts'
import { UpstashStore } from './UpstashStore.ts'

/** Options of `createSessionStore`. */
export interface StoreOptions {
  kind: StoreKind
  prefix: string
  /** Memory: clock for TTLs. */
  clock?: Clock
  /** Redis: URL (default `redis://127.0.0.1:6379`). */
  redisUrl?: string
  /** Upstash: REST URL and token. */
  upstashUrl?: string
  upstashToken?: string
}

/** Builds the store `kind` names. */
export function createSessionStore(options: StoreOptions): SessionStore {
  switch (options.kind) {
    case 'memory': return new MemoryStore(options.clock ? { clock: options.clock } : {})
    case 'redis': return new RedisStore({ prefix: options.prefix, ...(options.redisUrl ? { url: options.redisUrl } : {}) })
    case 'upstash': return new UpstashStore({ prefix: options.prefix, url: options.upstashUrl ?? '', token: options.upstashToken ?? '' })
    default: throw new SessionConfigError([`"ATOMS_SESSION_STORE" must be memory, redis or upstash, got "${String(options.kind)}"`])
  }
}

/**
 * The store the environment asks for: `ATOMS_SESSION_STORE` (memory | redis | upstash), else
 * upstash when `UPSTASH_REDIS_REST_URL`/`KV_REST_API_URL` is set, else redis when `REDIS_URL`
 * is set, else memory.
 */
export function sessionStoreFromEnv(env: Record<string, string | undefined>, prefix: string, clock?: Clock): SessionStore {
  const upstashUrl = env.UPSTASH_REDIS_REST_URL || env.KV_REST_API_URL
  const upstashToken = env.UPSTASH_REDIS_REST_TOKEN || env.KV_REST_API_TOKEN
  const kind = (env.ATOMS_SESSION_STORE || (upstashUrl ? 'upstash' : env.REDIS_URL ? 'redis' : 'memory')) as StoreKind
  return createSessionStore({
    kind, prefix,
    ...(clock ? { clock } : {}),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    ...(upstashUrl ? { upstashUrl } : {}),
    ...(upstashToken ? { upstashToken } : {}),
  })
}
