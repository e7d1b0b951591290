import { describe, expect, test } from 'vitest'
import { checkContentType, checkPreferences, checkProfile, embedRange, parseAccept, parsePrefer, topLevelRange } from './parseHeaders.ts'

const headers = (init: Record<string, string>) => new Headers(init)

describe('Prefer', () => {
  test('parses the preferences supabase-js sends; first value wins, unknown ones are ignored', () => {
    expect(parsePrefer(headers({ Prefer: 'return=representation, count=exact,resolution=merge-duplicates, missing=default, foo=bar, return=minimal' }))).toEqual({
      return: 'representation',
      count: 'exact',
      resolution: 'merge-duplicates',
      missing: 'default',
    })
    expect(parsePrefer(headers({}))).toEqual({})
  })

  test.each(['count=planned', 'count=estimated', 'tx=rollback', 'handling=strict', 'max-affected=5', 'timezone=UTC', 'params=single-object', 'return=headers-only'])(
    '%s answers unsupported',
    (value) => {
      expect(() => checkPreferences(parsePrefer(headers({ Prefer: value })))).toThrowError(expect.objectContaining({ status: 501, code: 'PGRST127' }))
    },
  )
})

describe('Accept', () => {
  test.each([
    [undefined, { singular: false, stripNulls: false }],
    ['application/json', { singular: false, stripNulls: false }],
    ['*/*', { singular: false, stripNulls: false }],
    ['application/vnd.pgrst.object+json', { singular: true, stripNulls: false }],
    ['application/vnd.pgrst.object+json;nulls=stripped', { singular: true, stripNulls: true }],
    ['application/vnd.pgrst.array+json;nulls=stripped', { singular: false, stripNulls: true }],
    ['text/html;q=0.5, application/vnd.pgrst.object+json', { singular: true, stripNulls: false }],
  ])('%s', (accept, choice) => {
    expect(parseAccept(headers(accept ? { Accept: accept } : {}))).toEqual(choice)
  })

  test('unknown media types are PGRST107; csv is unsupported', () => {
    expect(() => parseAccept(headers({ Accept: 'text/html' }))).toThrowError(expect.objectContaining({ status: 406, code: 'PGRST107' }))
    expect(() => parseAccept(headers({ Accept: 'text/csv' }))).toThrowError(expect.objectContaining({ status: 501 }))
  })
})

describe('profiles and content types', () => {
  test('only public is exposed', () => {
    expect(checkProfile(headers({ 'Accept-Profile': 'public' }), 'GET')).toBe(true)
    expect(checkProfile(headers({}), 'GET')).toBe(false)
    expect(() => checkProfile(headers({ 'Content-Profile': 'auth' }), 'POST')).toThrowError(
      expect.objectContaining({ status: 406, code: 'PGRST106', message: 'Invalid schema: auth' }),
    )
  })

  test('JSON bodies only', () => {
    expect(() => checkContentType(headers({ 'Content-Type': 'application/json; charset=utf-8' }))).not.toThrow()
    expect(() => checkContentType(headers({ 'Content-Type': 'text/csv' }))).toThrowError(expect.objectContaining({ status: 501 }))
    expect(() => checkContentType(headers({ 'Content-Type': 'image/png' }))).toThrowError(expect.objectContaining({ code: 'PGRST102' }))
  })
})

describe('ranges', () => {
  test.each([
    ['GET', {}, undefined, { offset: 0 }],
    ['GET', {}, { limit: 10 }, { offset: 0, limit: 10 }],
    ['GET', {}, { limit: 10, offset: 5 }, { offset: 5, limit: 10 }],
    ['GET', {}, { offset: 5 }, { offset: 5 }],
    ['GET', { Range: '0-9' }, undefined, { offset: 0, limit: 10 }],
    ['GET', { Range: '5-' }, undefined, { offset: 5 }],
    ['GET', { Range: '0-9' }, { limit: 3 }, { offset: 0, limit: 3 }],
    ['GET', { Range: '2-9' }, { limit: 5, offset: 4 }, { offset: 4, limit: 5 }],
    ['GET', { Range: 'bytes=0-9' }, undefined, { offset: 0 }],
    ['POST', { Range: '0-9' }, undefined, { offset: 0 }],
    ['GET', {}, { limit: 0 }, { offset: 0, limit: 0 }],
    ['GET', { Range: '3-9' }, { limit: 0 }, { offset: 0, limit: 0 }],
    ['GET', {}, { offset: -5 }, { offset: 0 }],
  ])('%s %o limit/offset %o', (method, h, params, range) => {
    expect(topLevelRange(method, headers(h), params)).toEqual(range)
  })

  test('empty ranges are PGRST103 (416)', () => {
    expect(() => topLevelRange('GET', headers({ Range: '5-2' }), undefined)).toThrowError(
      expect.objectContaining({ status: 416, code: 'PGRST103', details: expect.stringContaining('lower boundary') }),
    )
    expect(() => topLevelRange('GET', headers({}), { limit: -1 })).toThrowError(
      expect.objectContaining({ status: 416, details: 'Limit should be greater than or equal to zero.' }),
    )
  })

  test('embedded ranges ignore headers', () => {
    expect(embedRange({ limit: 2, offset: 1 })).toEqual({ offset: 1, limit: 2 })
    expect(embedRange(undefined)).toEqual({ offset: 0 })
  })
})
