/**
 * Cleanup on SIGINT / SIGTERM inside a test worker process: Ctrl+C reaches the whole
 * process group, so without a handler the worker would die with its tracked rows in place.
 * The handler flushes what is open (rows, isolation units) within a deadline, then lets the
 * signal take its normal course.
 */
import { isMainThread } from 'node:worker_threads'
import { sharedState } from '../internal/sharedState.ts'

/** What the handler runs on a signal. */
export interface InterruptActions {
  /** True when there is anything to clean up. */
  pending: () => boolean
  /** Cleans up; should not throw. */
  flush: (signal: NodeJS.Signals) => Promise<void>
}

/** Options of `installInterruptHandler`. */
export interface InterruptOptions {
  signals?: readonly NodeJS.Signals[]
  /** How long cleanup may take before the signal is let through anyway. Default 10 s. */
  deadlineMs?: number
}

const state = sharedState('interrupt', () => ({ installed: false, actions: undefined as InterruptActions | undefined }))

const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

/**
 * Installs the handler once per process (worker threads cannot receive signals, so there it
 * does nothing). Later calls replace the actions, since each test file gets a new runner.
 */
export function installInterruptHandler(actions: InterruptActions, options: InterruptOptions = {}): void {
  state.actions = actions
  if (state.installed || !isMainThread) return
  state.installed = true
  const signals = options.signals ?? ['SIGINT', 'SIGTERM']
  const deadlineMs = options.deadlineMs ?? 10_000
  let flushing = false
  const detach = (): void => {
    for (const signal of signals) process.off(signal, onSignal)
    state.installed = false
  }
  const passOn = (signal: NodeJS.Signals): void => {
    detach()
    // With no other listener left, re-raising gives the default action (exit by signal).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    else process.exit(EXIT_CODES[signal] ?? 1)
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    const current = state.actions
    // A second signal while cleaning up means "stop now".
    if (flushing || !current?.pending()) return passOn(signal)
    flushing = true
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref())
    void Promise.race([current.flush(signal).catch(() => {}), deadline]).finally(() => passOn(signal))
  }
  for (const signal of signals) process.on(signal, onSignal)
}
