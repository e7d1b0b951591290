/**
 * Secret scrubbing shared by the logger, the dashboard's recent-error list and health output.
 * Two layers: values under a secret-looking key are replaced whatever they hold, and strings
 * anywhere are searched for token shapes (JWTs, `Bearer …`, credentials inside URLs).
 */

/** What a scrubbed value is replaced with. */
export const REDACTED = '[REDACTED]'

// Over-matching is deliberate: a redacted harmless field costs nothing, a leaked token costs a lot.
const SECRET_KEY = /authorization|cookie|passw(or)?d|secret|token|api[-_]?key|signature|credential|private[-_]?key|service[-_]?role|session[-_]?key|jwt/i

const STRING_PATTERNS: Array<[RegExp, string]> = [
  // JWTs (Supabase access tokens, anon and service-role keys)
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Authorization schemes written out in a message
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  // Supabase's newer opaque keys
  [/\bsb_(secret|publishable)_[A-Za-z0-9_-]{6,}/g, REDACTED],
  // user:password@ inside a URL or connection string
  [/(\/\/[^/\s:@"'?#\\]+):([^@\s"'/\\]+)@/g, `$1:${REDACTED}@`],
  // key=value pairs in query strings and messages
  // (a backslash ends the value: in a finished JSON line it starts an escape such as \n)
  [/\b((?:access_token|refresh_token|apikey|api_key|password|token|secret)=)(?!\[REDACTED\])[^&\s"'#\\]+/gi, `$1${REDACTED}`],
]

const MAX_DEPTH = 8

/** True when a field of this name must never be written out. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

// Every pattern above needs one of these; most log text has none, so one test skips the rest.
const MAYBE_SECRET = /eyJ|bearer|basic|token|sb_|@|=/i

/** Replaces token-shaped substrings of a string. */
export function scrubString(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
  for (const [pattern, replacement] of STRING_PATTERNS) {
    pattern.lastIndex = 0
    out = out.replace(pattern, replacement)
  }
  return out
}

/**
 * Returns a copy of `value` with secret-keyed fields redacted and token shapes removed from
 * strings. Errors become plain objects (type, message, stack, code, cause) so that their text
 * is scrubbed too. Cycles and very deep nesting are cut off.
 */
export function scrubValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubString(value)
  if (value === null || typeof value !== 'object') return value
  if (seen.has(value)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Truncated]'
  seen.add(value)
  if (value instanceof Error) return scrubError(value, depth, seen)
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1, seen))
  if (value instanceof Date) return value
  // Headers, Maps and the like stringify to {} already; copying them would only lose that safety.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return scrubValue((value as { toJSON: () => unknown }).toJSON(), depth + 1, seen)
  }
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key]
    out[key] = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : scrubValue(item, depth + 1, seen)
  }
  return out
}

function scrubError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.name,
    message: scrubString(error.message),
  }
  if (error.stack) out.stack = scrubString(error.stack)
  for (const key of Object.keys(error)) {
    if (key === 'message' || key === 'stack') continue
    const item = (error as unknown as Record<string, unknown>)[key]
    out[key] = isSecretKey(key) ? REDACTED : scrubValue(item, depth + 1, seen)
  }
  if (error.cause !== undefined) out.cause = scrubValue(error.cause, depth + 1, seen)
  return out
}
