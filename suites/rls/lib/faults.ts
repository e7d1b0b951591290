/**
 * Faults a fault proof seeds into a scratch database: a policy loosened to `true`, a policy
 * dropped, row-level security disabled on a table. Identifiers are checked against the catalog
 * and quoted, so a fault can only ever touch what it names.
 */
import type { SqlSession } from '../../../harness/sql/index.ts'
import { FaultTargetError, PolicyCatalogError } from './errors.ts'

/** One seeded fault. */
export type RlsFault =
  | { kind: 'loosen'; table: string; policy: string }
  | { kind: 'drop'; table: string; policy: string }
  | { kind: 'disable-rls'; table: string }

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A short description: `loosen policy "documents_select" on "documents"`. */
export function describeFault(fault: RlsFault): string {
  return fault.kind === 'disable-rls' ? `disable RLS on "${fault.table}"` : `${fault.kind} policy "${fault.policy}" on "${fault.table}"`
}

/** Applies `fault` with `db` (run it inside a unit or transaction to undo it afterwards). */
export async function applyFault(db: SqlSession, fault: RlsFault): Promise<void> {
  const table = `public.${ident(fault.table)}`
  const exists = await db.query(`select 1 from pg_catalog.pg_tables where schemaname = 'public' and tablename = $1`, [fault.table])
  if (exists.rowCount === 0) throw new PolicyCatalogError(`There is no table "public.${fault.table}" to seed a fault into; name a table of the schema.`)
  if (fault.kind === 'disable-rls') {
    await db.query(`alter table ${table} disable row level security`)
    return
  }
  const policy = await db.query<{ cmd: string }>(
    `select cmd from pg_catalog.pg_policies where schemaname = 'public' and tablename = $1 and policyname = $2`,
    [fault.table, fault.policy],
  )
  const cmd = policy.rows[0]?.cmd
  if (!cmd) throw new FaultTargetError(fault.table, fault.policy)
  if (fault.kind === 'drop') {
    await db.query(`drop policy ${ident(fault.policy)} on ${table}`)
    return
  }
  // An INSERT policy has only a check, a SELECT/DELETE policy only a using clause.
  const clauses = cmd === 'INSERT' ? 'with check (true)' : cmd === 'SELECT' || cmd === 'DELETE' ? 'using (true)' : 'using (true) with check (true)'
  await db.query(`alter policy ${ident(fault.policy)} on ${table} ${clauses}`)
}
