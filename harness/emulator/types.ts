/**
 * The contract between the emulator's parts: route groups (PostgREST, GoTrue) are plain values
 * with a `(Request) => Response` resolver, dispatched by one pure function that both the msw
 * adapter (dry) and the node:http adapter (cold) call.
 */
import type { DbRole, JwtClaims, SqlExecutor } from '../sql/index.ts'

/** Who a request runs as, resolved once from `apikey` and `Authorization` before any route runs. */
export interface Caller {
  role: DbRole
  /** The verified JWT claims (for anon and service keys, the key's own claims). */
  claims: JwtClaims
  /** The bearer token as sent, for routes that need it (GoTrue `/user`, `/logout`). */
  token: string
}

/** What every route resolver receives besides the request. */
export interface EmulatorContext {
  db: SqlExecutor
  /** HS256 secret that signs every key and access token of this instance. */
  jwtSecret: string
  anonKey: string
  serviceRoleKey: string
  /** The public base URL (e.g. `http://127.0.0.1:54321`), used in absolute links. */
  baseUrl: string
  /** Run request statements prepared (PostgREST's `db-prepared-statements`). */
  preparedStatements: boolean
}

/** One route group, e.g. `rest` for `/rest/v1/*` or `auth` for `/auth/v1/*`. */
export interface RouteHandler {
  /** A short name for logs and errors. */
  name: string
  /** The path prefix it serves, e.g. `/rest/v1`. */
  prefix: string
  /**
   * Answers a request under `prefix`. `caller` is null when the request carried no valid
   * `apikey`/`Authorization` (routes decide whether that is allowed; Supabase refuses most).
   */
  resolve(request: Request, caller: Caller | null, ctx: EmulatorContext): Promise<Response>
}
