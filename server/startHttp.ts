/**
 * The Streamable HTTP transport as a process: observability mounted around everything (logs,
 * metrics, health, dashboard, the tool-call wrapper), the session layer in front of `/mcp`
 * (on unless `config.sessions` is false: every bearer token, a bare Supabase access token
 * included, is bound to a session), bearer-token verification, DNS-rebinding protection, one port.
 */
import type { ServerConfig } from './config.ts'
import type { ExtraRoutes } from './http/createHttpApp.ts'
import type { Middleware } from './http/types.ts'
import type { HttpServerHandle } from './http/serve.ts'
import type { Sessions } from './sessions/index.ts'

import { SERVER_INFO } from './createServer.ts'
import { BackgroundWork } from './background.ts'
import { UserClientCache } from './data/client.ts'
import { createTokenVerifier } from './http/auth.ts'
import { createHttpApp } from './http/createHttpApp.ts'
import { defaultAllowed } from './http/hostGuard.ts'
import { serveHttp } from './http/serve.ts'
import { createObservability, fetchCheck, observabilityOptionsFromEnv } from './observability/index.ts'
import { createSessions } from './sessions/index.ts'

/** Options of {@link startHttp} beyond the configuration. */
export interface StartHttpOptions {
  /** Read by the session layer (`ATOMS_SESSION_*`, store choice). */
  env: NodeJS.ProcessEnv
  /** The session layer (login, refresh, revocation, rate limits) in front of `/mcp`; default `config.sessions`. */
  sessions?: boolean
}

/** A running HTTP server with its layers. */
export interface HttpHandle extends HttpServerHandle {
  /** The session layer, `null` when turned off. */
  sessions: Sessions | null
  /** Stops accepting requests, waits for background runs, closes the layers. */
  close(): Promise<void>
}

/** Starts the HTTP transport. */
export async function startHttp(config: ServerConfig, options: StartHttpOptions): Promise<HttpHandle> {
  const verifier = createTokenVerifier({ supabaseUrl: config.supabaseUrl, jwtSecret: config.jwtSecret, audience: config.jwtAudience, issuer: config.jwtIssuer })
  // The session layer adopts bare tokens with the very verifier bearer auth uses.
  const sessions = (options.sessions ?? config.sessions)
    ? createSessions({ env: { ...options.env, SUPABASE_URL: config.supabaseUrl, SUPABASE_ANON_KEY: config.anonKey }, verifier })
    : null
  const obs = createObservability({
    ...observabilityOptionsFromEnv(options.env),
    service: SERVER_INFO.name,
    version: SERVER_INFO.version,
    readiness: { supabase: fetchCheck(`${config.supabaseUrl}/auth/v1/health`, { headers: { apikey: config.anonKey } }) },
  })
  const logger = obs.logger
  const supabase = { url: config.supabaseUrl, anonKey: config.anonKey, fetch: obs.fetch }
  const background = new BackgroundWork(logger)
  const deps = {
    supabase,
    clients: new UserClientCache(supabase),
    background,
    wrapInvoker: obs.wrapTool,
    logger,
  }
  const routes: ExtraRoutes[] = [{ handles: (request) => obs.handles(request), handler: obs.routes }]
  const mcpMiddleware: Middleware[] = sessions ? [sessions.middleware] : []
  const server = await serveHttp({
    host: config.host,
    port: config.port,
    build(port) {
      const allowed = defaultAllowed(config.host, port)
      return createHttpApp({
        deps,
        verifier,
        hostGuard: config.dnsRebindingProtection
          ? { allowedHosts: config.allowedHosts ?? allowed.allowedHosts, allowedOrigins: config.allowedOrigins ?? allowed.allowedOrigins }
          : null,
        middleware: [obs.middleware],
        mcpMiddleware,
        routes,
      })
    },
  })
  logger.info({ url: `${server.url}/mcp`, sessions: sessions ? sessions.store.kind : false, dnsRebindingProtection: config.dnsRebindingProtection }, 'atoms-mcp listening')
  return {
    ...server,
    sessions,
    async close() {
      await server.close()
      await background.drain(10_000)
      await sessions?.close()
      await obs.close()
    },
  }
}
