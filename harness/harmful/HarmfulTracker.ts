/**
 * Tracks the rows one scope (a test, a flow, a suite) created and deletes them when it ends:
 * newest first, children before parents, never stopping at the first failure.
 */
import type { HarmfulReport, Leak } from '../taskMeta.ts'
import type { HarmfulDefaults, RowDeleter, RowKey, TableDependencies, TrackInput, TrackedRow } from './types.ts'
import { TrackError } from '../errors.ts'
import { deletionOrder } from './deletionOrder.ts'

/** How a tracker is set up; `scope` and `kind` name it in reports. */
export interface TrackerOptions {
  /** Human-readable owner, e.g. the test's full name. */
  scope: string
  kind: HarmfulReport['scope']
  deleter?: RowDeleter
  dependencies?: TableDependencies
  /** Read at flush time, so a backend configured after the tracker was made is still used. */
  defaults?: () => HarmfulDefaults
  /** Where rows go that are tracked after this tracker was flushed (e.g. by a timed-out test body). */
  onLate?: (input: TrackInput) => TrackedRow
  /** Worker-wide creation counter; defaults to a private one. */
  nextSeq?: () => number
}

/** Options of one flush. */
export interface FlushOptions {
  /** The unit's transaction is rolled back instead: count the rows, delete nothing. */
  rolledBack?: boolean
}

const DEFAULT_DELETE_TIMEOUT_MS = 15_000

