/** Errors of the e2e suite's helpers. */

/** A tool call that should have succeeded came back as a tool error. */
export class ToolCallError extends Error {
  override name = 'ToolCallError'
  readonly code: string | undefined
  constructor(call: string, code: string | undefined, message: string) {
    super(`${call} failed with ${code ?? 'no code'}: ${message}`)
    this.code = code
  }
}

/** A tool call that should have been refused succeeded, or failed without a structured error. */
export class UnexpectedResultError extends Error {
  override name = 'UnexpectedResultError'
}
