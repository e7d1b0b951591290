/** The project's Supabase emulator as the session tests' Auth server, for real GoTrue tokens. */
import type { Emulator } from '../../../harness/emulator/index.ts'
import type { TokenVerifier } from '../../http/auth.ts'
import type { TokenPair } from '../types.ts'
import { createEmulator, serveEmulator } from '../../../harness/emulator/index.ts'
import { openEngine } from '../../../harness/testing/index.ts'
import { createTokenVerifier } from '../../http/auth.ts'
import { GoTrueClient } from '../GoTrueClient.ts'

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
