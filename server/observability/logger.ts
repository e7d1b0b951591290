/**
 * The server's structured logger: pino JSON lines on stderr (stdout carries the stdio
 * transport), each stamped with the current correlation id, with secrets scrubbed.
 */
import type { DestinationStream, Level, Logger } from 'pino'

import { pino } from 'pino'
import { currentRequestId } from './correlation.ts'
import { scrubString, scrubValue } from './internal/scrub.ts'

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written. Default `info`. */
  level?: Level | 'silent'
  /** Where lines go. Default: stderr, asynchronously buffered (flushed by `close`). */
  destination?: DestinationStream
  /** Fields put on every line, e.g. `{ service: 'atoms-mcp', version: '0.1.0' }`. */
  base?: Record<string, unknown>
}

/**
 * A pino logger whose every line carries `requestId` when one is current, and in which values
 * under secret-looking keys (authorization, apikey, password, *token*, *secret* …) and
 * token-shaped strings (JWTs, `Bearer …`, URL credentials) are replaced by `[REDACTED]`.
 * @note Scrubbing runs on the merged object before serialisation, on base and child bindings,
 * and once more on the finished line, so the message text is covered as well.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: false })
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => scrubValue(bindings) as Record<string, unknown>,
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      // Errors were already turned into scrubbed plain objects by the log formatter.
      serializers: { err: (value: unknown) => value },
      mixin: () => {
        const requestId = currentRequestId()
        return requestId === undefined ? {} : { requestId }
      },
      hooks: { streamWrite: scrubString },
    },
    destination,
  )
  // pino runs the bindings formatter for the root only; child bindings are scrubbed here.
  // Children are created with Object.create(parent), so grandchildren inherit this override.
  const child = logger.child
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, scrubValue(bindings) as typeof bindings, options)
  } as typeof logger.child
  return logger
}
