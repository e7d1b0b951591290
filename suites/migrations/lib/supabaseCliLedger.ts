/**
 * Reads the Supabase CLI's ledger, `supabase_migrations.schema_migrations`, with SELECTs only
 * (it is read on live projects). The CLI added `statements` and `name` to the table over time
 * (`version` came first; later CLIs also add `created_by`, `idempotency_key` and `rollback`,
 * which this check does not need), so the columns present are looked up first.
 */
import type { SqlSession } from '../../../harness/sql/index.ts'
import type { LedgerRow } from './ledger.ts'
import { statementsHash } from './sqlContent.ts'

interface CliRow {
  version: string
  name: string | null
  statements: string[] | null
}

/** The rows of the Supabase CLI's ledger, oldest first; the table must exist. */
export async function readSupabaseCliLedger(session: SqlSession): Promise<LedgerRow[]> {
  const { rows: columns } = await session.query<{ column_name: string }>(
    `select column_name::text as column_name from information_schema.columns
      where table_schema = 'supabase_migrations' and table_name = 'schema_migrations'`,
  )
  const present = new Set(columns.map((c) => c.column_name))
  // The statements travel as JSON: both drivers decode it the same way, unlike text[].
  const statements = present.has('statements') ? 'to_json(statements)' : 'null::json'
  const name = present.has('name') ? 'name' : 'null::text'
  const { rows } = await session.query<CliRow>(
    `select version, ${name} as name, ${statements} as statements from supabase_migrations.schema_migrations order by version`,
  )
  return rows.map((row) => ({
    version: row.version,
    name: row.name,
    checksum: row.statements === null ? null : statementsHash(row.statements),
    applied_at: null,
  }))
}
