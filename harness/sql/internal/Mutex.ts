/** A FIFO async lock: PGlite has one connection, and an open unit pins one, so callers queue. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve()

  /** Waits for the lock and returns the function that frees it. */
  async lock(): Promise<() => void> {
    let release!: () => void
    const next = new Promise<void>((resolve) => (release = resolve))
    const previous = this.#tail
    this.#tail = previous.then(() => next)
    await previous
    return release
  }

  /** Runs `fn` while holding the lock. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.lock()
    try {
      return await fn()
    } finally {
      release()
    }
  }
}
