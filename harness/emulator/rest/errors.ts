/**
 * PostgREST's error responses: `{code, message, details, hint}` with PostgREST's HTTP status.
 * Codes and wording follow PostgREST v12/v13 (`PostgREST.Error`); database errors keep their
 * SQLSTATE, message, detail and hint, mapped to the status PostgREST gives them.
 * @see https://docs.postgrest.org/en/v12/references/errors.html
 */
import type { DbRole } from '../../sql/index.ts'

/** The JSON body of a PostgREST error. */
export interface PostgrestErrorBody {
  code: string
  message: string
  details: unknown
  hint: unknown
}

/** A failure answered as a PostgREST error response. */
export class PostgrestError extends Error {
  override name = 'PostgrestError'
  readonly status: number
  readonly code: string
  readonly details: unknown
  readonly hint: unknown
  /** Extra response headers (e.g. `WWW-Authenticate` on a 401). */
  readonly headers: Record<string, string>
  /** Set when the error came from a name missing in the catalog cache, so a refresh may cure it. */
  readonly catalogMiss: boolean

  constructor(
    status: number,
    body: { code: string; message: string; details?: unknown; hint?: unknown },
    options: { headers?: Record<string, string>; catalogMiss?: boolean } = {},
  ) {
    super(body.message)
    this.status = status
    this.code = body.code
    this.details = body.details ?? null
    this.hint = body.hint ?? null
    this.headers = options.headers ?? {}
    this.catalogMiss = options.catalogMiss ?? false
  }

  /** The body PostgREST sends. */
  toJSON(): PostgrestErrorBody {
    return { code: this.code, message: this.message, details: this.details, hint: this.hint }
  }
}

/**
 * A PostgREST feature the emulator does not implement. Answered with 501 and PostgREST's
 * "Feature not implemented" code, naming the feature, so a test never gets a silently
 * different result.
 */
export function unsupported(feature: string): PostgrestError {
  return new PostgrestError(501, {
    code: 'PGRST127',
    message: 'Feature not implemented',
    details: `${feature} is not supported by the atoms-test emulator`,
    hint: 'Use the supported PostgREST subset (see harness/emulator/rest/README.md) or run against a real Supabase project (hot mode).',
  })
}

/** PGRST100: a query parameter failed to parse. */
export function parseError(what: string, input: string, column: number, details: string): PostgrestError {
  return new PostgrestError(400, {
    code: 'PGRST100',
    message: `"failed to parse ${what} (${input})" (line 1, column ${column})`,
    details,
  })
}

/** PGRST102: the body is not JSON PostgREST accepts. */
export function invalidBody(message: string): PostgrestError {
  return new PostgrestError(400, { code: 'PGRST102', message })
}

/** PGRST205: no table or view of that name in the exposed schema. */
export function tableNotFound(name: string): PostgrestError {
  return new PostgrestError(
    404,
    { code: 'PGRST205', message: `Could not find the table 'public.${name}' in the schema cache` },
    { catalogMiss: true },
  )
}

/** PGRST204: a write names a column the table does not have. */
export function columnNotFound(table: string, column: string): PostgrestError {
  return new PostgrestError(
    400,
    { code: 'PGRST204', message: `Could not find the '${column}' column of '${table}' in the schema cache` },
    { catalogMiss: true },
  )
}

/**
 * 42703, as Postgres reports it when PostgREST sends a select/filter/order on an unknown
 * column (`column tasks.nope does not exist`); the emulator checks before sending.
 */
export function undefinedColumn(relation: string, column: string): PostgrestError {
  return new PostgrestError(
    400,
    { code: '42703', message: `column ${relation}.${column} does not exist` },
    { catalogMiss: true },
  )
}

/** PGRST116: a singular (object) response was asked for but the result is not one row. */
export function singularityError(rows: number): PostgrestError {
  return new PostgrestError(406, {
    code: 'PGRST116',
    message: 'Cannot coerce the result to a single JSON object',
    details: `The result contains ${rows} rows`,
  })
}

