export type { Caller, EmulatorContext, RouteHandler } from './types.ts'
export type { Emulator, EmulatorOptions } from './core.ts'
export type { MswEmulator, StrayRequest } from './msw.ts'
export type { ServeOptions, ServedEmulator } from './http.ts'
export type { ApiKeyRole, CreateKeysOptions, EmulatorKeys } from './keys.ts'
export type { AuthOptions, UserTokenOptions } from './auth/index.ts'
export { DEFAULT_BASE_URL, createEmulator, defaultRoutes, dispatch, emulatorFetch } from './core.ts'
export { StrayRequestError, emulatorHandlers, startMsw } from './msw.ts'
export { ServeError, serveEmulator } from './http.ts'
export { DEFAULT_PROJECT_REF, WeakJwtSecretError, createKeys, randomJwtSecret, signApiKey } from './keys.ts'
export { InternalError } from './errors.ts'
export {
  AUTH_PREFIX,
  BearerTokenError,
  CallerError,
  ForbiddenRoleError,
  GoTrueError,
  InvalidApiKeyError,
  JwtVerificationError,
  MissingApiKeyError,
  authRoutes,
  createAuthRoutes,
  resolveCaller,
  signJwt,
  signUserToken,
  userTokenClaims,
  verifyJwt,
} from './auth/index.ts'
