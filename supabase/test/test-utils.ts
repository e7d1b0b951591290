/**
 * Shared helpers of the schema's behaviour tests: users made the way GoTrue makes them (a row
 * in auth.users, the rest by triggers), requests run the way PostgREST runs them, a generic
 * insert, and a catalog snapshot for up/down comparisons.
 */
import type { SqlExecutor, SqlSession } from '../../harness/sql/index.ts'
import type { TableName } from '../models/index.ts'
import { expect } from 'vitest'
import { sqlState } from '../../harness/sql/index.ts'

/** A signed-up user. */
export interface TestUser {
  id: string
  email: string
}

/** Signs a user up as GoTrue would: one auth.users row; profile and workspace come from triggers. */
export async function signUp(db: SqlExecutor, email: string, fullName?: string): Promise<TestUser> {
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (email, raw_user_meta_data) values ($1, $2::jsonb) returning id::text as id`,
    [email, JSON.stringify(fullName ? { full_name: fullName } : {})],
  )
  return { id: rows[0]!.id, email }
}

/** The JWT claims Supabase issues to a signed-in user. */
export function claimsOf(user: TestUser): Record<string, unknown> {
  return { sub: user.id, role: 'authenticated', aud: 'authenticated', email: user.email }
}

/** Runs `fn` as the signed-in `user` (PostgREST-style role switch + claims). */
export function asUser<T>(db: SqlExecutor, user: TestUser, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
  return db.asRole('authenticated', claimsOf(user), fn)
}

/** Runs `fn` as the service role (bypasses RLS). */
export function asService<T>(db: SqlExecutor, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
  return db.asRole('service_role', { role: 'service_role' }, fn)
}

/** Runs `fn` as the anonymous role. */
export function asAnon<T>(db: SqlExecutor, fn: (tx: SqlSession) => Promise<T>): Promise<T> {
  return db.asRole('anon', { role: 'anon' }, fn)
}

/**
 * Inserts `data` into `table` through `jsonb_populate_record`, naming only the given columns so
 * every other column gets its DEFAULT; returns the new row as JSON (PostgREST's shape).
 */
export async function insertRow<R = Record<string, unknown>>(
  session: SqlSession,
  table: TableName,
  data: Record<string, unknown>,
): Promise<R> {
  const columns = Object.keys(data).map((c) => `"${c.replaceAll('"', '""')}"`).join(', ')
  const { rows } = await session.query<{ row: R }>(
    `insert into public."${table}" (${columns})
     select ${columns} from jsonb_populate_record(null::public."${table}", $1::jsonb)
     returning to_jsonb("${table}".*) as row`,
    [JSON.stringify(data)],
  )
  return rows[0]!.row
}

/** Counts the rows of `table` the session can see. */
export async function countRows(session: SqlSession, table: TableName): Promise<number> {
  const { rows } = await session.query<{ n: number }>(`select count(*)::int as n from public."${table}"`)
  return rows[0]!.n
}

/** Ids (as text) of the rows of `table` the session can see, sorted. */
export async function visibleIds(session: SqlSession, table: TableName): Promise<string[]> {
  const { rows } = await session.query<{ id: string }>(`select id::text as id from public."${table}" order by id`)
  return rows.map((r) => r.id)
}

/** Asserts that `promise` rejects with a database error of SQLSTATE `code`. */
export async function expectSqlState(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected SQLSTATE ${code}, but the statement succeeded`).toBeDefined()
  expect(sqlState(error), String((error as Error).message)).toBe(code)
}

// Everything a migration could create or change, by name (never by oid), outside the runner's
// own bookkeeping schema.
const SNAPSHOT_SQL = `
  select 'schema ' || nspname as line from pg_namespace
  where nspname not like 'pg\\_%' and nspname not in ('information_schema', 'atoms_test')
  union all
  select 'class ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' rls=' || c.relrowsecurity
  from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'auth', 'extensions')
  union all
  select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
    || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
  from pg_attribute a
  join pg_class c on c.oid = a.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
  where n.nspname in ('public', 'auth') and a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'v', 'm')
  union all
  select 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text
  from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname in ('public', 'auth')
  union all
  select 'enum ' || t.typname || ' ' || e.enumlabel || ' ' || e.enumsortorder
  from pg_enum e join pg_type t on t.oid = e.enumtypid
  union all
  select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') definer='
    || p.prosecdef || ' acl=' || coalesce(p.proacl::text, '') || ' language=' || l.lanname || ' volatility=' || p.provolatile::text
    || ' config=' || coalesce(array_to_string(p.proconfig, ','), '') || ' body=' || md5(p.prosrc)
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
  where n.nspname in ('public', 'auth')
  union all
  select 'trigger ' || tgrelid::regclass::text || ' ' || tgname from pg_trigger where not tgisinternal
  union all
  select 'policy ' || polrelid::regclass::text || ' ' || polname from pg_policy
  union all
  select 'constraint ' || n.nspname || '.' || conname || ' ' || contype::text || ' ' || pg_get_constraintdef(c.oid)
  from pg_constraint c join pg_namespace n on n.oid = c.connamespace where n.nspname in ('public', 'auth')
  union all
  select 'default-acl ' || coalesce(n.nspname, '') || ' ' || d.defaclobjtype::text || ' ' || d.defaclacl::text
  from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
  order by 1`

/** Every schema object a migration could touch, one sorted line each, comparable across runs. */
export async function catalogSnapshot(db: SqlSession): Promise<string[]> {
  const { rows } = await db.query<{ line: string }>(SNAPSHOT_SQL)
  return rows.map((r) => r.line)
}

/** Lines only in `a`, and only in `b`: a readable diff for failing assertions. */
export function snapshotDiff(a: string[], b: string[]): { removed: string[]; added: string[] } {
  const inA = new Set(a)
  const inB = new Set(b)
  return { removed: a.filter((l) => !inB.has(l)), added: b.filter((l) => !inA.has(l)) }
}
