/**
 * The server's error vocabulary: every expected failure of a tool call is a `ToolError` with one
 * of seven stable codes, returned to the client as an MCP tool error (`isError: true`).
 */

/** The stable codes a tool error carries in `structuredContent.error.code`. */
export const ERROR_CODES = [
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'INVALID_INPUT',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'INTERNAL',
] as const

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number]

/** An expected failure of a tool operation; the invoker turns it into an `isError` result. */
export class ToolError extends Error {
  override name = 'ToolError'
  /** The stable code clients branch on. */
  readonly code: ErrorCode
  /** Machine-readable extras (zod issues, the current version on a conflict, the SQLSTATE...). */
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.code = code
    this.details = details
  }
}

/** Shorthand for the most common failure: a row that does not exist or is not visible. */
export function notFound(what: string, id: string): ToolError {
  return new ToolError('NOT_FOUND', `${what} "${id}" was not found or is not visible to you; check the id with a list operation`)
}

/** A start-up configuration problem; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError'
  readonly code = 'CONFIG_INVALID'
  /** The environment variables at fault. */
  readonly variables: string[]

  constructor(message: string, variables: string[]) {
    super(message)
    this.variables = variables
  }
}
