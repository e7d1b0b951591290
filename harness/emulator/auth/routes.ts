/**
 * The GoTrue subset as one route group under `/auth/v1`: a table of (method, path) → handler,
 * with GoTrue's error responses. Auth SQL runs on the executor itself, as GoTrue's
 * `supabase_auth_admin` connection would, never under an API role.
 */
import type { EmulatorContext, RouteHandler } from '../types.ts'
import type { AuthEnv, AuthOptions } from './config.ts'
import { adminCreateUser, adminDeleteUser, adminGetUser, adminListUsers, adminUpdateUser } from './admin.ts'
import { authConfig } from './config.ts'
import { GoTrueError, goTrueErrorResponse } from './errors.ts'
import { signup } from './signup.ts'
import { token } from './token.ts'
import { getUser, logout, updateCurrentUser } from './user.ts'

/** The path prefix of the auth routes. */
export const AUTH_PREFIX = '/auth/v1'

/** The GoTrue version `/health` reports. */
export const EMULATED_GOTRUE_VERSION = 'v2.170.0-atoms-emulator'

type Handler = (env: AuthEnv) => Promise<Response>

interface Route {
  method: string
  path: string
  pattern: RegExp
  handler: Handler
}

const route = (method: string, path: string, handler: Handler): Route => ({
  method,
  path,
  // `:id` segments capture; a trailing slash is accepted as GoTrue's router does.
  pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/:(\w+)/g, '(?<$1>[^/]+)')}/?$`),
  handler,
})

const ROUTES: Route[] = [
  route('GET', '/health', async () => Response.json(health())),
  route('GET', '/settings', async (env) => Response.json(settings(env))),
  // Only a symmetric (HS256) secret signs tokens, so there is no public key to publish.
  route('GET', '/.well-known/jwks.json', async () => Response.json({ keys: [] })),
  route('POST', '/signup', signup),
  route('POST', '/token', token),
  route('POST', '/logout', logout),
  route('GET', '/user', getUser),
  route('PUT', '/user', updateCurrentUser),
  route('GET', '/admin/users', adminListUsers),
  route('POST', '/admin/users', adminCreateUser),
  route('GET', '/admin/users/:id', adminGetUser),
  route('PUT', '/admin/users/:id', adminUpdateUser),
  route('DELETE', '/admin/users/:id', adminDeleteUser),
]

const SERVED = [...new Set(ROUTES.map((r) => `"${r.path}"`))].join(', ')

/**
 * Route groups that verify bearer tokens themselves: the dispatcher hands them a null caller
 * instead of refusing a bad token with PostgREST's 401.
 */
export const verifiesOwnTokens = new WeakSet<RouteHandler>()

/** Builds the auth route group with `options` (see `AuthOptions` for the defaults). */
export function createAuthRoutes(options: AuthOptions = {}): RouteHandler {
  const config = authConfig(options)
  const routes: RouteHandler = {
    name: 'auth',
    prefix: AUTH_PREFIX,
    // The auth routes verify bearer tokens themselves, with GoTrue's own errors; `caller` only
    // tells that the gateway accepted the `apikey`.
    async resolve(request: Request, _caller, ctx: EmulatorContext): Promise<Response> {
      const url = new URL(request.url)
      const path = url.pathname.slice(AUTH_PREFIX.length) || '/'
      try {
        const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m !== null)
        if (matches.length === 0) {
          throw new GoTrueError(
            404,
            'not_found',
            `The emulator does not serve "${request.method} ${AUTH_PREFIX}${path}"; it serves ${SERVED}.`,
          )
        }
        const hit = matches.find((x) => x.r.method === request.method)
        if (!hit) {
          throw new GoTrueError(405, 'method_not_allowed', `Method "${request.method}" is not allowed on "${AUTH_PREFIX}${path}"`)
        }
        const params = { ...hit.m!.groups }
        return await hit.r.handler({ request, url, ctx, config, params })
      } catch (error) {
        if (error instanceof GoTrueError) return goTrueErrorResponse(error, request)
        throw error
      }
    },
  }
  verifiesOwnTokens.add(routes)
  return routes
}

/** The auth route group with default options. */
export const authRoutes: RouteHandler = createAuthRoutes()

function health(): Record<string, unknown> {
  return {
    version: EMULATED_GOTRUE_VERSION,
    name: 'GoTrue',
    description: 'GoTrue is a user registration and authentication API',
  }
}

function settings(env: AuthEnv): Record<string, unknown> {
  const external = Object.fromEntries(
    ['anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'snapchat', 'figma', 'fly', 'github',
      'gitlab', 'google', 'keycloak', 'kakao', 'linkedin', 'linkedin_oidc', 'notion', 'spotify', 'slack', 'slack_oidc',
      'workos', 'twitch', 'twitter', 'email', 'phone', 'zoom'].map((name) => [name, name === 'email']),
  )
  return {
    external,
    disable_signup: env.config.disableSignup,
    mailer_autoconfirm: env.config.autoconfirm,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  }
}
