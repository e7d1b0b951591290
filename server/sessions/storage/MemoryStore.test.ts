import { expect, test } from 'vitest'
import { FakeClock } from '../clock.ts'
import { MemoryStore } from './MemoryStore.ts'

test('a sliding window of 200,000 hits: the next is refused until the oldest leaves the window', async () => {
  const clock = new FakeClock(1_000_000)
  const store = new MemoryStore({ clock })
  const limit = 200_000
  const windowMs = 60_000
  // Spread over 50 s, as a large budget fills under load.
  for (let i = 0; i < limit; i++) {
    const hit = await store.hitWindow('tool:user:u1', 1_000_000 + Math.floor(i / 4_000) * 1_000, windowMs, limit)
    expect(hit.allowed).toBe(true)
  }
  const refused = await store.hitWindow('tool:user:u1', 1_050_000, windowMs, limit)
  expect(refused).toEqual({ allowed: false, count: limit, retryAfterMs: 10_000 })
  // One second after the first 4,000 left the window, 4,000 new hits fit and the next one does not.
  for (let i = 0; i < 4_000; i++) expect((await store.hitWindow('tool:user:u1', 1_060_000, windowMs, limit)).allowed).toBe(true)
  expect((await store.hitWindow('tool:user:u1', 1_060_000, windowMs, limit)).allowed).toBe(false)
})

test('hits stay in time order when the clock goes back', async () => {
  const clock = new FakeClock(10_000)
  const store = new MemoryStore({ clock })
  await store.hitWindow('ip:a', 10_000, 1_000, 3)
  await store.hitWindow('ip:a', 9_500, 1_000, 3)
  await store.hitWindow('ip:a', 10_200, 1_000, 3)
  // At 10,600 the hit of 9,500 has left; the window holds 10,000 and 10,200.
  expect(await store.hitWindow('ip:a', 10_600, 1_000, 3)).toEqual({ allowed: true, count: 3, retryAfterMs: 0 })
  expect(await store.hitWindow('ip:a', 10_600, 1_000, 3)).toEqual({ allowed: false, count: 3, retryAfterMs: 400 })
})
