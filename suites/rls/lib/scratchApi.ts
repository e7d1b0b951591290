/**
 * A Supabase API over a scratch database: the project's emulator on that database, reached by
 * supabase-js through a `fetch` that calls the emulator directly (no socket, nothing for msw to
 * intercept). Lets the suite's checking functions run unchanged against a database whose
 * policies a fault proof has broken.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SqlExecutor } from '../../../harness/sql/index.ts'
import type { Person } from './world.ts'
import { createClient } from '@supabase/supabase-js'
import { createEmulator, signUserToken } from '../../../harness/emulator/index.ts'
import { SeedError } from './errors.ts'

/** A user of the scratch API, with a client that sends its token. */
export interface ScratchPerson extends Person {
  client: SupabaseClient
}

/** Clients of the emulator on one scratch database. */
export interface ScratchApi {
  anon: SupabaseClient
  service: SupabaseClient
  /** Creates a confirmed user through the admin API and signs a token for it. */
  createPerson(email: string): Promise<ScratchPerson>
}

const AUTH = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } as const

/** Serves the emulator on `db` to supabase-js clients made here. */
export async function scratchApi(db: SqlExecutor): Promise<ScratchApi> {
  const emulator = await createEmulator({ db })
  const url = emulator.ctx.baseUrl
  const fetchDirect = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => emulator.handle(new Request(input, init))
  const client = (key: string, token?: string): SupabaseClient =>
    createClient(url, key, {
      auth: AUTH,
      global: { fetch: fetchDirect, ...(token ? { headers: { Authorization: `Bearer ${token}` } } : {}) },
    })
  const service = client(emulator.serviceRoleKey)
  return {
    anon: client(emulator.anonKey),
    service,
    async createPerson(email) {
      const { data, error } = await service.auth.admin.createUser({ email, email_confirm: true })
      if (error || !data.user) throw new SeedError('auth.users', `user "${email}": ${error?.message ?? 'no user returned'}`)
      const token = await signUserToken(emulator.jwtSecret, { sub: data.user.id, email })
      return { id: data.user.id, email, client: client(emulator.anonKey, token) }
    },
  }
}
