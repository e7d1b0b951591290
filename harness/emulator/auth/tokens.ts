/**
 * GoTrue's `AccessTokenResponse`: the session object sign-up, sign-in and refresh answer with.
 */
import type { AuthEnv } from './config.ts'
import type { SessionRow } from './sessions.ts'
import type { UserRow } from './users.ts'
import { signJwt } from './jwt.ts'
import { userTokenClaims } from './userToken.ts'
import { userJson } from './users.ts'

/** Signs an access token for the user's session and wraps it with the refresh token. */
export async function sessionResponse(
  env: AuthEnv,
  user: UserRow,
  session: SessionRow,
  refreshToken: string,
): Promise<Record<string, unknown>> {
  const iat = Math.floor(Date.now() / 1000)
  const expiresIn = env.config.jwtExpirySeconds
  const accessToken = await signJwt(
    env.ctx.jwtSecret,
    userTokenClaims({
      sub: user.id,
      aud: user.aud,
      role: user.role,
      email: user.email ?? '',
      phone: user.phone ?? '',
      appMetadata: user.raw_app_meta_data ?? {},
      userMetadata: user.raw_user_meta_data ?? {},
      sessionId: session.id,
      aal: session.aal === 'aal2' ? 'aal2' : 'aal1',
      amr: [{ method: 'password', timestamp: Math.floor(new Date(session.created_at).getTime() / 1000) }],
      isAnonymous: user.is_anonymous,
      issuedAt: iat,
      expiresIn,
      issuer: `${env.ctx.baseUrl}/auth/v1`,
    }),
  )
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: expiresIn,
    expires_at: iat + expiresIn,
    refresh_token: refreshToken,
    user: userJson(user),
  }
}
