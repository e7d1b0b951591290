/**
 * Outbound alert webhooks against a real loopback receiver: retries with growing waits until
 * it recovers, dead letters when it never does, and the readiness-lost alert end to end.
 */
import type { Alert } from '../webhooks/AlertSender.ts'

import { createHmac } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createObservability } from '../index.ts'
import { createLogger } from '../logger.ts'
import { createMetrics } from '../metrics.ts'
import { AlertSender } from '../webhooks/AlertSender.ts'
import { captureLog, recordingServer, sample } from './test-utils.ts'

const ALERT: Alert = { kind: 'readiness_lost', severity: 'critical', summary: 'Server is not ready: "supabase" failing' }
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function receiver(failFirst: number, failStatus = 503) {
  const arrivals: number[] = []
  const server = await recordingServer((_request, index, response) => {
    arrivals.push(performance.now())
    response.writeHead(index < failFirst ? failStatus : 200, { 'content-type': 'text/plain' }).end(index < failFirst ? 'not yet' : 'ok')
  })
  cleanups.push(server.close)
  return { ...server, arrivals }
}

function sender(urls: string[], extra: Partial<ConstructorParameters<typeof AlertSender>[0]> = {}) {
  const log = captureLog()
  const metrics = createMetrics({ defaultMetrics: false })
  const s = new AlertSender({ urls, logger: createLogger({ destination: log.stream }), metrics, baseDelayMs: 40, random: () => 0.5, ...extra })
  cleanups.push(() => s.close())
  return { s, log, metrics }
}

describe('AlertSender', () => {
  test('retries a receiver that fails the first tries, with growing waits, then delivers', async () => {
    const server = await receiver(2)
    const { s, metrics } = sender([`${server.url}/hooks/secret-path-token`], { secret: 'alert-secret' })
    const [result] = await s.send(ALERT)
    expect(result).toEqual({ target: server.url, delivered: true, attempts: 3, status: 200, delaysMs: [30, 60] })
    expect(server.received).toHaveLength(3)
    const gaps = [server.arrivals[1]! - server.arrivals[0]!, server.arrivals[2]! - server.arrivals[1]!]
    expect(gaps[0]).toBeGreaterThanOrEqual(28)
    expect(gaps[1]).toBeGreaterThanOrEqual(58)
    // one alert, one id and one body on every try; the body is signed
    const ids = new Set(server.received.map((r) => r.headers['x-atoms-alert-id']))
    expect(ids.size).toBe(1)
    const body = server.received[2]!.body
    expect(JSON.parse(body)).toMatchObject({ ...ALERT, service: 'atoms-mcp', id: [...ids][0] })
    expect(server.received[2]!.headers['x-atoms-signature']).toBe(`sha256=${createHmac('sha256', 'alert-secret').update(body).digest('hex')}`)
    expect(s.deadLetters()).toEqual([])
    const text = await metrics.render()
    expect(sample(text, 'atoms_webhook_deliveries_total', { direction: 'outbound', kind: 'readiness_lost', outcome: 'retry' })).toBe(2)
    expect(sample(text, 'atoms_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1)
  })

  test('waits grow exponentially with jitter inside [step/2, step] and stop at the ceiling', async () => {
    const server = await receiver(99)
    let r = 0
    const rolls = [0, 0.999, 0.5, 0.25]
    const { s } = sender([server.url], { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50, random: () => rolls[r++ % rolls.length]! })
    const [result] = await s.send(ALERT)
    // steps 10, 20, 40, 50 (ceiling); each wait is step/2 + roll * step/2
    expect(result!.delaysMs).toEqual([5, 20, 30, 31])
    expect(result!.attempts).toBe(5)
  })

  test('a receiver that never recovers yields a bounded number of tries and a dead letter', async () => {
    const server = await receiver(99)
    const dir = await mkdtemp(join(tmpdir(), 'atoms-dead-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const file = join(dir, 'dead.jsonl')
    const { s, log, metrics } = sender([`${server.url}/t0k3n-in-path`], { maxAttempts: 3, baseDelayMs: 5, deadLetterFile: file })
    const [result] = await s.send(ALERT)
    expect(result).toMatchObject({ delivered: false, attempts: 3, status: 503 })
    expect(server.received).toHaveLength(3)
    const [letter] = s.deadLetters()
    expect(letter).toMatchObject({ target: server.url, attempts: 3, lastStatus: 503, alert: { kind: 'readiness_lost' } })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(letter)
    expect(sample(await metrics.render(), 'atoms_webhook_deliveries_total', { outcome: 'dead_letter' })).toBe(1)
    expect(log.text()).toContain('alert dead-lettered')
    expect(log.text()).not.toContain('t0k3n-in-path')
  })

  test('a permanent refusal (400) is not retried; an unreachable receiver is retried then dead-lettered', async () => {
    const server = await receiver(99, 400)
    const closed = await recordingServer(() => {})
    await closed.close()
    const { s } = sender([server.url, closed.url], { maxAttempts: 3, baseDelayMs: 5 })
    const [refused, unreachable] = await s.send(ALERT)
    expect(refused).toMatchObject({ delivered: false, attempts: 1, status: 400, delaysMs: [] })
    expect(unreachable).toMatchObject({ delivered: false, attempts: 3 })
    expect(unreachable!.error).toMatch(/fetch failed|ECONNREFUSED/)
    expect(s.deadLetters()).toHaveLength(2)
  })

  test('close() ends the wait between tries and dead-letters the alert as shutdown', async () => {
    const server = await receiver(99)
    const { s } = sender([server.url], { baseDelayMs: 10_000 })
    const delivery = s.send(ALERT)
    while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    const started = performance.now()
    await s.close()
    const [result] = await delivery
    expect(performance.now() - started).toBeLessThan(1000)
    expect(result).toMatchObject({ delivered: false, attempts: 1 })
    expect(s.deadLetters()[0]).toMatchObject({ attempts: 1, lastStatus: 503 })
  })
})

describe('readiness-lost alert end to end', () => {
  test('/health/ready turning 503 sends one alert through a flaky receiver', async () => {
    const server = await receiver(1)
    let redisUp = true
    const obs = createObservability({
      logger: { destination: captureLog().stream },
      metrics: { defaultMetrics: false },
      readiness: { sessionStore: async () => { if (!redisUp) throw new Error('redis down') } },
      alerts: { urls: [server.url], baseDelayMs: 10, intervalMs: 0 },
    })
    cleanups.push(obs.close)
    const ready = () => obs.routes(new Request('http://x/health/ready'), { requestId: 'r', ip: '' })
    expect((await ready()).status).toBe(200)
    redisUp = false
    const response = await ready()
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ status: 'not_ready', failing: ['sessionStore'], checks: { sessionStore: { ok: false, error: 'redis down' } } })
    await ready()
    while (obs.alerts.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(server.received).toHaveLength(2)
    expect(JSON.parse(server.received[1]!.body)).toMatchObject({ kind: 'readiness_lost', details: { failing: ['sessionStore'] } })
  })
})
