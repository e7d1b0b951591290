/**
 * The cold-mode adapter: the emulator on a real HTTP server on loopback (random port by default),
 * through `@hono/node-server`, which turns node:http into fetch `Request`/`Response` and back.
 */
import type { ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import type { Emulator } from './core.ts'
import { serve } from '@hono/node-server'

/** Where to listen. */
export interface ServeOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number
  /** Interface to bind (default 127.0.0.1: loopback only). */
  host?: string
}

/** A running emulator server. */
export interface ServedEmulator {
  /** `http://<host>:<port>`, the `SUPABASE_URL` of the emulator. */
  url: string
  port: number
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>
}

/** A port was taken or the host cannot be bound. */
export class ServeError extends Error {
  override name = 'ServeError'
  readonly code = 'EMULATOR_SERVE'
  constructor(host: string, port: number, cause: unknown) {
    super(`Cannot serve the emulator on "${host}:${port}": ${(cause as Error)?.message ?? cause}; pick another port or 0.`, {
      cause,
    })
  }
}

/**
 * Serves `emulator` over HTTP. Sets `emulator.ctx.baseUrl` to the served URL, so the tokens it
 * signs name the right issuer.
 */
export async function serveEmulator(emulator: Emulator, options: ServeOptions = {}): Promise<ServedEmulator> {
  const host = options.host ?? '127.0.0.1'
  const requestedPort = options.port ?? 0
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      {
        fetch: (request: Request) => emulator.handle(request),
        port: requestedPort,
        hostname: host,
        // Keep the process's own Request/Response classes: msw and supabase-js share them.
        overrideGlobalObjects: false,
      },
      () => resolve(started),
    )
    started.once('error', (error) => reject(new ServeError(host, requestedPort, error)))
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  emulator.ctx.baseUrl = url
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        const http = server as ServerType & { closeAllConnections?: () => void }
        server.close((error) => (error ? reject(error) : resolve()))
        // Clients keep connections alive; without this, close() waits for them to time out.
        http.closeAllConnections?.()
      }),
  }
}
