/**
 * `POST /auth/v1/token?grant_type=password|refresh_token`. Refresh tokens rotate: each use
 * revokes the token and issues its child. Presenting a revoked token again is refused and revokes
 * every token of its session — except the parent of the session's newest token, which GoTrue
 * answers with that newest token (a client that lost the previous answer can recover).
 * @see https://supabase.com/docs/guides/auth/sessions#refresh-token-reuse-detection
 */
import type { AuthEnv } from './config.ts'
import { badRequest, unprocessable } from './errors.ts'
import { readParams, stringParam } from './guards.ts'
import { verifyPassword } from './password.ts'
import {
  activeRefreshToken,
  findRefreshToken,
  findSession,
  isRefreshTokenShape,
  openSession,
  revokeTokenFamily,
  rotateRefreshToken,
} from './sessions.ts'
import { sessionResponse } from './tokens.ts'
import { findUserByEmail, findUserById, isBanned, updateUser } from './users.ts'

const INVALID_LOGIN = 'Invalid login credentials'

/** Dispatches on `grant_type`. */
export async function token(env: AuthEnv): Promise<Response> {
  switch (env.url.searchParams.get('grant_type')) {
    case 'password':
      return passwordGrant(env)
    case 'refresh_token':
      return refreshTokenGrant(env)
    default:
      throw badRequest('invalid_credentials', 'unsupported_grant_type')
  }
}

async function passwordGrant(env: AuthEnv): Promise<Response> {
  const params = await readParams(env)
  const email = stringParam(params, 'email')
  const phone = stringParam(params, 'phone')
  const password = stringParam(params, 'password')
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.')
  }
  if (phone !== '') throw unprocessable('phone_provider_disabled', 'Phone logins are disabled')
  if (email === '') throw badRequest('validation_failed', 'missing email or phone')
  const body = await env.ctx.db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, email)
    if (!user || !user.encrypted_password) throw badRequest('invalid_credentials', INVALID_LOGIN)
    if (isBanned(user)) throw badRequest('user_banned', 'User is banned')
    if (!(await verifyPassword(password, user.encrypted_password, tx))) throw badRequest('invalid_credentials', INVALID_LOGIN)
    if (user.email_confirmed_at === null) throw badRequest('email_not_confirmed', 'Email not confirmed')
    user = (await updateUser(tx, user.id, { lastSignInAt: true }))!
    const { session, refreshToken } = await openSession(tx, user.id)
    return sessionResponse(env, user, session, refreshToken)
  })
  return Response.json(body)
}

type RefreshOutcome = { body: Record<string, unknown> } | { reused: true }

async function refreshTokenGrant(env: AuthEnv): Promise<Response> {
  const params = await readParams(env)
  const presented = params.refresh_token
  if (!isRefreshTokenShape(presented)) throw badRequest('validation_failed', 'Refresh token is not valid')
  // The family revocation must be committed even though the request fails, so the transaction
  // returns the outcome instead of throwing it.
  const outcome = await env.ctx.db.transaction(async (tx): Promise<RefreshOutcome> => {
    const row = await findRefreshToken(tx, presented)
    if (!row) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
    const user = await findUserById(tx, row.user_id)
    if (!user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned')
    if (!row.session_id || !row.session_exists) {
      throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found')
    }
    if (row.session_not_after !== null && new Date(row.session_not_after).getTime() <= Date.now()) {
      throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired')
    }
    let issued: string | undefined
    if (row.revoked) {
      const active = await activeRefreshToken(tx, row.session_id)
      if (active && active.parent === row.token) {
        issued = active.token
      } else {
        const reuseUntil = new Date(row.updated_at).getTime() + env.config.refreshTokenReuseIntervalSeconds * 1000
        if (Date.now() > reuseUntil) {
          await revokeTokenFamily(tx, row.session_id)
          return { reused: true }
        }
      }
    }
    issued ??= await rotateRefreshToken(tx, row)
    const session = (await findSession(tx, row.session_id))!
    return { body: await sessionResponse(env, user, session, issued) }
  })
  if ('reused' in outcome) throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used')
  return Response.json(outcome.body)
}
