/**
 * Applies migrations in version order, each in its own transaction, records version, name and
 * checksum in `atoms_test.schema_migrations`, rolls back the last N, and refuses to go on when
 * an applied migration's file changed or disappeared.
 */
import type { SqlExecutor, SqlSession } from '../sql/index.ts'
import type { Migration } from './loadMigrations.ts'
import { MigrationChecksumError, MissingMigrationError, MissingRollbackError } from './errors.ts'

/** One row of the migrations table. */
export interface AppliedMigration {
  version: string
  name: string
  checksum: string
  applied_at: string
}

/** A migration with its state, as `status()` reports it. */
export interface MigrationStatus {
  version: string
  name: string
  state: 'applied' | 'pending' | 'changed' | 'missing'
  appliedAt: string | null
  hasRollback: boolean
}

/** Where the runner keeps its bookkeeping (its own schema, so it never clashes with the Supabase CLI's). */
export const MIGRATIONS_TABLE = 'atoms_test.schema_migrations'

// Serialises concurrent migrate()/rollback() calls on one database (any number of processes).
const LOCK_KEY = 7_305_113_901

export class MigrationRunner {
  readonly #db: SqlExecutor
  readonly #migrations: Migration[]

  constructor(db: SqlExecutor, migrations: Migration[]) {
    this.#db = db
    this.#migrations = [...migrations].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
  }

  /** Creates the bookkeeping schema and table when missing. */
  async init(): Promise<void> {
    await this.#db.exec(`
      create schema if not exists atoms_test;
      create table if not exists ${MIGRATIONS_TABLE} (
        version text primary key,
        name text not null,
        checksum text not null check (length(checksum) = 64),
        applied_at timestamptz not null default clock_timestamp()
      );
      create table if not exists atoms_test.migration_history (
        id bigserial primary key,
        version text not null,
        action text not null check (action in ('apply', 'rollback')),
        at timestamptz not null default clock_timestamp()
      );`)
  }

  /** The rows of the migrations table, oldest first. */
  async applied(session: SqlSession = this.#db): Promise<AppliedMigration[]> {
    const { rows } = await session.query<AppliedMigration>(
      `select version, name, checksum, applied_at::text as applied_at from ${MIGRATIONS_TABLE} order by version`,
    )
    return rows
  }

  /** Every known migration and every applied one, with its state. */
  async status(): Promise<MigrationStatus[]> {
    await this.init()
    const applied = new Map((await this.applied()).map((row) => [row.version, row]))
    const report: MigrationStatus[] = this.#migrations.map((m) => {
      const row = applied.get(m.version)
      applied.delete(m.version)
      const state = !row ? 'pending' : row.checksum === m.checksum ? 'applied' : 'changed'
      return { version: m.version, name: m.name, state, appliedAt: row?.applied_at ?? null, hasRollback: m.rollbackSql !== undefined }
    })
    for (const row of applied.values()) {
      report.push({ version: row.version, name: row.name, state: 'missing', appliedAt: row.applied_at, hasRollback: false })
    }
    return report.sort((a, b) => (a.version < b.version ? -1 : 1))
  }

  /** Throws when an applied migration's file changed (checksum) or is missing. */
  async verify(session: SqlSession = this.#db): Promise<void> {
    const byVersion = new Map(this.#migrations.map((m) => [m.version, m]))
    for (const row of await this.applied(session)) {
      const migration = byVersion.get(row.version)
      if (!migration) throw new MissingMigrationError(row.version, row.name)
      if (migration.checksum !== row.checksum) throw new MigrationChecksumError(migration.file, row.checksum, migration.checksum)
    }
  }

  /**
   * Applies every pending migration up to `target` (inclusive), each in its own transaction.
   * Returns the versions it applied; a failing migration leaves nothing of itself behind.
   */
  async migrate(options: { target?: string } = {}): Promise<string[]> {
    await this.init()
    const done: string[] = []
    for (const migration of this.#migrations) {
      if (options.target !== undefined && migration.version > options.target) break
      const ran = await this.#db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
        await this.verify(tx)
        const { rows } = await tx.query(`select 1 from ${MIGRATIONS_TABLE} where version = $1`, [migration.version])
        if (rows.length > 0) return false
        await tx.exec(migration.sql)
        await tx.query(`insert into ${MIGRATIONS_TABLE} (version, name, checksum) values ($1, $2, $3)`, [
          migration.version,
          migration.name,
          migration.checksum,
        ])
        await tx.query(`insert into atoms_test.migration_history (version, action) values ($1, 'apply')`, [migration.version])
        return true
      })
      if (ran) done.push(migration.version)
    }
    return done
  }

  /** Rolls back the last `steps` applied migrations, newest first. Returns the versions rolled back. */
  async rollback(steps = 1): Promise<string[]> {
    await this.init()
    const byVersion = new Map(this.#migrations.map((m) => [m.version, m]))
    const done: string[] = []
    for (let i = 0; i < steps; i++) {
      const version = await this.#db.transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
        await this.verify(tx)
        const { rows } = await tx.query<{ version: string }>(
          `select version from ${MIGRATIONS_TABLE} order by version desc limit 1`,
        )
        const last = rows[0]?.version
        if (last === undefined) return undefined
        const migration = byVersion.get(last)!
        if (migration.rollbackSql === undefined) throw new MissingRollbackError(migration.file)
        await tx.exec(migration.rollbackSql)
        await tx.query(`delete from ${MIGRATIONS_TABLE} where version = $1`, [last])
        await tx.query(`insert into atoms_test.migration_history (version, action) values ($1, 'rollback')`, [last])
        return last
      })
      if (version === undefined) break
      done.push(version)
    }
    return done
  }

  /** Rolls back everything that is applied. */
  async reset(): Promise<string[]> {
    return this.rollback(Number.MAX_SAFE_INTEGER)
  }
}
