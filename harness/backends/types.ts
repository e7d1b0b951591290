/**
 * The Backend: what a test file talks to in each mode — a Supabase URL with its keys, SQL
 * access where the mode has it, and per-unit isolation where the database can be rolled back.
 */
import type { Mode } from '../modes.ts'
import type { SqlExecutor } from '../sql/index.ts'
import type { HotConfig } from './hotConfig.ts'
import type { DatabaseSourceInfo } from './providers/index.ts'

/** How a test's rows are undone: a rolled-back unit, or deleting what harmful() tracked. */
export type IsolationKind = 'rollback' | 'cleanup'

/** What the run's global setup hands every test worker (plain JSON). */
export interface BackendInfo {
  mode: Mode
  runId: string
  isolation: IsolationKind
  /** One line: which backend and provider this run uses. */
  description: string
  /** dry and cold: where fresh databases come from. */
  source?: DatabaseSourceInfo
  /** hot: the live project. */
  hot?: HotConfig
}

/** A backend opened in a test worker. */
export interface Backend {
  /** What the run's global setup described (plain JSON). */
  readonly info: BackendInfo
  readonly mode: Mode
  readonly runId: string
  readonly isolation: IsolationKind
  readonly description: string
  readonly supabaseUrl: string
  readonly anonKey: string
  readonly serviceRoleKey: string
  /** The secret that signs tokens, when the far end is the emulator (cold, dry). */
  readonly jwtSecret: string | undefined
  /** SQL access: the emulator's database, or hot mode's `SUPABASE_DB_URL` when given. */
  readonly sql: SqlExecutor | undefined
  /** Starts an isolation unit (one test or one flow); a no-op under `cleanup`. */
  beginUnit(): Promise<void>
  /** Rolls the unit back; a no-op under `cleanup`. */
  endUnit(): Promise<void>
  close(): Promise<void>
}