function checkKey(table: string, key: unknown): RowKey {
  if (typeof key === 'string' && key !== '') return key
  if (typeof key === 'number' && Number.isFinite(key)) return key
  if (key !== null && typeof key === 'object' && !Array.isArray(key)) {
    const entries = Object.entries(key)
    const valid = entries.length > 0 && entries.every(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    if (valid) return key as RowKey
  }
  throw new TrackError(`track() got key ${JSON.stringify(key) ?? String(key)} for table "${table}"; pass the primary key as a string, a number or { column: value } for a composite key.`)
}

function keyId(table: string, key: RowKey): string {
  if (typeof key !== 'object') return `${table}\u0000${typeof key}:${key}`
  const sorted = Object.keys(key).sort().map((column) => [column, key[column]])
  return `${table}\u0000${JSON.stringify(sorted)}`
}

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deleteRow() did not answer within ${ms} ms`)), ms)
    timer.unref?.()
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}

let privateSeq = 0

/** The cleanup tracker of one scope. Get the current one with `harmful()` / `harmfulFor(task)`. */
export class HarmfulTracker {
  readonly scope: string
  readonly kind: HarmfulReport['scope']
  #rows = new Map<string, TrackedRow>()
  #deleter: RowDeleter | undefined
  #dependencies: TableDependencies | undefined
  #defaults: () => HarmfulDefaults
  #onLate: ((input: TrackInput) => TrackedRow) | undefined
  #nextSeq: () => number
  #flushing: Promise<HarmfulReport> | undefined

  constructor(options: TrackerOptions) {
    this.scope = options.scope
    this.kind = options.kind
    this.#deleter = options.deleter
    this.#dependencies = options.dependencies
    this.#defaults = options.defaults ?? (() => ({}))
    this.#onLate = options.onLate
    this.#nextSeq = options.nextSeq ?? (() => ++privateSeq)
  }

  /**
   * Records a row to delete when the scope ends; call it right after the row was created.
   * Tracking the same row twice keeps the first record.
   * @throws TrackError for an empty table name, a missing key or an unknown delete mode.
   */
  track(input: TrackInput): TrackedRow {
    if (typeof input?.table !== 'string' || input.table.trim() === '') {
      throw new TrackError(`track() got table ${JSON.stringify(input?.table)}; pass the table's name, e.g. { table: 'projects', key: id }.`)
    }
    const key = checkKey(input.table, input.key)
    const deleteMode = input.deleteMode ?? 'hard'
    if (deleteMode !== 'soft' && deleteMode !== 'hard') {
      throw new TrackError(`track() got deleteMode "${String(deleteMode)}" for table "${input.table}"; use "soft" or "hard".`)
    }
    if (this.closed) {
      if (this.#onLate) return this.#onLate({ table: input.table, key, deleteMode })
      throw new TrackError(`Row of "${input.table}" was tracked after "${this.scope}" was cleaned up; track rows before the test ends.`)
    }
    const id = keyId(input.table, key)
    const existing = this.#rows.get(id)
    if (existing) return existing
    const row: TrackedRow = Object.freeze({ table: input.table, key, deleteMode, seq: this.#nextSeq() })
    this.#rows.set(id, row)
    return row
  }

  /** Stops tracking a row the test deleted itself. Returns whether it was tracked. */
  untrack(table: string, key: RowKey): boolean {
    return this.#rows.delete(keyId(table, key))
  }

  /** Rows still to delete, oldest first. */
  get rows(): readonly TrackedRow[] {
    return [...this.#rows.values()]
  }

  /** True once `flush()` started; later `track()` calls go to the late scope. */
  get closed(): boolean {
    return this.#flushing !== undefined
  }

  /** Deletes this scope's rows with `deleter` instead of the worker default. */
  useDeleter(deleter: RowDeleter): this {
    this.#deleter = deleter
    return this
  }

  /** Sets the table dependency map (`{ child: [parents] }`) for this scope. */
  useDependencies(dependencies: TableDependencies): this {
    this.#dependencies = dependencies
    return this
  }

  /**
   * Moves every row (keeping its creation order) to `target` and closes this tracker without
   * deleting anything. Returns how many rows moved.
   */
  handOver(target: HarmfulTracker): number {
    const rows = [...this.#rows.values()]
    this.#rows.clear()
    this.#flushing ??= Promise.resolve({ scope: this.kind, tracked: 0, deleted: 0, missing: 0, rolledBack: 0, leaks: [], durationMs: 0 })
    // Only public methods of `target`: the runner and the test files may hold different
    // module instances of this class, and private fields do not cross them.
    target.adopt(rows)
    return rows.length
  }

  /** Takes over rows tracked elsewhere, keeping their creation order (`seq`). */
  adopt(rows: readonly TrackedRow[]): void {
    for (const row of rows) {
      if (this.closed) {
        this.track(row)
        continue
      }
      const id = keyId(row.table, row.key)
      if (!this.#rows.has(id)) this.#rows.set(id, row)
    }
  }

  /** Deletes every tracked row and reports what happened; never throws. Calling it again returns the same report. */
  flush(options: FlushOptions = {}): Promise<HarmfulReport> {
    this.#flushing ??= this.#flush(options)
    return this.#flushing
  }

  async #flush(options: FlushOptions): Promise<HarmfulReport> {
    const started = performance.now()
    const rows = [...this.#rows.values()]
    this.#rows.clear()
    const report: HarmfulReport = { scope: this.kind, tracked: rows.length, deleted: 0, missing: 0, rolledBack: 0, leaks: [], durationMs: 0 }
    if (options.rolledBack) {
      report.rolledBack = rows.length
    } else if (rows.length > 0) {
      await this.#deleteAll(rows, report)
    }
    report.durationMs = Math.round((performance.now() - started) * 100) / 100
    return report
  }

  async #deleteAll(rows: TrackedRow[], report: HarmfulReport): Promise<void> {
    const defaults = this.#defaults()
    const deleter = this.#deleter ?? defaults.deleter
    const ms = defaults.deleteTimeoutMs ?? DEFAULT_DELETE_TIMEOUT_MS
    const leak = (row: TrackedRow, reason: string): Leak => ({ table: row.table, key: row.key, reason })
    for (const row of deletionOrder(rows, this.#dependencies ?? defaults.dependencies ?? {})) {
      if (!deleter) {
        report.leaks.push(leak(row, 'no RowDeleter is configured; call configureHarmful({ deleter }) or tracker.useDeleter()'))
        continue
      }
      try {
        const outcome = await timeout(Promise.resolve().then(() => deleter.deleteRow(row)), ms)
        if (outcome === 'deleted') report.deleted++
        else if (outcome === 'missing') report.missing++
        else report.leaks.push(leak(row, `deleteRow() answered ${JSON.stringify(outcome)} instead of "deleted" or "missing"`))
      } catch (error) {
        report.leaks.push(leak(row, error instanceof Error ? error.message : String(error)))
      }
    }
  }
}
