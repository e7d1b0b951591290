/** Public types of the harmful() cleanup tracker. */

/** `soft` sets the row's soft-delete flag; `hard` removes it. The deleter decides how. */
export type DeleteMode = 'soft' | 'hard'

/** A primary key: one value, or column -> value for a composite key. */
export type RowKey = string | number | Readonly<Record<string, string | number | boolean>>

/** What a fixture passes to `track()` right after it created a row. */
export interface TrackInput {
  /** Table name, optionally schema-qualified (`auth.users`). */
  table: string
  key: RowKey
  /** Defaults to `hard`. */
  deleteMode?: DeleteMode
}

/** A row the tracker will delete at the end of its scope. */
export interface TrackedRow {
  readonly table: string
  readonly key: RowKey
  readonly deleteMode: DeleteMode
  /** Creation order across the whole worker; higher is newer. */
  readonly seq: number
}

/**
 * Deletes one tracked row, normally with the service role (the backend implements it).
 * Answers `missing` when the row is already gone; throws (or rejects) when it cannot delete it.
 */
export interface RowDeleter {
  deleteRow(row: TrackedRow): Promise<'deleted' | 'missing'>
}

/** Foreign keys between tables: `{ child: [parent, …] }`. Rows of a child table are deleted before its parents'. */
export type TableDependencies = Readonly<Record<string, readonly string[]>>

/** Defaults for every tracker of the worker; a tracker's own settings win. */
export interface HarmfulDefaults {
  /** Used when a tracker has none of its own. */
  deleter?: RowDeleter | undefined
  dependencies?: TableDependencies | undefined
  /** Fail the test (or flow) that leaked rows. Defaults to `ATOMS_FAIL_ON_LEAK` (`1`/`true`). */
  failOnLeak?: boolean | undefined
  /** How long one `deleteRow` may take before it counts as a leak. Default 15 s. */
  deleteTimeoutMs?: number | undefined
}
