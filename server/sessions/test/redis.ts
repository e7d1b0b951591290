/**
 * Redis for the store tests: the machine's server, a key prefix per run, and msw handlers that
 * serve the Upstash REST protocol from that Redis (so the Upstash store never reaches the network).
 */
import type { HttpHandler } from 'msw'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { http, HttpResponse } from 'msw'

/** Redis the tests use (the machine's server). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix unique to this run and label; delete it after with `clearPrefix`. */
export function testPrefix(label: string): string {
  return `atoms:test:sessions:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`
}

/** A new ioredis connection to the test Redis. */
export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2 })
}

/** Deletes every key under `prefix`; returns how many. */
export async function clearPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0'
  let count = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) count += await redis.unlink(...keys)
  } while (cursor !== '0')
  return count
}

/** Base URL and token the Upstash store is pointed at in tests (served by msw, never the network). */
export const UPSTASH_URL = 'https://upstash-rest.sessions.test'
export const UPSTASH_TOKEN = 'upstash-test-token'

/**
 * msw handlers speaking the Upstash REST protocol — `POST /` with a command array,
 * `POST /pipeline` and `POST /multi-exec` with arrays of them, answers `{result}` / `{error}`,
 * base64 values when asked by `Upstash-Encoding: base64` — executed on the real Redis.
 */
export function upstashHandlers(redis: Redis, url = UPSTASH_URL, token = UPSTASH_TOKEN): HttpHandler[] {
  const authorized = (request: Request) => request.headers.get('authorization') === `Bearer ${token}`
  const b64 = (request: Request) => request.headers.get('upstash-encoding')?.toLowerCase() === 'base64'
  const unauthorized = () => HttpResponse.json({ error: 'WRONGPASS invalid or missing auth token' }, { status: 401 })
  const commands = async (request: Request) => {
    const body = await request.json() as unknown
    if (!Array.isArray(body) || !body.every((c) => Array.isArray(c) && c.length > 0)) throw new Error('ERR body must be an array of command arrays')
    return (body as unknown[][]).map(([name, ...args]) => [String(name).toLowerCase(), ...args.map(String)])
  }
  const batch = (atomic: boolean) => async ({ request }: { request: Request }) => {
    if (!authorized(request)) return unauthorized()
    let list: string[][]
    try {
      list = await commands(request)
    } catch (error) {
      return HttpResponse.json({ error: (error as Error).message }, { status: 400 })
    }
    const replies = await (atomic ? redis.multi(list) : redis.pipeline(list)).exec()
    if (!replies) return HttpResponse.json({ error: 'EXECABORT Transaction discarded' }, { status: 400 })
    return HttpResponse.json(replies.map(([error, value]) => (error ? { error: error.message } : { result: encode(value, b64(request)) })))
  }
  return [
    http.post(url, async ({ request }) => {
      if (!authorized(request)) return unauthorized()
      const body = await request.json() as unknown
      if (!Array.isArray(body) || body.length === 0) return HttpResponse.json({ error: 'ERR body must be a command array' }, { status: 400 })
      const [name, ...args] = body.map(String)
      try {
        return HttpResponse.json({ result: encode(await redis.call(name!, ...args), b64(request)) })
      } catch (error) {
        return HttpResponse.json({ error: (error as Error).message }, { status: 400 })
      }
    }),
    http.post(`${url}/pipeline`, batch(false)),
    http.post(`${url}/multi-exec`, batch(true)),
  ]
}

function encode(value: unknown, base64: boolean): unknown {
  if (!base64) return value
  if (typeof value === 'string') return value === 'OK' ? value : Buffer.from(value, 'utf8').toString('base64')
  if (Array.isArray(value)) return value.map((v) => encode(v, base64))
  return value ?? null
}
