/**
 * The coverage guard: every table of schema `public` must have RLS on and an entry in the
 * expectations, and every policy in `pg_policies` must be listed there under an operation it
 * decides (and every listed policy must exist). Anything else is reported, one problem per line.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import type { SqlSession } from '../../../harness/sql/index.ts'
import type { Expectations, Operation } from './types.ts'
import { PolicyCatalogError } from './errors.ts'
import { OPERATIONS } from './types.ts'

/** A policy's command as `pg_policies.cmd` spells it, lowercased. */
export type PolicyCommand = Operation | 'all'

/** One policy of a table. */
export interface CatalogPolicy {
  command: PolicyCommand
  permissive: boolean
  roles: string[]
}

/** RLS state and policies of one table. */
export interface CatalogTable {
  rls: boolean
  forceRls: boolean
  policies: Record<string, CatalogPolicy>
}

/** The RLS part of the catalog of schema `public`: table name -> state. */
export type PolicyCatalog = Record<string, CatalogTable>

/** One reason the expectations do not cover the database. */
export interface CoverageProblem {
  kind: 'rls-disabled' | 'table-uncovered' | 'table-missing' | 'policy-uncovered' | 'policy-missing' | 'policy-misfiled'
  table: string
  policy?: string
  message: string
}

const TABLES_SQL = `
select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as force_rls
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = 'public' and c.relkind in ('r', 'p')
order by c.relname`

const POLICIES_SQL = `
select tablename as table, policyname as policy, lower(cmd) as command, permissive = 'PERMISSIVE' as permissive,
  roles::text[] as roles
from pg_catalog.pg_policies
where schemaname = 'public'
order by tablename, policyname`

/** Reads the catalog over SQL (any role that can read `pg_catalog`). */
export async function readPolicyCatalogSql(sql: SqlSession): Promise<PolicyCatalog> {
  const catalog: PolicyCatalog = {}
  const tables = await sql.query<{ table: string; rls: boolean; force_rls: boolean }>(TABLES_SQL)
  for (const row of tables.rows) catalog[row.table] = { rls: row.rls, forceRls: row.force_rls, policies: {} }
  const policies = await sql.query<{ table: string; policy: string; command: string; permissive: boolean; roles: string[] | string }>(POLICIES_SQL)
  for (const row of policies.rows) {
    const table = catalog[row.table]
    if (!table) continue
    table.policies[row.policy] = { command: row.command as PolicyCommand, permissive: row.permissive, roles: pgArray(row.roles) }
  }
  return catalog
}

// PGlite hands text[] back parsed, node-postgres too; a bare `{a,b}` string is tolerated all the same.
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value
  return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean)
}

/**
 * Reads the catalog through the introspection RPC `atoms_introspect` with the service role, for
 * hot runs without `SUPABASE_DB_URL`.
 */
export async function readPolicyCatalogRpc(service: SupabaseClient): Promise<PolicyCatalog> {
  const { data, error } = await service.rpc('atoms_introspect', { schemas: ['public'] })
  if (error) {
    throw new PolicyCatalogError(
      `The introspection RPC "atoms_introspect" failed (${error.code ?? 'no code'}: ${error.message}); ` +
        'set SUPABASE_DB_URL or apply the introspection migration.',
    )
  }
  const tables = (data as { tables?: Record<string, unknown> } | null)?.tables
  if (!tables || typeof tables !== 'object') throw new PolicyCatalogError('The introspection RPC returned no "tables"; re-apply its migration.')
  const catalog: PolicyCatalog = {}
  for (const [qualified, raw] of Object.entries(tables)) {
    const t = raw as { kind?: string; rls?: boolean; forceRls?: boolean; policies?: Record<string, CatalogPolicy> }
    if (!qualified.startsWith('public.') || (t.kind !== 'table' && t.kind !== 'partitioned table')) continue
    catalog[qualified.slice('public.'.length)] = { rls: t.rls === true, forceRls: t.forceRls === true, policies: { ...t.policies } }
  }
  return catalog
}

/** Every way `catalog` is not covered by `expectations`, sorted by table. */
export function checkCoverage(expectations: Expectations, catalog: PolicyCatalog): CoverageProblem[] {
  const problems: CoverageProblem[] = []
  for (const [table, state] of Object.entries(catalog)) {
    if (!state.rls) problems.push({ kind: 'rls-disabled', table, message: `table "${table}" has row-level security disabled` })
    const expectation = expectations[table]
    if (!expectation) {
      problems.push({ kind: 'table-uncovered', table, message: `table "${table}" has no entry in the expectations` })
      continue
    }
    for (const [policy, info] of Object.entries(state.policies)) {
      const listedUnder = OPERATIONS.filter((op) => expectation.policies[op].includes(policy))
      const decides = info.command === 'all' ? OPERATIONS : [info.command]
      if (listedUnder.length === 0) {
        problems.push({
          kind: 'policy-uncovered',
          table,
          policy,
          message: `policy "${policy}" (${info.command}, ${info.permissive ? 'permissive' : 'restrictive'}, to ${info.roles.join(', ')}) on "${table}" is not in the expectations`,
        })
        continue
      }
      const missingOps = decides.filter((op) => !listedUnder.includes(op))
      const wrongOps = listedUnder.filter((op) => !decides.includes(op))
      if (missingOps.length > 0 || wrongOps.length > 0) {
        problems.push({
          kind: 'policy-misfiled',
          table,
          policy,
          message: `policy "${policy}" on "${table}" decides ${decides.join('/')} but the expectations list it under ${listedUnder.join('/')}`,
        })
      }
    }
  }
  for (const [table, expectation] of Object.entries(expectations)) {
    const state = catalog[table]
    if (!state) {
      problems.push({ kind: 'table-missing', table, message: `table "${table}" of the expectations is not in schema public` })
      continue
    }
    const listed = new Set(OPERATIONS.flatMap((op) => expectation.policies[op]))
    for (const policy of listed) {
      if (state.policies[policy]) continue
      const ops = OPERATIONS.filter((op) => expectation.policies[op].includes(policy)).join('/')
      problems.push({ kind: 'policy-missing', table, policy, message: `policy "${policy}" (${ops}) on "${table}" is listed but does not exist` })
    }
  }
  return problems.sort((a, b) => a.table.localeCompare(b.table) || (a.policy ?? '').localeCompare(b.policy ?? ''))
}

/** A report of `problems`, one per line. */
export function formatCoverage(problems: readonly CoverageProblem[]): string {
  if (problems.length === 0) return 'RLS coverage: every table and policy of schema public is in the expectations.'
  return [`RLS coverage: ${problems.length} problem(s):`, ...problems.map((p) => `  [${p.kind}] ${p.message}`)].join('\n')
}
