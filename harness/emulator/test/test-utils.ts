/**
 * Shared helpers of the emulator's behaviour tests: an emulator on a fresh database (PGlite or
 * the machine's Postgres), served over msw or loopback HTTP, and real supabase-js clients on it.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SqlExecutor } from '../../sql/index.ts'
import type { EngineName } from '../../testing/index.ts'
import type { AuthOptions, Emulator } from '../index.ts'
import { createClient } from '@supabase/supabase-js'
import { ENGINES, openEngine } from '../../testing/index.ts'
import { createEmulator, serveEmulator, startMsw } from '../index.ts'
import { closeAll } from '../../internal/closeAll.ts'

/** How supabase-js reaches the emulator: msw in-process (dry) or loopback HTTP (cold). */
export const TRANSPORTS = ['msw', 'http'] as const
export type Transport = (typeof TRANSPORTS)[number]

/** The four combinations every conformance test runs in. */
export const COMBINATIONS = TRANSPORTS.flatMap((transport) =>
  ENGINES.map((engine) => ({ transport, engine, label: `${transport} × ${engine}` })),
)

/** The origin the msw handlers serve (never resolvable, so nothing can leak to a network). */
export const DRY_ORIGIN = 'http://emulator.dry.invalid'

/** A running emulator and ways to reach it. */
export interface EmulatorFixture {
  emulator: Emulator
  db: SqlExecutor
  /** The `SUPABASE_URL` clients use. */
  url: string
  /** A fresh client with `key` (default the anon key) and optional extra headers. */
  client(key?: string, headers?: Record<string, string>): SupabaseClient
  /** Signs a new user up through supabase-js and returns a client holding its session. */
  signUp(email: string, password?: string, data?: Record<string, unknown>): Promise<SignedUp>
  /** A plain `fetch` to a path of the emulator with the anon key unless `headers` say otherwise. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

/** A signed-up user with a client holding its session. */
export interface SignedUp {
  client: SupabaseClient
  userId: string
  accessToken: string
  refreshToken: string
}

const CLIENT_OPTIONS = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
} as const

/** Opens a database on `engine` and serves an emulator on it over `transport`. */
export async function openEmulator(
  engine: EngineName,
  transport: Transport,
  options: { migrate?: boolean; auth?: AuthOptions; setupSql?: string } = {},
): Promise<EmulatorFixture> {
  const opened = await openEngine(engine, { migrate: options.migrate ?? false })
  const closers: (() => Promise<void> | void)[] = [opened.dispose]
  try {
    if (options.setupSql) await opened.db.exec(options.setupSql)
    const emulator = await createEmulator({ db: opened.db, auth: options.auth })
    let url: string
    if (transport === 'msw') {
      const msw = startMsw(emulator, DRY_ORIGIN)
      closers.unshift(() => msw.assertNoStrays(), () => msw.close())
      url = DRY_ORIGIN
    } else {
      const served = await serveEmulator(emulator)
      closers.unshift(served.close)
      url = served.url
    }
    const client = (key = emulator.anonKey, headers: Record<string, string> = {}) =>
      createClient(url, key, { ...CLIENT_OPTIONS, global: { headers } })
    return {
      emulator,
      db: opened.db,
      url,
      client,
      async signUp(email, password = 'correct-horse-1', data = {}) {
        const user = client()
        const { data: result, error } = await user.auth.signUp({ email, password, options: { data } })
        if (error || !result.session || !result.user) throw error ?? new Error(`Sign-up of "${email}" returned no session.`)
        return {
          client: user,
          userId: result.user.id,
          accessToken: result.session.access_token,
          refreshToken: result.session.refresh_token,
        }
      },
      fetch(path, init = {}) {
        const headers = new Headers(init.headers)
        if (!headers.has('apikey')) headers.set('apikey', emulator.anonKey)
        return fetch(`${url}${path}`, { ...init, headers })
      },
      close: () => closeAll(closers),
    }
  } catch (error) {
    await closeAll(closers)
    throw error
  }
}

/** The claims of a JWT, without verifying it (tests inspect what the emulator signed). */
export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'))
}

/** An unsigned (`alg: none`) token carrying `claims`. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`
}

let sequence = 0
/** A unique email address for one test. */
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${++sequence}@example.com`
}
