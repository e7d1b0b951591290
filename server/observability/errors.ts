/** Errors raised by the observability layer. */

/** One or more observability settings are unusable; `errors` lists each problem. */
export class ObservabilityConfigError extends AggregateError {
  override name = 'ObservabilityConfigError'
  readonly code = 'OBSERVABILITY_CONFIG'

  constructor(problems: string[]) {
    super(
      problems.map((p) => new Error(p)),
      `Observability settings are invalid: ${problems.join('; ')}. Fix them and restart the server.`,
    )
  }
}
