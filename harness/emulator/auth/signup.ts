/**
 * `POST /auth/v1/signup`: email + password sign-up. With autoconfirm (the default, as on a local
 * Supabase stack) the user is confirmed and signed in at once and the answer is a session;
 * otherwise it is the unconfirmed user.
 */
import type { AuthEnv } from './config.ts'
import { sqlState } from '../../sql/index.ts'
import { GoTrueError, badRequest, unexpected, unprocessable } from './errors.ts'
import { checkPasswordStrength, objectParam, readParams, stringParam, validateEmail } from './guards.ts'
import { hashPassword } from './password.ts'
import { openSession } from './sessions.ts'
import { sessionResponse } from './tokens.ts'
import { DEFAULT_AUDIENCE, findUserByEmail, insertUser, updateUser, userJson } from './users.ts'

/** Handles a sign-up request. */
export async function signup(env: AuthEnv): Promise<Response> {
  if (env.config.disableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance')
  const params = await readParams(env)
  const password = stringParam(params, 'password')
  const phone = stringParam(params, 'phone')
  let email = stringParam(params, 'email')
  const data = objectParam(params, 'data') ?? {}
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password')
  checkPasswordStrength(password, env.config)
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.')
  }
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone signups are disabled')
  if (email === '') throw badRequest('validation_failed', 'Sign up only available with email provider')
  email = validateEmail(email)
  // Hash outside the transaction: it is the slow part, and GoTrue does the same.
  const passwordHash = await hashPassword(password, env.config.scryptLogN)
  const autoconfirm = env.config.autoconfirm
  const result = await env.ctx.db
    .transaction(async (tx) => {
      if (await findUserByEmail(tx, email)) throw unprocessable('user_already_exists', 'User already registered')
      let user = await insertUser(tx, {
        email,
        passwordHash,
        userMetadata: data,
        appMetadata: { provider: 'email', providers: ['email'] },
        confirmed: autoconfirm,
        role: 'authenticated',
        aud: DEFAULT_AUDIENCE,
      })
      if (!autoconfirm) return { body: userJson(user) }
      user = (await updateUser(tx, user.id, { lastSignInAt: true }))!
      const { session, refreshToken } = await openSession(tx, user.id)
      return { body: await sessionResponse(env, user, session, refreshToken) }
    })
    .catch((error: unknown) => {
      if (error instanceof GoTrueError || sqlState(error) === undefined) throw error
      // A trigger on auth.users (e.g. one creating a profile) failed: GoTrue's generic 500.
      throw unexpected('Database error saving new user', error)
    })
  return Response.json(result.body)
}
