/**
 * Errors of the emulator itself. User-facing failures are ordinary responses in the shape of the
 * service they imitate (PostgREST, GoTrue, the API gateway); only a bug in the emulator is an
 * `InternalError`, which the dispatcher turns into a 500.
 */

/** A bug in the emulator (never a user error): the dispatcher answers 500 and logs it. */
export class InternalError extends Error {
  override name = 'InternalError'
  readonly code = 'EMULATOR_INTERNAL'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Every log line of the emulator starts with this, so its output is easy to find. */
export const LOG_PREFIX = '[atoms-test emulator]'

/** Prints a warning with the emulator's prefix (stderr: stdout may carry a protocol). */
export function warn(message: string, ...details: unknown[]): void {
  console.warn(`${LOG_PREFIX} ${message}`, ...details)
}

/** Prints an error with the emulator's prefix. */
export function logError(message: string, ...details: unknown[]): void {
  console.error(`${LOG_PREFIX} ${message}`, ...details)
}
