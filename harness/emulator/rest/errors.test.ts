import { describe, expect, test } from 'vitest'
import { fromDatabaseError, isDatabaseError, statusForSqlState, unsupported } from './errors.ts'

function dbError(code: string, message = 'm', extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, ...extra }) as Error & { code: string }
}

describe('database errors', () => {
  test.each([
    ['23505', 'authenticated', 409],
    ['23503', 'authenticated', 409],
    ['23502', 'authenticated', 400],
    ['23514', 'authenticated', 400],
    ['22P02', 'authenticated', 400],
    ['42P01', 'authenticated', 404],
    ['42883', 'authenticated', 404],
    ['42501', 'anon', 401],
    ['42501', 'authenticated', 403],
    ['42501', 'service_role', 403],
    ['P0001', 'authenticated', 400],
    ['PT402', 'authenticated', 402],
    ['25006', 'authenticated', 405],
    ['40001', 'authenticated', 500],
    ['53300', 'authenticated', 503],
    ['XX000', 'authenticated', 500],
  ] as const)('%s as %s → %i', (code, role, status) => {
    expect(statusForSqlState(code, 'm', role)).toBe(status)
  })

  test('SQLSTATE, message, detail and hint pass through; 401 adds WWW-Authenticate', () => {
    const error = fromDatabaseError(dbError('23505', 'duplicate key', { detail: 'Key (id)=(1) already exists.', hint: undefined }), 'authenticated')
    expect(error.status).toBe(409)
    expect(error.toJSON()).toEqual({ code: '23505', message: 'duplicate key', details: 'Key (id)=(1) already exists.', hint: null })
    expect(fromDatabaseError(dbError('42501'), 'anon').headers).toEqual({ 'WWW-Authenticate': 'Bearer' })
  })

  test('RAISE SQLSTATE \'PGRST\' carries its own body and status', () => {
    const raised = fromDatabaseError(dbError('PGRST', '{"code":"X1","message":"m","details":"d"}', { detail: '{"status":418,"headers":{"X-Y":"z"}}' }), 'anon')
    expect(raised.status).toBe(418)
    expect(raised.headers).toEqual({ 'X-Y': 'z' })
    expect(raised.toJSON()).toEqual({ code: 'X1', message: 'm', details: 'd', hint: null })
    expect(fromDatabaseError(dbError('PGRST', 'not json'), 'anon').code).toBe('PGRST121')
    expect(fromDatabaseError(dbError('PGRST', '{"code":"X1","message":"m"}'), 'anon').details).toBe('DETAIL is missing in the RAISE statement')
  })

  test('only errors with a SQLSTATE are database errors', () => {
    expect(isDatabaseError(dbError('23505'))).toBe(true)
    expect(isDatabaseError(new Error('x'))).toBe(false)
    expect(isDatabaseError(dbError('ECONNREFUSED'))).toBe(false)
  })

  test('unsupported features are 501 PGRST127 naming the feature', () => {
    expect(unsupported('Thing').toJSON()).toMatchObject({ code: 'PGRST127', message: 'Feature not implemented', details: 'Thing is not supported by the atoms-test emulator' })
  })
})
