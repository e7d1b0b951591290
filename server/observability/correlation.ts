/**
 * Correlation ids: one id per request, taken from the caller when it sent a usable one,
 * carried through every `await` with `AsyncLocalStorage`, stamped on every log line, echoed
 * on the response and forwarded to Supabase.
 */
import type { FetchHandler, Middleware, RequestContext } from '../http/types.ts'

import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'

/** What travels with one request through the async call graph. */
export interface CorrelationStore {
  /** The request's correlation id. */
  requestId: string
}

const storage = new AsyncLocalStorage<CorrelationStore>()

/** Header the id is read from, echoed on and forwarded under. */
export const REQUEST_ID_HEADER = 'x-request-id'

// Ids end up in log lines and headers: accept only short, inert tokens from callers.
const USABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
// @see https://www.w3.org/TR/trace-context/#traceparent-header
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/

/**
 * The correlation id a request asks for: a well-formed `x-request-id`, else the trace id of a
 * well-formed `traceparent`, else `undefined`.
 */
export function requestIdFrom(headers: Headers): string | undefined {
  const given = headers.get(REQUEST_ID_HEADER)?.trim()
  if (given && USABLE_ID.test(given)) return given
  const trace = TRACEPARENT.exec(headers.get('traceparent')?.trim().toLowerCase() ?? '')
  // An all-zero trace id is invalid per the spec.
  if (trace?.[1] && !/^0+$/.test(trace[1])) return trace[1]
  return undefined
}

/** A fresh correlation id. */
export function newRequestId(): string {
  return randomUUID()
}

/** The correlation id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId
}

/** Runs `fn` with `requestId` as the current correlation id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn)
}

/**
 * Sets `ctx.requestId` (from the request or generated), runs the rest of the chain inside that
 * correlation scope and returns the id on the response as `x-request-id`.
 */
export const correlationMiddleware: Middleware = (next: FetchHandler): FetchHandler => {
  return (request: Request, ctx: RequestContext) => {
    const requestId = requestIdFrom(request.headers) ?? newRequestId()
    ctx.requestId = requestId
    return storage.run({ requestId }, async () => withHeader(await next(request, ctx), REQUEST_ID_HEADER, requestId))
  }
}

/** Sets a header on a response, copying the response when its headers are immutable. */
export function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value)
    return response
  } catch {
    // Responses from fetch() or Response.redirect() guard their headers.
    const copy = new Response(response.body, response)
    copy.headers.set(name, value)
    return copy
  }
}

/** Optional observer told about every request a wrapped fetch makes. */
export interface OutgoingObserver {
  /** Called once a response (or a network failure) is known. */
  (outcome: { method: string, url: URL, status: number | undefined, ms: number, response?: Response, error?: unknown }): void
}

/**
 * Wraps a fetch so that every outgoing request carries the current correlation id as
 * `x-request-id` (unless the caller set one). Pass the result to supabase-js as
 * `createClient(url, key, { global: { fetch: correlationFetch(fetch) } })`.
 */
export function correlationFetch(base: typeof fetch = globalThis.fetch, observe?: OutgoingObserver): typeof fetch {
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const requestId = currentRequestId()
    let call: Promise<Response>
    if (requestId === undefined) {
      call = base(input, init)
    } else {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
      if (!headers.has(REQUEST_ID_HEADER)) headers.set(REQUEST_ID_HEADER, requestId)
      call = base(input, { ...init, headers })
    }
    if (!observe) return call
    const started = performance.now()
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const url = new URL(input instanceof Request ? input.url : String(input))
    try {
      const response = await call
      observe({ method, url, status: response.status, ms: performance.now() - started, response })
      return response
    } catch (error) {
      observe({ method, url, status: undefined, ms: performance.now() - started, error })
      throw error
    }
  }
  return wrapped as typeof fetch
}
