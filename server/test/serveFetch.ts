/** A loopback server for the HTTP layers' tests (observability, sessions). */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FetchHandler } from '../http/types.ts'
import { serve } from '@hono/node-server'
import { randomUUID } from 'node:crypto'

/** A running loopback HTTP server. */
export interface Served {
  url: string
  close(): Promise<void>
}

/**
 * Serves a fetch-style handler with `@hono/node-server` on 127.0.0.1, as the server will. The
 * client IP is the socket's, unless the test sends `x-test-client-ip` (standing in for a trusted proxy).
 */
export async function serveFetch(handler: FetchHandler): Promise<Served> {
  return new Promise((resolve) => {
    const server = serve(
      {
        hostname: '127.0.0.1',
        port: 0,
        fetch: (request: Request, env: unknown) => handler(request, {
          requestId: randomUUID(),
          ip: request.headers.get('x-test-client-ip') ?? (env as { incoming?: IncomingMessage }).incoming?.socket?.remoteAddress ?? '',
        }),
      },
      (info: AddressInfo) => resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((done) => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.()
          server.close(() => done())
        }),
      }),
    )
  })
}