/** PGRST108: a filter, order or limit names an embed that is not in `select`. */
export function notEmbedded(resource: string): PostgrestError {
  return new PostgrestError(400, {
    code: 'PGRST108',
    message: `'${resource}' is not an embedded resource in this request`,
    hint: `Verify that '${resource}' is included in the 'select' query parameter.`,
  })
}

/** PostgREST's HTTP status for a database error (`PostgREST.Error.pgErrorStatus`). */
export function statusForSqlState(code: string, message: string, role: DbRole): number {
  if (code === '23503' || code === '23505') return 409
  if (code === '25006') return 405
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500
  if (code === '42883') return message.startsWith('function xmlagg(') ? 406 : 404
  if (code === '42P01') return 404
  if (code === '42P17') return 500
  if (code === '42501') return role === 'anon' ? 401 : 403
  if (code === '53400') return 500
  if (code === '57P01') return 503
  if (code === 'P0001') return 400
  const ptStatus = /^PT(\d{3})$/.exec(code)
  if (ptStatus) return Number(ptStatus[1])
  const prefix = code.slice(0, 2)
  const byClass: Record<string, number> = {
    '08': 503, '09': 500, '0L': 403, '0P': 403, '25': 500, '28': 403, '2D': 500, '38': 500,
    '39': 500, '3B': 500, '40': 500, '53': 503, '54': 500, '55': 500, '57': 500, '58': 500,
    F0: 500, HV: 500, P0: 500, XX: 500,
  }
  return byClass[prefix] ?? 400
}

interface DbErrorLike {
  code?: unknown
  message?: unknown
  detail?: unknown
  hint?: unknown
}

/** True for an error raised by the database (it carries a SQLSTATE). */
export function isDatabaseError(error: unknown): error is Error & { code: string } {
  const code = (error as DbErrorLike | null)?.code
  return error instanceof Error && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
}

/**
 * Turns a database error into PostgREST's response: SQLSTATE, message, detail and hint pass
 * through; `RAISE SQLSTATE 'PGRST'` carries its own JSON body and status as PostgREST allows.
 */
export function fromDatabaseError(error: Error & { code: string }, role: DbRole): PostgrestError {
  const { detail, hint } = error as DbErrorLike
  const details = typeof detail === 'string' ? detail : null
  if (error.code === 'PGRST') return fromPgrstRaise(error.message, details)
  const status = statusForSqlState(error.code, error.message, role)
  return new PostgrestError(
    status,
    { code: error.code, message: error.message, details, hint: typeof hint === 'string' ? hint : null },
    { headers: status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {} },
  )
}

/** `RAISE SQLSTATE 'PGRST' USING message = '{"code":…}', detail = '{"status":…,"headers":{…}}'`. */
function fromPgrstRaise(message: string, detail: string | null): PostgrestError {
  const parsed = parseJsonObject(message)
  if (!parsed || typeof parsed.code !== 'string' || typeof parsed.message !== 'string') {
    return new PostgrestError(500, {
      code: 'PGRST121',
      message: 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      details: `Invalid JSON value for MESSAGE: '${message}'`,
      hint: "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    })
  }
  const extra = detail === null ? undefined : parseJsonObject(detail)
  if (!extra || typeof extra.status !== 'number' || typeof extra.headers !== 'object' || extra.headers === null) {
    return new PostgrestError(500, {
      code: 'PGRST121',
      message: 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      details: detail === null ? 'DETAIL is missing in the RAISE statement' : `Invalid JSON value for DETAIL: '${detail}'`,
      hint: "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
    })
  }
  const headers: Record<string, string> = {}
  for (const [key, value] of Object.entries(extra.headers as Record<string, unknown>)) headers[key] = String(value)
  return new PostgrestError(
    extra.status,
    { code: parsed.code, message: parsed.message, details: parsed.details ?? null, hint: parsed.hint ?? null },
    { headers },
  )
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
