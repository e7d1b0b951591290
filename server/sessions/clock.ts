/**
 * Time source of the session layer. Every deadline (idle, absolute, grace, rate windows) is
 * computed from an injected `Clock`, so tests move time without waiting.
 */

/** Returns the current time in epoch milliseconds. */
export interface Clock {
  now(): number
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to; for tests and simulations. */
export class FakeClock implements Clock {
  #now: number

  /** @param start epoch ms to start at (default: the current wall-clock time) */
  constructor(start: number = Date.now()) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  /** Moves the clock forward by `ms` (must be >= 0). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`FakeClock.advance needs a non-negative number, got "${ms}"`)
    this.#now += ms
    return this.#now
  }

  /** Sets the clock to `at` epoch ms. */
  set(at: number): void {
    this.#now = at
  }
}

/** Resolves after `ms` real milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
