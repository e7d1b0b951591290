/**
 * Serves a fetch-style handler on a real port through `@hono/node-server`, which turns
 * node:http into `Request`/`Response` and back. Each request gets a fresh `RequestContext`
 * (request id from `x-request-id`, else generated; the socket's remote address).
 */
import type { ServerType } from '@hono/node-server'
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FetchHandler, RequestContext } from './types.ts'

import { randomUUID } from 'node:crypto'
import { serve } from '@hono/node-server'

/** A listening HTTP server. */
export interface HttpServerHandle {
  /** `http://<host>:<port>` */
  url: string
  port: number
  close(): Promise<void>
}

/** Where to listen; `handler` may depend on the bound port (allowed hosts), so it is built after binding. */
export interface ServeHttpOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  build(port: number): FetchHandler
}

/** A bound port that could not be served. */
export class ServeHttpError extends Error {
  override name = 'ServeHttpError'
  readonly code = 'SERVE_FAILED'
}

/** Listens on `host:port` and serves the built handler. */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpServerHandle> {
  let handler: FetchHandler | undefined
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({
      fetch: (request: Request, env: unknown) => {
        if (!handler) return Response.json({ error: { code: 'INTERNAL', message: 'starting up; retry' } }, { status: 503 })
        return handler(request, contextFor(request, (env as { incoming?: IncomingMessage }).incoming))
      },
      port: options.port,
      hostname: options.host,
      overrideGlobalObjects: false,
    }, () => resolve(started))
    started.once('error', (error) => reject(new ServeHttpError(`Cannot listen on "${options.host}:${options.port}": ${error.message}; choose another port (--port) or stop what uses it`)))
  })
  const { port } = server.address() as AddressInfo
  handler = options.build(port)
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()))
      // Keep-alive connections would otherwise hold close() until they time out.
      ;(server as ServerType & { closeAllConnections?: () => void }).closeAllConnections?.()
    }),
  }
}

function contextFor(request: Request, incoming?: IncomingMessage): RequestContext {
  const given = request.headers.get('x-request-id')
  return {
    requestId: given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID(),
    ip: incoming?.socket.remoteAddress ?? 'unknown',
  }
}
