/**
 * The stdio transport: one caller, the user whose Supabase access token is in
 * `ATOMS_ACCESS_TOKEN`, verified at start-up so a wrong or expired token stops the process with
 * a clear message instead of failing every call. stdout carries the protocol; logs go to stderr.
 */
import type { ServerConfig } from './config.ts'
import type { ServerLogger } from './logging.ts'

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { createServer } from './createServer.ts'
import { ConfigError } from './errors.ts'
import { TokenRejectedError, createTokenVerifier } from './http/auth.ts'

/** A running stdio server. */
export interface StdioHandle {
  close(): Promise<void>
  /** Resolves when the client closes stdin. */
  closed: Promise<void>
}

/** Verifies the caller's token and serves MCP over this process's stdin/stdout. */
export async function startStdio(config: ServerConfig, logger: ServerLogger): Promise<StdioHandle> {
  const accessToken = config.accessToken!
  const verifier = createTokenVerifier({ supabaseUrl: config.supabaseUrl, jwtSecret: config.jwtSecret, audience: config.jwtAudience, issuer: config.jwtIssuer })
  let userId: string
  try {
    userId = (await verifier.verify(accessToken)).userId
  } catch (error) {
    if (error instanceof TokenRejectedError) throw new ConfigError(`ATOMS_ACCESS_TOKEN was refused: ${error.reason}. Sign in again and export the new access token.`, ['ATOMS_ACCESS_TOKEN'])
    throw error
  }
  const server = createServer({ supabase: { url: config.supabaseUrl, anonKey: config.anonKey }, caller: { accessToken, userId }, logger })
  const transport = new StdioServerTransport()
  const closed = new Promise<void>((resolve) => { transport.onclose = () => resolve() })
  await server.connect(transport)
  logger.info({ transport: 'stdio', userId }, 'atoms-mcp serving on stdio')
  return { close: () => server.close(), closed }
}
