/**
 * The migration ledgers a database can have, and one shape for what they record: the atoms-test
 * runner's own table (the file's SHA-256 per migration), or the Supabase CLI's (the statements
 * it ran), which is what `supabase db push` and `supabase migration up` leave on a real project.
 */
import { MIGRATIONS_TABLE } from '../../../harness/db/index.ts'

/** The atoms-test runner's ledger. */
export const ATOMS_TEST_LEDGER = MIGRATIONS_TABLE

/** The Supabase CLI's ledger. */
export const SUPABASE_CLI_LEDGER = 'supabase_migrations.schema_migrations'

/** Which runner wrote the ledger. */
export type LedgerKind = 'atoms-test' | 'supabase-cli'

/** One applied migration as its ledger records it. */
export interface LedgerRow {
  version: string
  /** Null when the ledger has no name for it (Supabase CLI rows from before it stored names). */
  name: string | null
  /**
   * What the content is compared by: the file's SHA-256 (atoms-test), or the `statementsHash`
   * of the stored statements (Supabase CLI); null when the CLI stored no statements.
   */
  checksum: string | null
  /** Null in the Supabase CLI's ledger, which does not record when. */
  applied_at: string | null
}

/** The ledger that was read, and its rows, oldest first. */
export interface AppliedLedger {
  kind: LedgerKind
  /** The table read, for reports. */
  table: string
  rows: LedgerRow[]
}
