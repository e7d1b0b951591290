import { describe, expect, test } from 'vitest'
import { jsonBodyOf } from './jsonBody.ts'

const post = (body: string, type = 'application/json') =>
  new Request('http://mcp.test/mcp', { method: 'POST', headers: { 'content-type': type }, body })

describe('jsonBodyOf', () => {
  test('parses the body once: every reader of the same request gets the same value', async () => {
    const request = post('{"jsonrpc":"2.0","id":1,"method":"tools/call"}')
    const first = await jsonBodyOf(request)
    expect(first).toEqual({ kind: 'json', value: { jsonrpc: '2.0', id: 1, method: 'tools/call' } })
    expect(request.bodyUsed).toBe(true)
    expect(await jsonBodyOf(request)).toBe(first)
  })

  test('malformed JSON is "invalid", a body over the limit "tooLarge"', async () => {
    expect(await jsonBodyOf(post('{"jsonrpc":'))).toEqual({ kind: 'invalid' })
    expect(await jsonBodyOf(post(JSON.stringify({ pad: 'x'.repeat(200) })), 100)).toEqual({ kind: 'tooLarge', maxBytes: 100 })
  })

  test('a declared Content-Length is honoured: over the limit is refused unread, within it is read whole', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(200) })
    const declared = (length: number) => new Request('http://mcp.test/mcp', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length) }, body })
    const refused = declared(Buffer.byteLength(body))
    expect(await jsonBodyOf(refused, 100)).toEqual({ kind: 'tooLarge', maxBytes: 100 })
    expect(refused.bodyUsed).toBe(false)
    expect(await jsonBodyOf(declared(Buffer.byteLength(body)))).toEqual({ kind: 'json', value: { pad: 'x'.repeat(200) } })
    // Declaring less than it carries does not get a body past the limit.
    expect(await jsonBodyOf(declared(10), 100)).toEqual({ kind: 'tooLarge', maxBytes: 100 })
  })

  test('leaves anything but a JSON POST unread for its handler', async () => {
    const text = post('hello', 'text/plain')
    expect(await jsonBodyOf(text)).toEqual({ kind: 'unread' })
    expect(text.bodyUsed).toBe(false)
    expect(await jsonBodyOf(new Request('http://mcp.test/mcp'))).toEqual({ kind: 'unread' })
    // A media type, not a substring: "application/jsonl" is not JSON.
    expect(await jsonBodyOf(post('{}', 'application/jsonl'))).toEqual({ kind: 'unread' })
    expect(await jsonBodyOf(post('{}', 'application/json; charset=utf-8'))).toEqual({ kind: 'json', value: {} })
  })
})
