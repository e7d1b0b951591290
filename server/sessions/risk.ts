/**
 * Hijack detection: a risk score in [0, 1] for a request against its session's history.
 *
 * Signals and default weights (all configurable under `risk`):
 * - `device_change` 0.6: the device fingerprint differs from the session's.
 * - `subnet_change` 0.35: the IP left the session IP's subnet (/24 IPv4, /64 IPv6).
 * - `ip_change` 0.1: the IP changed within the same subnet.
 * - `impossible_travel` 0.8: distance from the last located request divided by the time since
 *   exceeds `maxTravelKmh` (ignoring hops under `minTravelKm`, the accuracy of IP geolocation).
 * - `token_reuse` 0.6: a rotated-out token was presented after its grace period.
 *
 * Signals combine as independent evidence: score = 1 - prod(1 - weight). With the defaults a new
 * device alone (0.6) is challenged, a new device from another subnet (0.74) is revoked, a
 * roaming IP alone (0.35) passes, and impossible travel (>= 0.8) is revoked.
 */
import type { SessionConfig } from './config.ts'
import type { ClientMeta, GeoPoint, SessionRecord } from './types.ts'
import { isIPv4, isIPv6 } from 'node:net'

/** One observed signal. */
export interface RiskSignal {
  name: 'device_change' | 'subnet_change' | 'ip_change' | 'impossible_travel' | 'token_reuse'
  weight: number
  detail: string
}

/** The score, the signals behind it and what to do. */
export interface RiskAssessment {
  score: number
  signals: RiskSignal[]
  verdict: 'allow' | 'challenge' | 'revoke'
}

/** The risk settings `assessRisk` reads. */
export type RiskSettings = SessionConfig['risk']

/** Scores one request against its session. */
export function assessRisk(
  session: Pick<SessionRecord, 'device' | 'ip' | 'location' | 'locationAt'>,
  request: ClientMeta,
  now: number,
  tokenReuse: boolean,
  risk: RiskSettings,
): RiskAssessment {
  const signals: RiskSignal[] = []
  if (request.device !== session.device) {
    signals.push({ name: 'device_change', weight: risk.deviceChange, detail: 'device fingerprint differs' })
  }
  if (request.ip !== session.ip) {
    if (sameSubnet(request.ip, session.ip, risk.ipv4SubnetBits, risk.ipv6SubnetBits)) {
      signals.push({ name: 'ip_change', weight: risk.ipChange, detail: 'IP changed within its subnet' })
    } else {
      signals.push({ name: 'subnet_change', weight: risk.subnetChange, detail: 'IP moved to another subnet' })
    }
  }
  if (request.location && session.location && session.locationAt !== null) {
    const km = distanceKm(session.location, request.location)
    const hours = Math.max(now - session.locationAt, 1000) / 3_600_000
    if (km >= risk.minTravelKm && km / hours > risk.maxTravelKmh) {
      signals.push({ name: 'impossible_travel', weight: risk.impossibleTravel, detail: `${Math.round(km)} km in ${Math.round(hours * 60)} min` })
    }
  }
  if (tokenReuse) signals.push({ name: 'token_reuse', weight: risk.tokenReuse, detail: 'rotated-out token presented after its grace period' })
  const score = 1 - signals.reduce((keep, s) => keep * (1 - s.weight), 1)
  const verdict = score >= risk.revokeThreshold ? 'revoke' : score >= risk.challengeThreshold ? 'challenge' : 'allow'
  return { score, signals, verdict }
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Whether two addresses share a subnet (IPv4-mapped IPv6 counts as IPv4; unknown forms match only if equal). */
export function sameSubnet(a: string, b: string, v4Bits: number, v6Bits: number): boolean {
  const x = toBits(a)
  const y = toBits(b)
  if (!x || !y || x.v !== y.v) return a === b
  const bits = x.v === 4 ? v4Bits : v6Bits
  return x.bits.slice(0, bits) === y.bits.slice(0, bits)
}

function toBits(ip: string): { v: 4 | 6, bits: string } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  const plain = mapped?.[1] ?? ip
  if (isIPv4(plain)) return { v: 4, bits: plain.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('') }
  if (!isIPv6(plain)) return null
  const zoneless = plain.split('%')[0]!
  const [head = '', tail] = zoneless.split('::')
  const hs = head ? head.split(':') : []
  const ts = tail ? tail.split(':') : []
  // An embedded IPv4 tail counts as two groups.
  const expand = (groups: string[]) => groups.flatMap((g) => {
    if (!g.includes('.')) return [g]
    const o = g.split('.').map(Number)
    return [((o[0]! << 8) | o[1]!).toString(16), ((o[2]! << 8) | o[3]!).toString(16)]
  })
  const h = expand(hs)
  const t = expand(ts)
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return { v: 6, bits: groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('') }
}
