/**
 * The migrations suite's library: round trip, no-op, tamper and atomicity checks, and the
 * ledger (the atoms-test runner's or the Supabase CLI's) against the files.
 */
export type { MigrationCheck, MigrationProblem } from './problems.ts'
export type { RoundTripOptions, RoundTripReport } from './roundTrip.ts'
export type { CheckOptions } from './checks.ts'
export type { AppliedLedger, LedgerKind, LedgerRow } from './ledger.ts'
export type { CopyOptions, MigrationsCopy, SeedEdit } from './migrationsCopy.ts'
export { checkRoundTrip, ROUND_TRIP_SCHEMAS } from './roundTrip.ts'
export { checkFailureIsAtomic, checkMigrateIsNoop, checkTamperRefused, HALF_WAY_SQL, HALF_WAY_VERSION } from './checks.ts'
export { compareWithFiles, readAppliedMigrations } from './appliedMigrations.ts'
export { readSupabaseCliLedger } from './supabaseCliLedger.ts'
export { ATOMS_TEST_LEDGER, SUPABASE_CLI_LEDGER } from './ledger.ts'
export { contentHash, normalizeSql, statementsHash } from './sqlContent.ts'
export { appendText, copyMigrations, removeLine, replaceText } from './migrationsCopy.ts'
export { formatProblem, formatProblems, problem } from './problems.ts'
export { MigrationsTableMissingError, SeedError } from './errors.ts'
export { loadMigrations } from '../../../harness/db/index.ts'
export type { Migration } from '../../../harness/db/index.ts'
