import type { Alert } from './AlertSender.ts'

import { describe, expect, test } from 'vitest'
import { createHealth } from '../health.ts'
import { createLogger } from '../logger.ts'
import { createMetrics } from '../metrics.ts'
import { RollingStats } from '../RollingStats.ts'
import { captureLog, recordingServer } from '../test/test-utils.ts'
import { AlertSender } from './AlertSender.ts'
import { createAlertMonitor } from './alertMonitor.ts'

describe('createAlertMonitor', () => {
  test('alerts once per crossing: readiness lost/restored, error rate high/recovered', async () => {
    const receiver = await recordingServer((_r, _i, response) => response.writeHead(204).end())
    try {
      const logger = createLogger({ destination: captureLog().stream })
      const metrics = createMetrics({ defaultMetrics: false })
      const stats = new RollingStats()
      const sender = new AlertSender({ urls: [`${receiver.url}/hook`], logger, metrics })
      let dbUp = true
      let monitor: ReturnType<typeof createAlertMonitor> | undefined
      const health = createHealth({
        checks: { supabase: async () => { if (!dbUp) throw new Error('connection refused') } },
        onReadiness: (r) => monitor?.onReadiness(r),
      })
      monitor = createAlertMonitor({ sender, health, stats, logger, errorRateThreshold: 0.5, minCalls: 4, intervalMs: 0 })
      const kinds = () => receiver.received.map((r) => (JSON.parse(r.body) as Alert).kind)
      const settle = async () => {
        while (sender.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5))
      }

      await monitor.evaluate()
      dbUp = false
      await monitor.evaluate()
      await monitor.evaluate()
      await health.ready()
      await settle()
      expect(kinds()).toEqual(['readiness_lost'])
      const lost = JSON.parse(receiver.received[0]!.body)
      expect(lost).toMatchObject({ severity: 'critical', summary: 'Server is not ready: "supabase" failing', details: { failing: ['supabase'] } })

      dbUp = true
      for (let i = 0; i < 3; i++) stats.recordTool('entity', 'read_entity', 1, `e${i}`, 'INTERNAL')
      await monitor.evaluate() // 3 calls: below minCalls, not judged
      stats.recordTool('entity', 'read_entity', 1, 'e3', 'INTERNAL')
      await monitor.evaluate()
      await monitor.evaluate()
      for (let i = 0; i < 6; i++) stats.recordTool('entity', 'read_entity', 1, `ok${i}`)
      await monitor.evaluate()
      await settle()
      expect(kinds()).toEqual(['readiness_lost', 'readiness_restored', 'error_rate_high', 'error_rate_recovered'])
      expect(JSON.parse(receiver.received[2]!.body).summary).toBe('Tool error rate 100.0% over the last 300 s is above 50.0%')
      monitor.stop()
    } finally {
      await receiver.close()
    }
  })
})
