import { describe, expect, test } from 'vitest'
import { deviceFingerprint, locationFromHeaders } from './fingerprint.ts'

const req = (headers: Record<string, string>) => new Request('http://x/', { headers })

describe('fingerprint', () => {
  test('x-device-id wins; otherwise browser headers; only hashes are kept', () => {
    const a = deviceFingerprint(req({ 'x-device-id': 'install-1', 'user-agent': 'A' }))
    expect(a).toBe(deviceFingerprint(req({ 'x-device-id': 'install-1', 'user-agent': 'B' })))
    expect(a).toMatch(/^id:[0-9a-f]{24}$/)
    expect(a).not.toContain('install-1')
    const ua = deviceFingerprint(req({ 'user-agent': 'A', 'accept-language': 'en' }))
    expect(ua).toMatch(/^ua:/)
    expect(ua).not.toBe(deviceFingerprint(req({ 'user-agent': 'B', 'accept-language': 'en' })))
  })

  test('location comes only from the configured headers and must be valid', () => {
    const headers = { lat: 'x-lat', lon: 'x-lon' }
    expect(locationFromHeaders(req({ 'x-lat': '52.5', 'x-lon': '13.4' }), headers)).toEqual({ lat: 52.5, lon: 13.4 })
    expect(locationFromHeaders(req({ 'x-lat': '52.5', 'x-lon': '13.4' }), null)).toBeNull()
    expect(locationFromHeaders(req({ 'x-lat': '', 'x-lon': '13.4' }), headers)).toBeNull()
    expect(locationFromHeaders(req({ 'x-lat': '95', 'x-lon': '13.4' }), headers)).toBeNull()
  })
})
