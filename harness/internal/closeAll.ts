/** Teardown that keeps going: runs every closer even after one fails, then rethrows the first failure. */
export async function closeAll(closers: readonly (() => Promise<void> | void)[]): Promise<void> {
  let first: unknown
  for (const close of closers) {
    try {
      await close()
    } catch (error) {
      first ??= error
    }
  }
  if (first !== undefined) throw first
}
