import { describe, expect, test } from 'vitest'
import { RollingStats, percentile } from './RollingStats.ts'

function clock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('percentile', () => {
  test('nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 50)).toBe(0)
  })
})

describe('RollingStats', () => {
  test('per-tool counts, error rate and latency percentiles', () => {
    const c = clock()
    const stats = new RollingStats({ now: c.now })
    for (let ms = 1; ms <= 100; ms++) stats.recordTool('entity', 'read_entity', ms, `r${ms}`)
    stats.recordTool('query', 'query_entities', 5, 'q1')
    stats.recordTool('query', 'query_entities', 9, 'q2', 'FORBIDDEN', 'row-level security for "documents"')
    c.advance(10_000)
    const snap = stats.snapshot()
    expect(snap.tools).toEqual([
      { tool: 'entity', calls: 100, errors: 0, errorRate: 0, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 },
      { tool: 'query', calls: 2, errors: 1, errorRate: 0.5, p50Ms: 5, p95Ms: 9, p99Ms: 9, maxMs: 9 },
    ])
    expect(snap.toolCalls).toEqual({ total: 102, errors: 1, perSecond: 10.2, errorRate: 0.01 })
    expect(snap.recentErrors).toEqual([
      { at: '2030-01-01T00:00:00.000Z', requestId: 'q2', source: 'tool', where: 'query.query_entities', code: 'FORBIDDEN', message: 'row-level security for "documents"' },
    ])
  })

  test('HTTP 5xx answers are errors; 4xx are not', () => {
    const c = clock()
    const stats = new RollingStats({ now: c.now })
    stats.recordHttp('POST', '/mcp', 200, 'a')
    stats.recordHttp('POST', '/mcp', 404, 'b')
    stats.recordHttp('POST', '/mcp', 503, 'c')
    c.advance(1000)
    const snap = stats.snapshot()
    expect(snap.http).toEqual({ total: 3, errors: 1, perSecond: 3, errorRate: 0.333 })
    expect(snap.recentErrors.map((e) => [e.requestId, e.where, e.code])).toEqual([['c', 'POST /mcp', '503']])
  })

  test('figures leave the window as time passes', () => {
    const c = clock()
    const stats = new RollingStats({ now: c.now, windowSeconds: 60, bucketSeconds: 10 })
    stats.recordTool('entity', 'read_entity', 100, 'old', 'INTERNAL')
    c.advance(30_000)
    stats.recordTool('entity', 'read_entity', 2, 'new')
    expect(stats.snapshot().tools[0]).toMatchObject({ calls: 2, errors: 1, p99Ms: 100 })
    c.advance(35_000)
    const snap = stats.snapshot()
    expect(snap.tools[0]).toMatchObject({ calls: 1, errors: 0, p50Ms: 2, p99Ms: 2 })
    expect(snap.recentErrors).toEqual([])
    expect(snap.toolCalls.perSecond).toBe(0.018)
  })

  test('series has one point per bucket across the window, newest last', () => {
    const c = clock()
    const stats = new RollingStats({ now: c.now, windowSeconds: 60, bucketSeconds: 10 })
    stats.recordTool('entity', 'read_entity', 4, 'a')
    c.advance(20_000)
    stats.recordTool('entity', 'read_entity', 8, 'b', 'INTERNAL')
    stats.recordTool('entity', 'read_entity', 6, 'c')
    const series = stats.snapshot().series
    expect(series).toHaveLength(6)
    expect(series.at(-1)).toMatchObject({ at: '2030-01-01T00:00:20.000Z', toolCalls: 2, toolErrors: 1, p50Ms: 6, p95Ms: 8 })
    expect(series.at(-3)).toMatchObject({ at: '2030-01-01T00:00:00.000Z', toolCalls: 1, p50Ms: 4 })
    expect(series.at(-2)).toMatchObject({ toolCalls: 0, p50Ms: 0 })
  })

  test('recent errors are bounded, newest first, and scrubbed', () => {
    const stats = new RollingStats({ recentErrors: 3 })
    for (let i = 0; i < 5; i++) stats.recordTool('t', 'o', 1, `r${i}`, 'INTERNAL', `failed with Bearer abcdefghijkl${i}`)
    const errors = stats.snapshot().recentErrors
    expect(errors.map((e) => e.requestId)).toEqual(['r4', 'r3', 'r2'])
    expect(errors[0]!.message).toBe('failed with Bearer [REDACTED]')
  })
})
