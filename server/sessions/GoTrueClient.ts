/**
 * The token client: Supabase Auth (GoTrue) grants over HTTP. `password` signs in, `refresh`
 * exchanges a refresh token for a new pair, `logout` ends the upstream session.
 * @see https://supabase.com/docs/reference/self-hosting-auth/introduction
 */
import type { Clock } from './clock.ts'
import type { TokenPair } from './types.ts'
import { z } from 'zod'
import { systemClock } from './clock.ts'
import { SessionInputError, UpstreamAuthError } from './errors.ts'

/** What the session layer needs from Supabase Auth. */
export interface TokenClient {
  /** `grant_type=password`. */
  password(email: string, password: string): Promise<TokenPair>
  /** `grant_type=refresh_token`. */
  refresh(refreshToken: string): Promise<TokenPair>
  /** Ends the upstream session of this access token (`scope=local`). */
  logout(accessToken: string): Promise<void>
}

/** Options of `GoTrueClient`. */
export interface GoTrueClientOptions {
  /** Project URL (`SUPABASE_URL`), without `/auth/v1`. */
  url: string
  /** Anon key (`SUPABASE_ANON_KEY`), sent as `apikey`. */
  apiKey: string
  /** Per-call timeout (default 5000 ms). */
  timeoutMs?: number
  /** Clock that turns `expires_in` into an expiry (default: wall clock). */
  clock?: Clock
  /** fetch to use (default: global fetch). */
  fetch?: typeof fetch
}

const grantSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  expires_at: z.number().optional(),
  user: z.object({ id: z.string().min(1), email: z.string().nullish() }),
})

/** A `TokenClient` for a Supabase project (or the emulator). */
export class GoTrueClient implements TokenClient {
  #base: string
  #apiKey: string
  #timeoutMs: number
  #clock: Clock
  #fetch: typeof fetch

  constructor(options: GoTrueClientOptions) {
    if (!options.url || !/^https?:\/\//.test(options.url)) throw new SessionInputError(`GoTrueClient needs an http(s) "url" (SUPABASE_URL), got "${options.url}"`)
    if (!options.apiKey) throw new SessionInputError('GoTrueClient needs "apiKey" (SUPABASE_ANON_KEY)')
    this.#base = options.url.replace(/\/+$/, '') + '/auth/v1'
    this.#apiKey = options.apiKey
    this.#timeoutMs = options.timeoutMs ?? 5000
    this.#clock = options.clock ?? systemClock
    this.#fetch = options.fetch ?? fetch
  }

  password(email: string, password: string): Promise<TokenPair> {
    return this.#grant('password', { email, password })
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.#grant('refresh_token', { refresh_token: refreshToken })
  }

  async logout(accessToken: string): Promise<void> {
    const response = await this.#post('/logout?scope=local', undefined, accessToken)
    if (!response.ok && response.status !== 401 && response.status !== 404) throw await this.#error(response, 'logout')
  }

  async #grant(grant: 'password' | 'refresh_token', body: object): Promise<TokenPair> {
    const response = await this.#post(`/token?grant_type=${grant}`, body)
    if (!response.ok) throw await this.#error(response, grant)
    const parsed = grantSchema.safeParse(await response.json().catch(() => null))
    if (!parsed.success) throw new UpstreamAuthError(`Supabase Auth answered the "${grant}" grant with an unexpected body; check SUPABASE_URL`, response.status, false)
    const d = parsed.data
    return {
      accessToken: d.access_token,
      refreshToken: d.refresh_token,
      // expires_in is relative, so it is immune to clock skew between us and Supabase Auth.
      expiresAt: this.#clock.now() + d.expires_in * 1000,
      user: { id: d.user.id, email: d.user.email ?? null },
    }
  }

  async #post(path: string, body: object | undefined, bearer?: string): Promise<Response> {
    const headers: Record<string, string> = { apikey: this.#apiKey, 'content-type': 'application/json' }
    if (bearer) headers.authorization = `Bearer ${bearer}`
    try {
      return await this.#fetch(this.#base + path, {
        method: 'POST',
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (error) {
      throw new UpstreamAuthError(`Supabase Auth at "${this.#base}" did not answer (${(error as Error)?.name ?? 'error'}); check that it is running`, 0, true, { cause: error })
    }
  }

  async #error(response: Response, what: string): Promise<UpstreamAuthError> {
    const body = await response.json().catch(() => ({})) as Record<string, unknown>
    const detail = String(body.error_description ?? body.msg ?? body.message ?? body.error ?? response.statusText)
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408
    return new UpstreamAuthError(`Supabase Auth refused "${what}" (${response.status}): ${detail}`, response.status, retryable)
  }
}
