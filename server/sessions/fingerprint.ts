/**
 * Client facts the middleware derives from a request: the device fingerprint and, behind a
 * trusted proxy that sets them, the client's coordinates.
 */
import type { GeoPoint } from './types.ts'
import { createHash } from 'node:crypto'

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24)

/**
 * A stable fingerprint of the client device: from `x-device-id` when the client sends one
 * (an id it keeps per install), else from `user-agent`, `accept-language` and `sec-ch-ua-platform`.
 * Only a hash is kept.
 */
export function deviceFingerprint(request: Request): string {
  const id = request.headers.get('x-device-id')
  if (id) return `id:${hash(id)}`
  const h = request.headers
  return `ua:${hash([h.get('user-agent') ?? '', h.get('accept-language') ?? '', h.get('sec-ch-ua-platform') ?? ''].join('\n'))}`
}

/** Coordinates from trusted proxy headers (e.g. `x-vercel-ip-latitude`/`-longitude`); `null` when absent or invalid. */
export function locationFromHeaders(request: Request, headers: { lat: string, lon: string } | null): GeoPoint | null {
  if (!headers) return null
  const rawLat = request.headers.get(headers.lat)?.trim()
  const rawLon = request.headers.get(headers.lon)?.trim()
  if (!rawLat || !rawLon) return null
  const lat = Number(rawLat)
  const lon = Number(rawLon)
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null
  return { lat, lon }
}
