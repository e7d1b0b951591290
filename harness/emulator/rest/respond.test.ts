import { describe, expect, test } from 'vitest'
import { contentRange, errorResponse, rangeStatus, respond } from './respond.ts'
import { PostgrestError } from './errors.ts'

describe('Content-Range and status, as PostgREST computes them', () => {
  test.each([
    [0, 9, null, '0-9/*', 200],
    [0, 9, 42, '0-9/42', 206],
    [0, 41, 42, '0-41/42', 200],
    [0, -1, 0, '*/0', 200],
    [0, -1, null, '*/*', 200],
    [10, 9, 5, '*/5', 416],
    [5, 4, 5, '*/5', 206],
    [1, 0, 3, '*/3', 206],
  ])('lower %i upper %i total %s', (lower, upper, total, range, status) => {
    expect(contentRange(lower, upper, total)).toBe(range)
    expect(rangeStatus(lower, upper, total)).toBe(status)
  })
})

describe('respond', () => {
  test('JSON content type, no body for 204', async () => {
    const ok = respond(200, '[]', { 'Content-Range': '*/*' })
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await ok.text()).toBe('[]')
    const empty = respond(204, null, {})
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
  })

  test('response.status and response.headers GUCs override; malformed ones are PGRST111/112', async () => {
    const overridden = respond(200, '1', {}, { gucStatus: '202', gucHeaders: '[{"X-A":"1"},{"Content-Range":"x"}]' })
    expect(overridden.status).toBe(202)
    expect(overridden.headers.get('x-a')).toBe('1')
    expect(overridden.headers.get('content-range')).toBe('x')
    expect((await respond(200, '1', {}, { gucStatus: 'abc', gucHeaders: null }).json()).code).toBe('PGRST112')
    expect(respond(200, '1', {}, { gucStatus: null, gucHeaders: '[{"bad name":"x"},{"X-Ok":"1"}]' }).headers.get('x-ok')).toBe('1')
    expect((await respond(200, '1', {}, { gucStatus: null, gucHeaders: '{"a":1}' }).json()).code).toBe('PGRST111')
  })

  test('errors carry the PostgREST body and extra headers', async () => {
    const response = errorResponse(new PostgrestError(401, { code: '42501', message: 'denied' }, { headers: { 'WWW-Authenticate': 'Bearer' } }))
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
    expect(await response.json()).toEqual({ code: '42501', message: 'denied', details: null, hint: null })
  })
})
