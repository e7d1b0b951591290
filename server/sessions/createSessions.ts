/**
 * One call that wires the session layer for the server's HTTP transport: settings, store,
 * Supabase Auth client, manager (with its background sweep) and middleware.
 */
import type { TokenVerifier } from '../http/auth.ts'
import type { Middleware } from '../http/types.ts'
import type { Clock } from './clock.ts'
import type { SessionConfigInput } from './config.ts'
import type { TokenClient } from './GoTrueClient.ts'
import type { SessionMiddlewareOptions } from './middleware.ts'
import type { SessionStore } from './storage/types.ts'
import { sessionConfigFromEnv } from './config.ts'
import { SessionConfigError } from './errors.ts'
import { GoTrueClient } from './GoTrueClient.ts'
import { sessionMiddleware } from './middleware.ts'
import { SessionManager } from './SessionManager.ts'
import { sessionStoreFromEnv } from './storage/createStore.ts'

/** Options of `createSessions`; everything not given comes from `env`. */
export interface CreateSessionsOptions {
  /** Default `process.env`. */
  env?: Record<string, string | undefined>
  /** Settings; default from `ATOMS_SESSION_*` variables. */
  config?: SessionConfigInput
  /** Store; default from `ATOMS_SESSION_STORE` / `REDIS_URL` / `UPSTASH_REDIS_REST_*`. Left open on `close` when given. */
  store?: SessionStore
  /** Supabase Auth client; default a `GoTrueClient` on `SUPABASE_URL` + `SUPABASE_ANON_KEY`. */
  tokenClient?: TokenClient
  /**
   * The transport's access-token verifier (server/http/auth.ts): bare Supabase access tokens it
   * accepts are adopted as sessions. Without it only tokens from `/auth/login` and `/auth/session` pass.
   */
  verifier?: TokenVerifier
  clock?: Clock
  /** Start the background sweep (default true). */
  sweep?: boolean
  middleware?: SessionMiddlewareOptions
}

/** The wired session layer. */
export interface Sessions {
  manager: SessionManager
  middleware: Middleware
  store: SessionStore
  /** Stops the sweep and closes the store if it was created here. */
  close(): Promise<void>
}

/** Builds the session layer for a server instance. */
export function createSessions(options: CreateSessionsOptions = {}): Sessions {
  const env = options.env ?? process.env
  const config = options.config ?? sessionConfigFromEnv(env)
  const prefix = config.keyPrefix ?? 'atoms:sessions:'
  const store = options.store ?? sessionStoreFromEnv(env, prefix, options.clock)
  let tokenClient = options.tokenClient
  if (!tokenClient) {
    if (!env.SUPABASE_URL || !env.SUPABASE_ANON_KEY) {
      throw new SessionConfigError(['"SUPABASE_URL" and "SUPABASE_ANON_KEY" must be set for the session layer to reach Supabase Auth'])
    }
    tokenClient = new GoTrueClient({ url: env.SUPABASE_URL, apiKey: env.SUPABASE_ANON_KEY, timeoutMs: config.refreshTimeoutMs ?? 5000, ...(options.clock ? { clock: options.clock } : {}) })
  }
  const manager = new SessionManager({
    store, tokenClient, config, ...(options.clock ? { clock: options.clock } : {}), ...(options.verifier ? { verifier: options.verifier } : {}),
  })
  if (options.sweep !== false) manager.start()
  return {
    manager,
    store,
    middleware: sessionMiddleware(manager, options.middleware),
    async close() {
      await manager.stop()
      if (!options.store) await store.close()
    },
  }
}
