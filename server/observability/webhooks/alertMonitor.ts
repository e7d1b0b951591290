/**
 * Decides when to raise alerts: readiness lost (and restored), and the tool error rate over the
 * dashboard window crossing a threshold (and falling back). Each condition alerts once per
 * crossing, not on every evaluation.
 */
import type { Logger } from 'pino'
import type { Health, ReadinessReport } from '../health.ts'
import type { RollingStats } from '../RollingStats.ts'
import type { AlertSender } from './AlertSender.ts'

/** Options of {@link createAlertMonitor}. */
export interface AlertMonitorOptions {
  sender: AlertSender
  health: Health
  stats: RollingStats
  logger: Logger
  /** Tool error rate (0..1) above which `error_rate_high` fires. Default 0.25. */
  errorRateThreshold?: number
  /** Fewest tool calls in the window before the error rate is judged. Default 20. */
  minCalls?: number
  /** Period of the background evaluation; 0 turns it off. Default 15 s. */
  intervalMs?: number
}

/** The running monitor. */
export interface AlertMonitor {
  /** Feed of readiness reports (wired to `createHealth({ onReadiness })`). */
  onReadiness(report: ReadinessReport): void
  /** Checks readiness and the error rate now; resolves once any alert is handed to the sender. */
  evaluate(): Promise<void>
  stop(): void
}

/** Starts the monitor; its timer never keeps the process alive. */
export function createAlertMonitor(options: AlertMonitorOptions): AlertMonitor {
  const { sender, health, stats, logger } = options
  const threshold = options.errorRateThreshold ?? 0.25
  const minCalls = options.minCalls ?? 20
  let wasReady: boolean | undefined
  let errorRateHigh = false

  const raise = (alert: Parameters<AlertSender['send']>[0]): void => {
    logger.warn({ alert: alert.kind, summary: alert.summary }, 'alert raised')
    if (sender.enabled) void sender.send(alert)
  }

  const monitor: AlertMonitor = {
    onReadiness(report) {
      const ready = report.status === 'ready'
      if (!ready && wasReady !== false) {
        raise({
          kind: 'readiness_lost',
          severity: 'critical',
          summary: `Server is not ready: ${report.failing.map((n) => `"${n}"`).join(', ')} failing`,
          details: { failing: report.failing, checks: report.checks },
        })
      } else if (ready && wasReady === false) {
        raise({ kind: 'readiness_restored', severity: 'info', summary: 'Server is ready again', details: { checks: report.checks } })
      }
      wasReady = ready
    },
    async evaluate() {
      await health.ready()
      const { toolCalls, windowSeconds } = stats.snapshot()
      const high = toolCalls.total >= minCalls && toolCalls.errorRate > threshold
      if (high && !errorRateHigh) {
        raise({
          kind: 'error_rate_high',
          severity: 'warning',
          summary: `Tool error rate ${(toolCalls.errorRate * 100).toFixed(1)}% over the last ${windowSeconds} s is above ${(threshold * 100).toFixed(1)}%`,
          details: { ...toolCalls, threshold, windowSeconds },
        })
      } else if (!high && errorRateHigh) {
        raise({ kind: 'error_rate_recovered', severity: 'info', summary: 'Tool error rate is back under the threshold', details: { ...toolCalls, threshold } })
      }
      errorRateHigh = high
    },
    stop() {
      clearInterval(timer)
    },
  }

  const intervalMs = options.intervalMs ?? 15_000
  const timer = intervalMs > 0
    ? setInterval(() => {
      monitor.evaluate().catch((error: unknown) => logger.error({ err: error }, 'alert evaluation failed'))
    }, intervalMs)
    : undefined
  timer?.unref()
  return monitor
}
