/**
 * Reads the headers PostgREST honours: `Prefer`, `Accept` (array vs single object, stripped
 * nulls), `Range`, `Accept-Profile`/`Content-Profile` and `Content-Type`; and combines `Range`
 * with `limit`/`offset` the way PostgREST's `RangeQuery` does.
 */
import type { MediaChoice, Preferences, RangeParams, RowRange } from './types.ts'
import { PostgrestError, invalidBody, unsupported } from './errors.ts'

/** The only schema the emulator exposes. */
export const EXPOSED_SCHEMA = 'public'

/** Parses every `Prefer` header; unknown or repeated preferences are ignored, as PostgREST does. */
export function parsePrefer(headers: Headers): Preferences {
  const prefs: Preferences = {}
  const raw = headers.get('prefer')
  if (!raw) return prefs
  for (const part of raw.split(',')) {
    const [name = '', value = ''] = part.trim().split('=', 2).map((s) => s.trim())
    switch (name) {
      case 'return':
        if (['representation', 'minimal', 'headers-only'].includes(value)) prefs.return ??= value as Preferences['return']
        break
      case 'count':
        if (['exact', 'planned', 'estimated'].includes(value)) prefs.count ??= value as Preferences['count']
        break
      case 'resolution':
        if (['merge-duplicates', 'ignore-duplicates'].includes(value)) prefs.resolution ??= value as Preferences['resolution']
        break
      case 'missing':
        if (value === 'default' || value === 'null') prefs.missing ??= value
        break
      case 'handling':
        if (value === 'strict' || value === 'lenient') prefs.handling ??= value
        break
      case 'tx':
        if (value === 'commit' || value === 'rollback') prefs.tx ??= value
        break
      case 'params':
        if (value === 'single-object') prefs.params ??= value
        break
      case 'max-affected':
        if (/^\d+$/.test(value)) prefs.maxAffected ??= Number(value)
        break
      case 'timezone':
        if (value) prefs.timezone ??= value
        break
    }
  }
  return prefs
}

/** Refuses preferences whose effect the emulator does not reproduce. */
export function checkPreferences(prefs: Preferences): void {
  if (prefs.count === 'planned' || prefs.count === 'estimated') {
    throw unsupported(`"Prefer: count=${prefs.count}" (use count=exact)`)
  }
  if (prefs.tx) throw unsupported(`"Prefer: tx=${prefs.tx}"`)
  if (prefs.handling === 'strict') throw unsupported('"Prefer: handling=strict"')
  if (prefs.maxAffected !== undefined) throw unsupported('"Prefer: max-affected"')
  if (prefs.timezone) throw unsupported('"Prefer: timezone"')
  if (prefs.params) throw unsupported('"Prefer: params=single-object"')
  if (prefs.return === 'headers-only') throw unsupported('"Prefer: return=headers-only"')
}

/** The media type of the response, from `Accept`; anything else answers PGRST107 (406). */
export function parseAccept(headers: Headers): MediaChoice {
  const raw = headers.get('accept')
  if (!raw) return { singular: false, stripNulls: false }
  const offered = raw
    .split(',')
    .map((entry, order) => {
      const [type = '', ...params] = entry.split(';').map((s) => s.trim())
      const q = params.find((p) => p.startsWith('q='))
      return { type: type.toLowerCase(), params, q: q ? Number(q.slice(2)) : 1, order }
    })
    .filter((m) => m.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order)
  for (const media of offered) {
    const stripNulls = media.params.includes('nulls=stripped')
    if (['application/json', '*/*', 'application/*'].includes(media.type)) return { singular: false, stripNulls: false }
    if (media.type === 'application/vnd.pgrst.array+json') return { singular: false, stripNulls }
    if (media.type === 'application/vnd.pgrst.object+json') return { singular: true, stripNulls }
    if (media.type === 'application/vnd.pgrst.object') return { singular: true, stripNulls: false }
    if (['text/csv', 'application/geo+json', 'application/vnd.pgrst.plan+json', 'application/vnd.pgrst.plan+text', 'application/vnd.pgrst.plan', 'application/octet-stream', 'text/plain', 'text/xml'].includes(media.type)) {
      throw unsupported(`The "${media.type}" response media type`)
    }
  }
  throw new PostgrestError(406, {
    code: 'PGRST107',
    message: `None of these media types are available: ${offered.map((m) => m.type).join(', ')}`,
  })
}

