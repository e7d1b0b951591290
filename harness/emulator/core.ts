/**
 * The emulator's request → response core: one pure function that both adapters (msw for dry,
 * node:http for cold) call. It plays the API gateway (CORS, the `apikey` check, routing by path
 * prefix) and hands each request to the first route group whose prefix matches.
 */
import type { SqlExecutor } from '../sql/index.ts'
import type { AuthOptions } from './auth/index.ts'
import type { Caller, EmulatorContext, RouteHandler } from './types.ts'
import {
  BearerTokenError,
  CallerError,
  ForbiddenRoleError,
  MissingApiKeyError,
  createAuthRoutes,
  resolveCaller,
  verifiesOwnTokens,
} from './auth/index.ts'
import { InternalError, logError } from './errors.ts'
import { createKeys } from './keys.ts'
import { restRoutes } from './rest/index.ts'

/** Where the emulator says it lives unless told (the port of a local Supabase stack). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:54321'

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** The database every route runs on (bootstrapped with `supabase/bootstrap.sql`). */
  db: SqlExecutor
  /** HS256 secret for keys and tokens (at least 32 characters); random per instance when absent. */
  jwtSecret?: string
  /** The public base URL (default http://127.0.0.1:54321); `serveEmulator` sets the real one. */
  baseUrl?: string
  /** The `ref` claim of the API keys (default "emulator"). */
  ref?: string
  /** GoTrue settings (token lifetime, refresh-token reuse interval, autoconfirm, …). */
  auth?: AuthOptions
  /** Route groups, first matching prefix wins (default: auth, then rest). */
  routes?: RouteHandler[]
  /**
   * Keep each request's statement prepared on its connection, like PostgREST's
   * `db-prepared-statements` (default true). Off for a pooler that cannot hold them
   * (PgBouncer in transaction mode).
   */
  preparedStatements?: boolean
}

/** One emulator instance: a Supabase project without a network. */
export interface Emulator {
  /** Answers one request; never throws (an emulator bug is a 500). */
  handle(request: Request): Promise<Response>
  /** The project's anon key (`apikey` for public clients). */
  readonly anonKey: string
  /** The project's service key (bypasses RLS; admin auth API). */
  readonly serviceRoleKey: string
  /** The HS256 secret; sign test tokens with it (see `signUserToken`). */
  readonly jwtSecret: string
  /** What every route receives; `baseUrl` follows where the emulator is served. */
  readonly ctx: EmulatorContext
  /** The route groups in dispatch order. */
  readonly routes: readonly RouteHandler[]
}

/** The route groups the emulator serves by default. */
export function defaultRoutes(auth: AuthOptions = {}): RouteHandler[] {
  return [createAuthRoutes(auth), restRoutes]
}

/** Creates an emulator on `db`: signs the keys and assembles the routes. No socket is opened. */
export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const keys = await createKeys({ jwtSecret: options.jwtSecret, ref: options.ref })
  const ctx: EmulatorContext = {
    db: options.db,
    jwtSecret: keys.jwtSecret,
    anonKey: keys.anonKey,
    serviceRoleKey: keys.serviceRoleKey,
    baseUrl: trimSlash(options.baseUrl ?? DEFAULT_BASE_URL),
    preparedStatements: options.preparedStatements ?? true,
  }
  const routes = options.routes ?? defaultRoutes(options.auth)
  return {
    handle: (request) => dispatch(request, routes, ctx),
    anonKey: keys.anonKey,
    serviceRoleKey: keys.serviceRoleKey,
    jwtSecret: keys.jwtSecret,
    ctx,
    routes,
  }
}

/**
 * A `fetch` that answers requests under `baseUrl` straight from the emulator (no msw, no socket)
 * and passes every other request to the global `fetch`: for a client given its own fetch
 * (`createClient(url, key, { global: { fetch } })`) where msw is not wanted. Dry mode uses msw
 * (`startMsw`), which also catches requests that leave for elsewhere.
 */
