import { describe, expect, test } from 'vitest'
import { backoffDelay, withRetry } from './backoff.ts'

describe('backoff', () => {
  test('delays double up to the cap, jitter stays within the upper half', () => {
    expect([0, 1, 2, 3, 10].map((r) => backoffDelay(r, 100, 1000, () => 0))).toEqual([50, 100, 200, 400, 500])
    expect([0, 1, 2, 3, 10].map((r) => backoffDelay(r, 100, 1000, () => 0.999999))).toEqual([100, 200, 400, 800, 1000])
  })

  test('retries retryable errors a bounded number of times, then rethrows the last', async () => {
    const waits: number[] = []
    let calls = 0
    const run = withRetry(async () => {
      calls++
      throw new Error(`fail ${calls}`)
    }, { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, retryable: () => true, random: () => 0.5, sleep: async (ms) => { waits.push(ms) } })
    await expect(run).rejects.toThrow('fail 3')
    expect(calls).toBe(3)
    expect(waits).toEqual([8, 15])
  })

  test('a non-retryable error stops at once; a success returns', async () => {
    let calls = 0
    await expect(withRetry(async () => {
      calls++
      throw new Error('no')
    }, { attempts: 5, baseDelayMs: 1, maxDelayMs: 1, retryable: () => false })).rejects.toThrow('no')
    expect(calls).toBe(1)
    let n = 0
    expect(await withRetry(async (attempt) => {
      if (++n < 2) throw new Error('once')
      return attempt
    }, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, retryable: () => true, sleep: async () => {} })).toBe(2)
  })
})
