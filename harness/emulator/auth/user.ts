/**
 * The signed-in user's own endpoints: `GET /user`, `PUT /user`, `POST /logout`.
 */
import type { AuthEnv } from './config.ts'
import type { LogoutScope } from './sessions.ts'
import { audienceIncludes } from './jwt.ts'
import { badRequest, forbidden, unprocessable } from './errors.ts'
import {
  checkPasswordStrength,
  isAdminClaims,
  objectParam,
  readParams,
  requireAuthentication,
  stringParam,
  validateEmail,
} from './guards.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { logout as endSessions } from './sessions.ts'
import { DEFAULT_AUDIENCE, findUserByEmail, updateUser, userJson } from './users.ts'

/** `GET /user`: the user of the bearer token, if its audience is the request's. */
export async function getUser(env: AuthEnv): Promise<Response> {
  const { claims, user } = await requireAuthentication(env)
  const aud = env.request.headers.get('x-jwt-aud') || DEFAULT_AUDIENCE
  const tokenAud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud
  if (tokenAud === undefined || !audienceIncludes(tokenAud, aud)) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience")
  }
  return Response.json(userJson(user))
}

/** `PUT /user`: user metadata, password and (confirmed at once) email changes. */
export async function updateCurrentUser(env: AuthEnv): Promise<Response> {
  const { claims, user } = await requireAuthentication(env)
  const params = await readParams(env)
  let email = stringParam(params, 'email')
  const phone = stringParam(params, 'phone')
  const password = params.password === undefined || params.password === null ? undefined : stringParam(params, 'password')
  const data = objectParam(params, 'data')
  const appData = objectParam(params, 'app_metadata')
  if (email !== '') email = validateEmail(email)
  if (password !== undefined) checkPasswordStrength(password, env.config)
  if (appData !== undefined && !isAdminClaims(claims)) {
    throw forbidden('not_admin', 'Updating app_metadata requires admin privileges')
  }
  if (phone !== '' && phone !== (user.phone ?? '')) {
    throw unprocessable('phone_provider_disabled', 'Phone changes are not supported by the emulator (it has no SMS provider)')
  }
  const passwordHash =
    password !== undefined && password !== '' ? await hashPassword(password, env.config.scryptLogN) : undefined
  const updated = await env.ctx.db.transaction(async (tx) => {
    if (password !== undefined && password !== '' && (await verifyPassword(password, user.encrypted_password, tx))) {
      throw unprocessable('same_password', 'New password should be different from the old password.')
    }
    const changesEmail = email !== '' && email !== (user.email ?? '').toLowerCase()
    if (changesEmail) {
      const other = await findUserByEmail(tx, email)
      if (other && other.id !== user.id) {
        throw unprocessable('email_exists', 'A user with this email address has already been registered')
      }
    }
    return updateUser(tx, user.id, {
      email: changesEmail ? email : undefined,
      passwordHash,
      userMetadata: data,
      appMetadata: appData,
    })
  })
  return Response.json(userJson(updated!))
}

/** `POST /logout?scope=global|local|others`: ends sessions, which revokes their refresh tokens. */
export async function logout(env: AuthEnv): Promise<Response> {
  const { user, session } = await requireAuthentication(env)
  const scopeParam = env.url.searchParams.get('scope') ?? ''
  const scope: LogoutScope | undefined =
    scopeParam === '' || scopeParam === 'global' ? 'global' : scopeParam === 'local' || scopeParam === 'others' ? scopeParam : undefined
  if (!scope) throw badRequest('validation_failed', `Unsupported logout scope "${scopeParam}"`)
  await env.ctx.db.transaction((tx) => endSessions(tx, user.id, session?.id, scope))
  return new Response(null, { status: 204 })
}
