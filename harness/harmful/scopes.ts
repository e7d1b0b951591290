/**
 * Side tables of harmful(): which tracker belongs to which task, which trackers are still
 * open (for the interrupt handler), and the worker-wide defaults. Trackers hang off tasks
 * through WeakMaps, so the task objects stay plain data for reporters.
 */
import type { RunnerTask } from 'vitest'
import type { HarmfulReport } from '../taskMeta.ts'
import type { HarmfulDefaults, TrackInput, TrackedRow } from './types.ts'
import type { FlushOptions } from './HarmfulTracker.ts'
import { isFlowSuite } from '../internal/units.ts'
import { sharedState } from '../internal/sharedState.ts'
import { HarmfulTracker } from './HarmfulTracker.ts'

interface HarmfulState {
  defaults: HarmfulDefaults
  scopes: WeakMap<RunnerTask, HarmfulTracker>
  /** Owners whose scope ended before anything was tracked; later rows go to the late scope. */
  ended: WeakSet<RunnerTask>
  late: WeakMap<RunnerTask, HarmfulTracker>
  open: Set<HarmfulTracker>
  seq: number
}

const state = sharedState<HarmfulState>('harmful', () => ({
  defaults: {},
  scopes: new WeakMap(),
  ended: new WeakSet(),
  late: new WeakMap(),
  open: new Set(),
  seq: 0,
}))

const nextSeq = (): number => ++state.seq
const defaults = (): HarmfulDefaults => state.defaults

/** Sets worker-wide defaults (deleter, table dependencies, failOnLeak); fields left out keep their value. */
export function configureHarmful(options: HarmfulDefaults): void {
  const merged: Record<string, unknown> = { ...state.defaults }
  for (const [name, value] of Object.entries(options)) if (value !== undefined) merged[name] = value
  state.defaults = merged as HarmfulDefaults
}

/** Forgets every default set by `configureHarmful` (for tests of the harness). */
export function resetHarmfulDefaults(): void {
  state.defaults = {}
}

/** The defaults in effect now. */
export function harmfulDefaults(): Readonly<HarmfulDefaults> {
  return state.defaults
}

const TRUE = new Set(['1', 'true', 'yes', 'on'])

/** Whether leaks fail the run: `configureHarmful({ failOnLeak })`, else `ATOMS_FAIL_ON_LEAK`. */
export function failOnLeak(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return state.defaults.failOnLeak ?? TRUE.has((env.ATOMS_FAIL_ON_LEAK ?? '').trim().toLowerCase())
}

function fileOf(task: RunnerTask): RunnerTask {
  return task.file ?? task
}

function lateTracker(file: RunnerTask): HarmfulTracker {
  let tracker = state.late.get(file)
  if (!tracker || tracker.closed) {
    tracker = register(new HarmfulTracker({ scope: `${file.name} (late rows)`, kind: 'late', defaults, nextSeq }))
    state.late.set(file, tracker)
  }
  return tracker
}

function register(tracker: HarmfulTracker): HarmfulTracker {
  state.open.add(tracker)
  return tracker
}

/** The open tracker of `owner` (a test, flow suite, suite or file), made on first use. */
export function scopeTracker(owner: RunnerTask): HarmfulTracker {
  const current = state.scopes.get(owner)
  if (current) return current
  // A timed-out test body that goes on creating rows after its cleanup ran.
  if (state.ended.has(owner)) return lateTracker(fileOf(owner))
  const kind: HarmfulReport['scope'] = owner.type === 'test' ? 'test' : isFlowSuite(owner) ? 'flow' : 'suite'
  const onLate = (input: TrackInput): TrackedRow => lateTracker(fileOf(owner)).track(input)
  const tracker = register(new HarmfulTracker({ scope: owner.fullTestName || owner.name, kind, defaults, nextSeq, onLate }))
  state.scopes.set(owner, tracker)
  return tracker
}

/** True when `owner` has a tracker (open or closed). */
export function hasScope(owner: RunnerTask): boolean {
  return state.scopes.has(owner)
}

/** Forgets `owner`'s tracker so that the next use starts a fresh one (a retried test). */
export function resetScope(owner: RunnerTask): void {
  state.scopes.delete(owner)
  state.ended.delete(owner)
}

async function close(tracker: HarmfulTracker | undefined, options: FlushOptions): Promise<HarmfulReport | undefined> {
  if (!tracker) return undefined
  try {
    return await tracker.flush(options)
  } finally {
    state.open.delete(tracker)
  }
}

/** Flushes `owner`'s tracker if it has one; `undefined` when nothing was ever tracked there. */
export function closeScope(owner: RunnerTask, options: FlushOptions = {}): Promise<HarmfulReport | undefined> {
  state.ended.add(owner)
  return close(state.scopes.get(owner), options)
}

/**
 * Flushes a suite's own rows (tracked in its beforeAll) together with, for a file, the rows
 * tracked after their test's cleanup, so that foreign-key order holds across both.
 * `undefined` when neither holds anything. Later rows start a new late scope.
 */
export async function closeSuiteScopes(suite: RunnerTask): Promise<HarmfulReport | undefined> {
  state.ended.add(suite)
  const own = state.scopes.get(suite)
  const late = state.late.get(suite)
  state.late.delete(suite)
  const open = [own, late].filter((tracker): tracker is HarmfulTracker => tracker !== undefined && !tracker.closed)
  if (open.length === 0) return undefined
  // One flush for both, so that foreign-key order holds across them.
  const [target, other] = open as [HarmfulTracker, HarmfulTracker | undefined]
  if (other) {
    other.handOver(target)
    state.open.delete(other)
  }
  const report = await close(target, {})
  return report && report.tracked > 0 ? report : undefined
}

/** Flushes every tracker still open in this worker (end of run, interrupt). */
export async function closeAllScopes(): Promise<HarmfulReport[]> {
  const reports: HarmfulReport[] = []
  for (const tracker of [...state.open]) {
    const report = await close(tracker, {})
    if (report) reports.push(report)
  }
  return reports
}

/** Trackers that still hold or may receive rows. */
export function openTrackers(): HarmfulTracker[] {
  return [...state.open]
}
