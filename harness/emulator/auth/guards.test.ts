import { describe, expect, test } from 'vitest'
import { authConfig } from './config.ts'
import { GoTrueError } from './errors.ts'
import { checkPasswordStrength, isUuid, parseGoDuration, validateEmail } from './guards.ts'

const failure = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(GoTrueError)
    const e = error as GoTrueError
    return { status: e.status, code: e.code, message: e.message, extra: e.extra }
  }
  throw new Error('expected a GoTrueError')
}

describe('GoTrue validation', () => {
  test('validateEmail lower-cases valid addresses and refuses the rest with GoTrue messages', () => {
    expect(validateEmail('Ada.Lovelace+x@Example.COM')).toBe('ada.lovelace+x@example.com')
    expect(failure(() => validateEmail(''))).toMatchObject({ status: 400, message: 'An email address is required' })
    expect(failure(() => validateEmail('no-at-sign'))).toMatchObject({ code: 'validation_failed', message: 'Unable to validate email address: invalid format' })
    expect(failure(() => validateEmail(`${'a'.repeat(251)}@x.io`))).toMatchObject({ message: 'An email address is too long' })
  })

  test('checkPasswordStrength enforces the minimum and maximum length', () => {
    const config = authConfig({ passwordMinLength: 8 })
    expect(() => checkPasswordStrength('12345678', config)).not.toThrow()
    expect(failure(() => checkPasswordStrength('1234567', config))).toEqual({
      status: 422,
      code: 'weak_password',
      message: 'Password should be at least 8 characters.',
      extra: { weak_password: { reasons: ['length'] } },
    })
    expect(failure(() => checkPasswordStrength('x'.repeat(73), config))).toMatchObject({ status: 400, code: 'validation_failed' })
  })

  test('parseGoDuration reads Go durations in milliseconds', () => {
    expect(parseGoDuration('24h')).toBe(86_400_000)
    expect(parseGoDuration('1h30m')).toBe(5_400_000)
    expect(parseGoDuration('1.5s')).toBe(1_500)
    expect(parseGoDuration('-10m')).toBe(-600_000)
    expect(failure(() => parseGoDuration('10 days'))).toMatchObject({ status: 400, message: 'invalid format for ban duration: time: invalid duration "10 days"' })
    expect(failure(() => parseGoDuration('5'))).toMatchObject({ status: 400 })
  })

  test('isUuid', () => {
    expect(isUuid('6f1c2c3e-4b5a-4c6d-8e7f-0123456789ab')).toBe(true)
    expect(isUuid('6f1c2c3e')).toBe(false)
    expect(isUuid(42)).toBe(false)
  })
})
