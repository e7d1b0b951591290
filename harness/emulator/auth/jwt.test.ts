import { SignJWT } from 'jose'
import { describe, expect, test } from 'vitest'
import { JwtVerificationError, audienceIncludes, signJwt, verifyJwt } from './jwt.ts'

const SECRET = 'unit-test-secret-unit-test-secret-0001'
const now = () => Math.floor(Date.now() / 1000)

async function reasonOf(token: string, options = {}): Promise<string> {
  try {
    await verifyJwt(token, SECRET, options)
    return 'valid'
  } catch (error) {
    expect(error).toBeInstanceOf(JwtVerificationError)
    return (error as JwtVerificationError).reason
  }
}

describe('signJwt / verifyJwt', () => {
  test('round-trips the payload exactly, with an HS256 header', async () => {
    const payload = { sub: 'u1', role: 'authenticated', iat: now(), exp: now() + 60, nested: { a: [1, 2] } }
    const token = await signJwt(SECRET, payload)
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(await verifyJwt(token, SECRET)).toEqual(payload)
  })

  test('refuses expired, future, forged, unsigned, other-algorithm and malformed tokens', async () => {
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url')
    const body = Buffer.from(JSON.stringify({ sub: 'u1', exp: now() + 60 })).toString('base64url')
    const hs512 = await new SignJWT({ sub: 'u1' }).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(SECRET))
    expect(await reasonOf(await signJwt(SECRET, { exp: now() - 5 }))).toBe('expired')
    expect(await reasonOf(await signJwt(SECRET, { nbf: now() + 600 }))).toBe('not-yet-valid')
    expect(await reasonOf(await signJwt('some-other-secret-some-other-secret', { sub: 'u1' }))).toBe('signature')
    expect(await reasonOf(`${header('none')}.${body}.`)).toBe('algorithm')
    expect(await reasonOf(hs512)).toBe('algorithm')
    expect(await reasonOf('a.b')).toBe('malformed')
    expect(await reasonOf('%%%.%%%.%%%')).toBe('malformed')
  })

  test('tolerates clock skew only when asked', async () => {
    const token = await signJwt(SECRET, { exp: now() - 10 })
    expect(await reasonOf(token)).toBe('expired')
    expect(await reasonOf(token, { clockToleranceSeconds: 30 })).toBe('valid')
  })

  test('checks the audience only when the token names one', async () => {
    const options = { audience: 'authenticated' }
    expect(await reasonOf(await signJwt(SECRET, { sub: 'u1' }), options)).toBe('valid')
    expect(await reasonOf(await signJwt(SECRET, { aud: 'authenticated' }), options)).toBe('valid')
    expect(await reasonOf(await signJwt(SECRET, { aud: ['x', 'authenticated'] }), options)).toBe('valid')
    expect(await reasonOf(await signJwt(SECRET, { aud: 'other' }), options)).toBe('audience')
    expect(audienceIncludes(['a', 'b'], 'b')).toBe(true)
    expect(audienceIncludes('a', 'b')).toBe(false)
  })
})