/** `Accept-Profile` (reads) / `Content-Profile` (writes) must name the exposed schema (PGRST106). */
export function checkProfile(headers: Headers, method: string): boolean {
  const name = ['GET', 'HEAD'].includes(method) ? 'accept-profile' : 'content-profile'
  const schema = headers.get(name)
  if (schema === null) return false
  if (schema !== EXPOSED_SCHEMA) {
    throw new PostgrestError(406, {
      code: 'PGRST106',
      message: `Invalid schema: ${schema}`,
      hint: `Only the following schemas are exposed: ${EXPOSED_SCHEMA}`,
    })
  }
  return true
}

/** Write bodies must be JSON; the other media types PostgREST takes are outside the subset. */
export function checkContentType(headers: Headers): void {
  const type = (headers.get('content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'application/json' || type === '') return
  if (['text/csv', 'application/x-www-form-urlencoded', 'text/plain', 'text/xml', 'application/octet-stream'].includes(type)) {
    throw unsupported(`The "${type}" request body media type`)
  }
  throw invalidBody(`Content-Type not acceptable: ${type}`)
}

interface Bounds {
  lower: number
  /** Inclusive; undefined is unbounded. */
  upper?: number
}

function intersect(a: Bounds, b: Bounds): Bounds {
  const upper = a.upper === undefined ? b.upper : b.upper === undefined ? a.upper : Math.min(a.upper, b.upper)
  return upper === undefined ? { lower: Math.max(a.lower, b.lower) } : { lower: Math.max(a.lower, b.lower), upper }
}

/** `limit`/`offset` of one level as bounds (PostgREST's `qsRanges`). */
function paramBounds(range: RangeParams | undefined): Bounds {
  if (!range) return { lower: 0 }
  if (range.limit !== undefined) {
    const lower = range.offset ?? 0
    return { lower, upper: lower + range.limit - 1 }
  }
  return { lower: range.offset ?? 0 }
}

function toRowRange(bounds: Bounds): RowRange {
  return bounds.upper === undefined ? { offset: bounds.lower } : { offset: bounds.lower, limit: bounds.upper - bounds.lower + 1 }
}

/**
 * The top-level range: the `Range` header (GET only, `^\d+-\d*$`) intersected with
 * `limit`/`offset`. `limit=0` is allowed; any other empty range answers PGRST103 (416).
 */
export function topLevelRange(method: string, headers: Headers, params: RangeParams | undefined): RowRange {
  const fromParams = paramBounds(params)
  // PostgREST's special case: a limit-zero range bypasses the Range header.
  if (fromParams.upper === -1) return { offset: 0, limit: 0 }
  let header: Bounds = { lower: 0 }
  let headerEmpty = false
  const raw = method === 'GET' ? headers.get('range') : null
  const match = raw ? /^(\d+)-(\d*)$/.exec(raw) : null
  if (match) {
    const lower = Number(match[1])
    header = match[2] ? { lower, upper: Number(match[2]) } : { lower }
    headerEmpty = header.upper !== undefined && header.upper < lower
  }
  const combined = intersect(header, fromParams)
  if (combined.upper !== undefined && combined.upper < combined.lower) {
    throw new PostgrestError(416, {
      code: 'PGRST103',
      message: 'Requested range not satisfiable',
      details: headerEmpty
        ? 'The lower boundary must be lower than or equal to the upper boundary in the Range header.'
        : 'Limit should be greater than or equal to zero.',
    })
  }
  return toRowRange(combined)
}

/** The range of an embedded level (`projects.limit=2`); no header applies there. */
export function embedRange(params: RangeParams | undefined): RowRange {
  return toRowRange(intersect({ lower: 0 }, paramBounds(params)))
}
