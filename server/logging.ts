/**
 * The logger shape the server writes to: pino-compatible (`logger.error(obj, msg)`), always on
 * stderr because stdout carries the stdio transport. Secrets are never passed to it.
 */

/** What the server logs through; a pino logger fits. */
export interface ServerLogger {
  error(obj: Record<string, unknown>, msg: string): void
  warn(obj: Record<string, unknown>, msg: string): void
  info(obj: Record<string, unknown>, msg: string): void
}

const LEVELS = { error: 50, warn: 40, info: 30 } as const

/** A minimal JSON-lines logger on stderr, used when no logger is given. */
export function stderrLogger(minimum: keyof typeof LEVELS = 'info'): ServerLogger {
  const write = (level: keyof typeof LEVELS) => (obj: Record<string, unknown>, msg: string) => {
    if (LEVELS[level] < LEVELS[minimum]) return
    const fields = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v]))
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), name: 'atoms-mcp', msg, ...fields })}\n`)
  }
  return { error: write('error'), warn: write('warn'), info: write('info') }
}
