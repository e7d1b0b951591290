/**
 * supabase-js clients. Every tool call gets a client that carries the caller's access token, so
 * PostgREST runs its SQL as `authenticated` with the caller's claims and RLS decides.
 */
import type { SupabaseClient } from '@supabase/supabase-js'

import { createClient } from '@supabase/supabase-js'
import { LRUCache } from 'lru-cache'

/** Where the Supabase project is. */
export interface SupabaseTarget {
  url: string
  anonKey: string
  /** A `fetch` for supabase-js (tests route it through msw or a loopback server). */
  fetch?: typeof fetch
}

/**
 * A client acting as the caller. The `accessToken` option makes supabase-js send the token as
 * the bearer on every request and skips its own auth client (no session storage, no refresh
 * timers), which is what a server acting for someone else wants.
 */
export function createUserClient(target: SupabaseTarget, accessToken: string): SupabaseClient {
  return createClient(target.url, target.anonKey, {
    accessToken: async () => accessToken,
    global: target.fetch ? { fetch: target.fetch } : {},
    db: { schema: 'public' },
  })
}

/**
 * A small cache of per-token clients: one MCP session sends many calls with the same token, and
 * building a supabase-js client is the most expensive step of a short call. Entries are keyed by
 * the full token (a new token gets a new client) and the least recently used is dropped past `max`.
 */
export class UserClientCache {
  readonly #target: SupabaseTarget
  readonly #clients: LRUCache<string, SupabaseClient>

  constructor(target: SupabaseTarget, max = 256) {
    this.#target = target
    this.#clients = new LRUCache({ max })
  }

  /** The client for `accessToken`, created on first use. */
  get(accessToken: string): SupabaseClient {
    let client = this.#clients.get(accessToken)
    if (!client) this.#clients.set(accessToken, (client = createUserClient(this.#target, accessToken)))
    return client
  }
}
