/** Small statistics for the benchmarks: medians and percentiles of millisecond samples. */

/** The `p`-th percentile (0-100) of `samples`, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

/** Median of `samples`. */
export const median = (samples: number[]): number => percentile(samples, 50)

/** Times `fn` `count` times (after `warmup` untimed runs); returns the samples in ms. */
export async function sample(count: number, fn: () => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return samples
}

/** `12.34` with two decimals, for tables. */
export const ms = (value: number): string => value.toFixed(2)
