import { randomBytes } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { SessionInputError, SessionStoreError } from '../errors.ts'
import { createSealer, plainSealer } from './sealer.ts'

describe('sealer', () => {
  test('seals and opens with AES-256-GCM; each seal differs', () => {
    const sealer = createSealer(randomBytes(32).toString('base64'))
    const a = sealer.seal('secret-token')
    expect(a).not.toContain('secret-token')
    expect(a).not.toBe(sealer.seal('secret-token'))
    expect(sealer.open(a)).toBe('secret-token')
  })

  test('a wrong key, a tampered value or a plain value is refused', () => {
    const a = createSealer(randomBytes(32).toString('hex'))
    const b = createSealer(randomBytes(32).toString('hex'))
    const sealed = a.seal('x')
    expect(() => b.open(sealed)).toThrow(SessionStoreError)
    expect(() => a.open(sealed.slice(0, -2) + 'AA')).toThrow(SessionStoreError)
    expect(() => a.open('plain')).toThrow(SessionStoreError)
  })

  test('no key stores as is; a short key is an input error', () => {
    expect(createSealer(null)).toBe(plainSealer)
    expect(() => createSealer('c2hvcnQ=')).toThrow(SessionInputError)
  })
})