export function emulatorFetch(emulator: Emulator, baseUrl = emulator.ctx.baseUrl): typeof fetch {
  const base = trimSlash(baseUrl)
  return async (input, init) => {
    const request = new Request(input, init)
    const url = request.url
    if (url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`)) return emulator.handle(request)
    return fetch(request)
  }
}

/** Headers a browser may read, as Supabase's gateway exposes them. */
const EXPOSE_HEADERS =
  'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit'

/**
 * Dispatches one request: CORS preflight, route lookup, caller resolution, then the route.
 * Pure apart from the database: usable without any server.
 */
export async function dispatch(request: Request, routes: readonly RouteHandler[], ctx: EmulatorContext): Promise<Response> {
  let response: Response
  try {
    response = await answer(request, routes, ctx)
  } catch (error) {
    const internal = error instanceof InternalError ? error : new InternalError(describe(error), { cause: error })
    const where = `${request.method} ${new URL(request.url).pathname}`
    // Only the stack: database errors carry their bound parameters, which may be secrets.
    logError(`bug while answering "${where}": ${stackOf(internal.cause ?? internal)}`)
    response = Response.json(
      {
        code: internal.code,
        message: `The emulator failed on "${where}": ${internal.message}`,
        details: null,
        hint: 'This is a bug in the emulator, not in the request; the log above has the stack.',
      },
      { status: 500 },
    )
  }
  return withCors(response)
}

async function answer(request: Request, routes: readonly RouteHandler[], ctx: EmulatorContext): Promise<Response> {
  if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) return preflight(request)
  const { pathname } = new URL(request.url)
  const route = routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`))
  if (!route) return Response.json({ message: 'no Route matched with those values' }, { status: 404 })
  let caller: Caller | null
  try {
    caller = await resolveCaller(request, ctx)
    if (caller === null) return new MissingApiKeyError().toResponse()
  } catch (error) {
    // GoTrue judges bearer tokens itself, with its own errors, and ignores them where it needs none.
    if ((error instanceof BearerTokenError || error instanceof ForbiddenRoleError) && verifiesOwnTokens.has(route)) {
      caller = null
    } else if (error instanceof CallerError) {
      return error.toResponse()
    } else {
      throw error
    }
  }
  return route.resolve(await withoutApiKeyParam(request), caller, ctx)
}

/**
 * The gateway strips the `apikey` query parameter (Kong's `hide_credentials`), so PostgREST
 * never mistakes it for a filter.
 */
async function withoutApiKeyParam(request: Request): Promise<Request> {
  const url = new URL(request.url)
  if (!url.searchParams.has('apikey')) return request
  url.searchParams.delete('apikey')
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer()
  return new Request(url, { method: request.method, headers: request.headers, body, signal: request.signal })
}

/** The gateway's answer to a CORS preflight (no `apikey` needed: browsers send none). */
function preflight(request: Request): Response {
  const headers = new Headers({
    'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Max-Age': '3600',
  })
  const requested = request.headers.get('access-control-request-headers')
  if (requested) headers.set('Access-Control-Allow-Headers', requested)
  return new Response(null, { status: 200, headers })
}

function withCors(response: Response): Response {
  const extra: Record<string, string> = { 'Access-Control-Allow-Origin': '*' }
  if (!response.headers.has('Access-Control-Expose-Headers')) extra['Access-Control-Expose-Headers'] = EXPOSE_HEADERS
  try {
    for (const [name, value] of Object.entries(extra)) response.headers.set(name, value)
    return response
  } catch {
    // Headers of a fetched response are immutable: copy them.
    const headers = new Headers(response.headers)
    for (const [name, value] of Object.entries(extra)) headers.set(name, value)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

function stackOf(error: unknown): string {
  return error instanceof Error ? (error.stack ?? describe(error)) : String(error)
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
