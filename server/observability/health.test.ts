import type { ReadinessReport } from './health.ts'

import { describe, expect, test } from 'vitest'
import { createHealth, fetchCheck } from './health.ts'
import { recordingServer } from './test/test-utils.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('createHealth', () => {
  test('ready when every check passes, with a latency per check', async () => {
    const health = createHealth({ checks: { supabase: () => sleep(15), sessionStore: async () => 'PONG' } })
    const report = await health.ready()
    expect(report.status).toBe('ready')
    expect(report.failing).toEqual([])
    expect(report.checks.supabase!.ok).toBe(true)
    expect(report.checks.supabase!.latencyMs).toBeGreaterThanOrEqual(10)
    expect(report.checks.sessionStore).toMatchObject({ ok: true })
    expect(health.last()).toBe(report)
  })

  test('names the failing check, with its scrubbed reason, and runs checks side by side', async () => {
    const events: string[] = []
    const health = createHealth({
      checks: {
        supabase: async () => {
          events.push('start supabase')
          await sleep(20)
          events.push('end supabase')
        },
        sessionStore: async () => {
          events.push('start sessionStore')
          await sleep(20)
          throw new Error('connect ECONNREFUSED redis://default:redis-pw@127.0.0.1:6399')
        },
      },
    })
    const report = await health.ready()
    expect(events.slice(0, 2).sort()).toEqual(['start sessionStore', 'start supabase'])
    expect(report.status).toBe('not_ready')
    expect(report.failing).toEqual(['sessionStore'])
    expect(report.checks.sessionStore!.error).toBe('connect ECONNREFUSED redis://default:[REDACTED]@127.0.0.1:6399')
    expect(report.checks.sessionStore!.latencyMs).toBeGreaterThanOrEqual(15)
    expect(report.checks.supabase!.ok).toBe(true)
  })

  test('a check that hangs fails at the time limit and sees its signal aborted', async () => {
    let aborted = false
    const health = createHealth({
      timeoutMs: 30,
      checks: {
        db: (signal) => new Promise(() => signal.addEventListener('abort', () => (aborted = true))),
      },
    })
    const report = await health.ready()
    expect(report.failing).toEqual(['db'])
    expect(report.checks.db!.error).toBe('check "db" timed out after 30 ms')
    expect(aborted).toBe(true)
  })

  test('no checks means ready; every evaluation is reported', async () => {
    const seen: ReadinessReport[] = []
    const health = createHealth({ onReadiness: (r) => seen.push(r) })
    expect(health.live()).toEqual({ status: 'alive' })
    expect(health.last()).toBeUndefined()
    await health.ready()
    expect(seen.map((r) => r.status)).toEqual(['ready'])
  })
})

describe('fetchCheck', () => {
  test('passes below 500, fails on 5xx and on an unreachable host', async () => {
    const server = await recordingServer((request, _i, response) => {
      response.writeHead(request.url === '/down' ? 503 : 401).end()
    })
    try {
      await expect(fetchCheck(`${server.url}/auth/v1/health`, { headers: { apikey: 'k' } })(AbortSignal.timeout(1000))).resolves.toBeUndefined()
      expect(server.received[0]!.headers.apikey).toBe('k')
      await expect(fetchCheck(`${server.url}/down`)(AbortSignal.timeout(1000))).rejects.toThrow('"/down" answered 503')
    } finally {
      await server.close()
    }
    await expect(fetchCheck(server.url)(AbortSignal.timeout(1000))).rejects.toThrow()
  })
})
