export type { AuthOptions } from './config.ts'
export type { UserTokenOptions, AmrEntry } from './userToken.ts'
export type { JwtFailure, VerifyJwtOptions } from './jwt.ts'
export { AUTH_PREFIX, authRoutes, createAuthRoutes, verifiesOwnTokens } from './routes.ts'
export {
  AUTHENTICATED_AUDIENCE,
  BearerTokenError,
  CallerError,
  ForbiddenRoleError,
  InvalidApiKeyError,
  MissingApiKeyError,
  resolveCaller,
} from './caller.ts'
export { JwtVerificationError, signJwt, verifyJwt } from './jwt.ts'
export { signUserToken, userTokenClaims } from './userToken.ts'
export { GoTrueError } from './errors.ts'
export { UnsupportedPasswordHashError, hashPassword } from './password.ts'
