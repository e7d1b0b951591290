/**
 * `atoms-mcp`: the command line of the server.
 *   atoms-mcp                               stdio (ATOMS_ACCESS_TOKEN is the caller)
 *   atoms-mcp --transport http --port 8787  Streamable HTTP on /mcp (a bearer token per request,
 *                                           bound to a session; --no-sessions checks the token alone)
 * Configuration comes from the environment (see `config.ts`); a bad variable exits with code 2
 * and a message naming it.
 */
import { Command, InvalidArgumentError, Option } from 'commander'
import { SERVER_INFO } from './createServer.ts'
import { loadConfig } from './config.ts'
import { ConfigError } from './errors.ts'
import { stderrLogger } from './logging.ts'
import { SessionConfigError } from './sessions/errors.ts'
import { startHttp } from './startHttp.ts'
import { startStdio } from './stdio.ts'

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number 0-65535')
  return n
}

/**
 * A shutdown that always ends the process: a close that fails (say, stderr gone with the parent
 * that spawned us) or hangs must not leave a server running with its signal handler used up.
 */
function shutdown(close: () => Promise<void>): () => void {
  return () => {
    setTimeout(() => process.exit(1), 10_000).unref()
    close().then(() => process.exit(0), () => process.exit(1))
  }
}

/** Runs the CLI; resolves once the server is up (it keeps running until a signal or stdin closes). */
export async function main(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const program = new Command()
    .name('atoms-mcp')
    .description('The Atoms MCP server: workspaces, entities, relationships, workflows and queries over Supabase')
    .version(SERVER_INFO.version)
    .addOption(new Option('--transport <kind>', 'transport to serve').choices(['stdio', 'http']).default('stdio'))
    .option('--port <number>', 'HTTP port (default ATOMS_MCP_PORT or 8787; 0 picks a free one)', port)
    .option('--host <address>', 'HTTP bind address (default ATOMS_MCP_HOST or 127.0.0.1)')
    .option('--sessions', 'put the session layer (login, refresh, revocation, rate limits) in front of /mcp (the default; ATOMS_MCP_SESSIONS=true)')
    .option('--no-sessions', 'HTTP without the session layer: every bearer token is only verified (ATOMS_MCP_SESSIONS=false)')
    .showHelpAfterError()
  program.parse(argv)
  // Writing logs to a closed pipe (the parent went away) must not crash or wedge the process.
  process.stderr.on('error', () => undefined)
  const flags = program.opts<{ transport: 'stdio' | 'http', port?: number, host?: string, sessions?: boolean }>()
  try {
    const config = loadConfig(env, flags.transport)
    if (flags.port !== undefined) config.port = flags.port
    if (flags.host !== undefined) config.host = flags.host
    if (flags.sessions !== undefined) config.sessions = flags.sessions
    if (flags.transport === 'stdio') {
      const logger = stderrLogger(config.logLevel)
      const handle = await startStdio(config, logger)
      const stop = shutdown(() => handle.close())
      process.stdin.once('end', stop)
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      return
    }
    const handle = await startHttp(config, { env })
    // Tests and supervisors read the bound address from this one stderr line.
    process.stderr.write(`atoms-mcp listening on ${handle.url}/mcp\n`)
    const stop = shutdown(() => handle.close())
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  } catch (error) {
    // A bad ATOMS_SESSION_* setting is a configuration error too.
    if (error instanceof ConfigError || error instanceof SessionConfigError) {
      process.stderr.write(`atoms-mcp: ${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
}
