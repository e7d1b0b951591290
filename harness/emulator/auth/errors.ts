/**
 * GoTrue's error responses. A client that sends `X-Supabase-Api-Version: 2024-01-01` (auth-js
 * always does) gets `{code: '<error_code>', message}`; older clients get
 * `{code: <status>, error_code, msg}`. Both carry the `x-sb-error-code` header.
 * @see https://supabase.com/docs/guides/auth/debugging/error-codes
 */

/** The request header that selects GoTrue's error format, echoed back on errors. */
export const API_VERSION_HEADER = 'X-Supabase-Api-Version'
const API_VERSION_2024 = '2024-01-01'

/** A GoTrue error: HTTP status, stable `error_code` and message, as GoTrue words them. */
export class GoTrueError extends Error {
  override name = 'GoTrueError'
  readonly status: number
  readonly code: string
  /** Extra top-level fields of the body (e.g. `weak_password`). */
  readonly extra: Record<string, unknown> | undefined
  constructor(status: number, code: string, message: string, extra?: Record<string, unknown>) {
    super(message)
    this.status = status
    this.code = code
    this.extra = extra
  }
}

/** 400 with `code`. */
export const badRequest = (code: string, message: string) => new GoTrueError(400, code, message)
/** 403 with `code`. */
export const forbidden = (code: string, message: string) => new GoTrueError(403, code, message)
/** 404 with `code`. */
export const notFound = (code: string, message: string) => new GoTrueError(404, code, message)
/** 422 with `code`. */
export const unprocessable = (code: string, message: string) => new GoTrueError(422, code, message)
/** 500 `unexpected_failure`, for database errors GoTrue reports without detail. */
export const unexpected = (message: string, cause?: unknown) => {
  const error = new GoTrueError(500, 'unexpected_failure', message)
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause
  return error
}

/** Password too weak: 422 `weak_password` with the failed checks in `weak_password.reasons`. */
export function weakPassword(message: string, reasons: string[]): GoTrueError {
  return new GoTrueError(422, 'weak_password', message, { weak_password: { reasons } })
}

/** True when the request asked for GoTrue's 2024-01-01 API (or later). */
export function wantsApi2024(request: Request): boolean {
  const value = request.headers.get(API_VERSION_HEADER)
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  return value >= API_VERSION_2024
}

/** The response GoTrue sends for `error`, in the format the request asked for. */
export function goTrueErrorResponse(error: GoTrueError, request: Request): Response {
  const headers = new Headers({ 'x-sb-error-code': error.code })
  let body: Record<string, unknown>
  if (wantsApi2024(request)) {
    headers.set(API_VERSION_HEADER, API_VERSION_2024)
    body = { code: error.code, message: error.message, ...error.extra }
  } else {
    body = { code: error.status, error_code: error.code, msg: error.message, ...error.extra }
  }
  return Response.json(body, { status: error.status, headers })
}
