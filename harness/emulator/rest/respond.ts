/**
 * Builds responses as PostgREST does: JSON with `charset=utf-8`, `Content-Range` for every
 * read and write (`0-9/42`, `*` where PostgREST puts it), 206/416 from the count, and the
 * `response.status` / `response.headers` GUCs a function may set.
 */
import type { Preferences } from './types.ts'
import type { StatementResult } from './buildStatement.ts'
import { PostgrestError } from './errors.ts'

/** The JSON content type PostgREST answers with. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/** `Content-Range` as PostgREST's `contentRangeH` writes it. */
export function contentRange(lower: number, upper: number, total: number | null): string {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*'
  return `${range}/${total ?? '*'}`
}

/** 200, 206 (a page of a larger counted result) or 416 (offset past the count), per `rangeStatusHeader`. */
export function rangeStatus(lower: number, upper: number, total: number | null): number {
  if (total === null) return 200
  if (lower > total) return 416
  if (1 + upper - lower < total) return 206
  return 200
}

/** The 416 body for an offset past the counted rows. */
export function outOfBounds(offset: number, total: number | null): PostgrestError {
  return new PostgrestError(416, {
    code: 'PGRST103',
    message: 'Requested range not satisfiable',
    details: `An offset of ${offset} was requested, but there are only ${total ?? 0} rows.`,
  })
}

/** `Preference-Applied`: the preferences the response honoured. */
export function preferenceApplied(prefs: Preferences, which: (keyof Preferences)[]): Record<string, string> {
  const applied: string[] = []
  if (which.includes('resolution') && prefs.resolution) applied.push(`resolution=${prefs.resolution}`)
  if (which.includes('missing') && prefs.missing) applied.push(`missing=${prefs.missing}`)
  if (which.includes('return') && prefs.return) applied.push(`return=${prefs.return}`)
  if (which.includes('count') && prefs.count) applied.push(`count=${prefs.count}`)
  return applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {}
}

/** A response, with the `response.status` / `response.headers` GUCs applied over it. */
export function respond(
  status: number,
  body: string | null,
  headers: Record<string, string>,
  result?: Pick<StatementResult, 'gucHeaders' | 'gucStatus'>,
): Response {
  const all = new Headers(headers)
  if (body !== null) all.set('Content-Type', JSON_CONTENT_TYPE)
  let finalStatus = status
  if (result?.gucStatus) {
    const parsed = Number(result.gucStatus)
    if (!Number.isInteger(parsed) || parsed < 100 || parsed > 599) {
      return errorResponse(new PostgrestError(500, { code: 'PGRST112', message: 'response.status guc must be a valid status code' }))
    }
    finalStatus = parsed
  }
  if (result?.gucHeaders) {
    const parsed = parseGucHeaders(result.gucHeaders)
    if (!parsed) {
      return errorResponse(
        new PostgrestError(500, {
          code: 'PGRST111',
          message: 'response.headers guc must be a JSON array composed of objects with a single key and a string value',
        }),
      )
    }
    for (const [key, value] of safeHeaders(parsed)) all.set(key, value)
  }
  // Statuses without a body (204, 304) must not carry one.
  const noBody = finalStatus === 204 || finalStatus === 304 || body === null
  return new Response(noBody ? null : body, { status: finalStatus, headers: all })
}

function parseGucHeaders(text: string): [string, string][] | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (!Array.isArray(value)) return undefined
    const pairs: [string, string][] = []
    for (const entry of value) {
      if (!entry || typeof entry !== 'object') return undefined
      const keys = Object.entries(entry as Record<string, unknown>)
      const [pair] = keys
      if (keys.length !== 1 || !pair || typeof pair[1] !== 'string') return undefined
      pairs.push([pair[0], pair[1]])
    }
    return pairs
  } catch {
    return undefined
  }
}

/** A PostgREST error response. */
export function errorResponse(error: PostgrestError): Response {
  const headers = safeHeaders(Object.entries(error.headers))
  headers.set('Content-Type', JSON_CONTENT_TYPE)
  return new Response(JSON.stringify(error.toJSON()), { status: error.status, headers })
}

/** Headers from SQL (GUCs, `RAISE SQLSTATE 'PGRST'`), skipping names or values HTTP cannot carry. */
function safeHeaders(pairs: [string, string][]): Headers {
  const headers = new Headers()
  for (const [key, value] of pairs) {
    try {
      headers.set(key, value)
    } catch {
      // An invalid header name or value from a function is dropped rather than failing the response.
    }
  }
  return headers
}
