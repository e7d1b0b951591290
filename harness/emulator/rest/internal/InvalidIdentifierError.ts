/** An identifier that cannot be quoted safely (it contains a NUL byte). */
export class InvalidIdentifierError extends Error {
  override name = 'InvalidIdentifierError'
  readonly code = 'INVALID_IDENTIFIER'
  constructor(identifier: string) {
    super(`The identifier "${identifier.replaceAll('\0', '\\0')}" contains a NUL byte; rename it.`)
  }
}
