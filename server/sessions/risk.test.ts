import { describe, expect, test } from 'vitest'
import { parseSessionConfig } from './config.ts'
import { assessRisk, distanceKm, sameSubnet } from './risk.ts'

const risk = parseSessionConfig().risk
const session = { device: 'd1', ip: '203.0.113.10', location: null, locationAt: null }
const berlin = { lat: 52.52, lon: 13.405 }
const sydney = { lat: -33.87, lon: 151.21 }

describe('assessRisk', () => {
  test('an unchanged request scores 0', () => {
    expect(assessRisk(session, { ip: '203.0.113.10', device: 'd1' }, 0, false, risk)).toEqual({ score: 0, signals: [], verdict: 'allow' })
  })

  test('the documented combinations land on the documented verdicts', () => {
    const at = (ip: string, device: string, reuse = false) => assessRisk(session, { ip, device }, 0, reuse, risk)
    expect(at('203.0.113.99', 'd1')).toMatchObject({ verdict: 'allow', signals: [{ name: 'ip_change' }] })
    expect(at('198.51.100.1', 'd1')).toMatchObject({ verdict: 'allow', signals: [{ name: 'subnet_change' }] })
    expect(at('203.0.113.10', 'd2').verdict).toBe('challenge')
    expect(at('203.0.113.11', 'd2').verdict).toBe('challenge')
    const hijack = at('198.51.100.1', 'd2')
    expect(hijack.verdict).toBe('revoke')
    expect(hijack.score).toBeCloseTo(1 - 0.4 * 0.65)
    expect(at('203.0.113.10', 'd1', true)).toMatchObject({ verdict: 'challenge', signals: [{ name: 'token_reuse' }] })
    expect(at('198.51.100.1', 'd2', true).score).toBeLessThanOrEqual(1)
  })

  test('impossible travel needs distance beyond the noise floor and speed beyond the limit', () => {
    const s = { ...session, location: berlin, locationAt: 0 }
    const minutes = (m: number) => m * 60_000
    expect(assessRisk(s, { ip: '203.0.113.10', device: 'd1', location: sydney }, minutes(60), false, risk)).toMatchObject({ verdict: 'revoke', signals: [{ name: 'impossible_travel' }] })
    // 16,000 km in 20 hours is a flight, not a hijack.
    expect(assessRisk(s, { ip: '203.0.113.10', device: 'd1', location: sydney }, minutes(20 * 60), false, risk).signals).toEqual([])
    // 50 km in a minute is geolocation noise.
    expect(assessRisk(s, { ip: '203.0.113.10', device: 'd1', location: { lat: 52.9, lon: 13.4 } }, minutes(1), false, risk).signals).toEqual([])
  })
})

describe('network helpers', () => {
  test('sameSubnet for IPv4, IPv4-mapped IPv6, IPv6 and unknown forms', () => {
    expect(sameSubnet('10.1.2.3', '10.1.2.200', 24, 64)).toBe(true)
    expect(sameSubnet('10.1.2.3', '10.1.3.3', 24, 64)).toBe(false)
    expect(sameSubnet('::ffff:10.1.2.3', '10.1.2.9', 24, 64)).toBe(true)
    expect(sameSubnet('2001:db8:1:2::1', '2001:db8:1:2:ffff::9', 24, 64)).toBe(true)
    expect(sameSubnet('2001:db8:1:2::1', '2001:db8:1:3::1', 24, 64)).toBe(false)
    expect(sameSubnet('::1', '127.0.0.1', 24, 64)).toBe(false)
    expect(sameSubnet('unknown', 'unknown', 24, 64)).toBe(true)
    expect(sameSubnet('unknown', 'other', 24, 64)).toBe(false)
  })

  test('distanceKm is the great-circle distance', () => {
    expect(distanceKm(berlin, sydney)).toBeGreaterThan(16_000)
    expect(distanceKm(berlin, sydney)).toBeLessThan(16_200)
    expect(distanceKm(berlin, berlin)).toBe(0)
  })
})
